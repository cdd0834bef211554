"""Profiling hooks for `keras.callbacks.TensorBoard(profile_batch=...)`: JAX's profiler
writes an XPlane trace to `<logdir>/plugins/profile/<run>/` for TensorBoard's profile plugin."""

import jax

from unikeras.backend.api import hookimpl


@hookimpl
def start_trace(logdir):
    jax.profiler.start_trace(logdir)


@hookimpl
def stop_trace():
    jax.profiler.stop_trace()


@hookimpl
def trace_batch(batch):
    return jax.profiler.StepTraceAnnotation("train", step_num=batch)
