"""Profiling hooks for `keras.callbacks.TensorBoard(profile_batch=...)`: `torch.profiler`
writes a Chrome trace (`<host>_<pid>.<time>.pt.trace.json`, with `tensorboard_trace_handler`)
to `<logdir>/plugins/profile/<run>/`. torch-tb-profiler shows any directory under
TensorBoard's logdir that holds such files as a run; chrome://tracing and Perfetto open them
too."""

import os
import time

import torch

from unikeras.backend.api import hookimpl

from unikeras_torch.convert import DEVICE

_profiler = None


@hookimpl
def start_trace(logdir):
    global _profiler
    if _profiler is not None:
        raise RuntimeError("The torch profiler is already running (started by start_trace).")
    activities = [torch.profiler.ProfilerActivity.CPU]
    if DEVICE.type == "cuda":
        activities.append(torch.profiler.ProfilerActivity.CUDA)
    run = os.path.join(logdir, "plugins", "profile", time.strftime("%Y_%m_%d_%H_%M_%S"))
    profiler = torch.profiler.profile(
        activities=activities, on_trace_ready=torch.profiler.tensorboard_trace_handler(run)
    )
    profiler.start()
    _profiler = profiler


@hookimpl
def stop_trace():
    global _profiler
    if _profiler is None:
        raise RuntimeError("The torch profiler is not running (start_trace was not called).")
    profiler, _profiler = _profiler, None
    profiler.stop()


@hookimpl
def trace_batch(batch):
    # The name `torch.profiler.profile.step()` gives its steps: torch-tb-profiler splits a
    # trace into steps by these events.
    return torch.profiler.record_function(f"ProfilerStep#{batch}")
