"""Profiling hooks for `keras.callbacks.TensorBoard(profile_batch=...)`: TensorFlow's profiler
writes an XPlane trace to `<logdir>/plugins/profile/<run>/` for TensorBoard's profile plugin."""

import tensorflow as tf

from unikeras.backend.api import hookimpl


@hookimpl
def start_trace(logdir):
    tf.profiler.experimental.start(logdir)


@hookimpl
def stop_trace():
    tf.profiler.experimental.stop()


@hookimpl
def trace_batch(batch):
    # `_r=1` makes the annotation a root step event, as TensorFlow's own training loops do.
    return tf.profiler.experimental.Trace("train", step_num=batch, _r=1)
