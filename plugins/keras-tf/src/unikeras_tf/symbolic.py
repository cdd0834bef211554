"""TensorFlow backend: symbolic shape inference (hook `compute_output_spec`): the function is
traced into a concrete function whose input specs keep unknown dimensions unknown; if it
needs static sizes it is traced, and if it needs values run on zeros, with unknown dimensions
probed at two sizes (`unikeras.backend.common.shape_probe`)."""

import tensorflow as tf

from unikeras.backend.common import shape_probe
from unikeras.backend.api import hookimpl
from unikeras_tf.convert import to_tf_dtype


def _trace(fn, args, kwargs, size):
    """Traces `fn` with `tf.TensorSpec` inputs (unknown dims `size`; `None`: unknown)."""
    specs, call = shape_probe.positional(fn, args, kwargs)
    box = []

    def traced(*tensors):
        box.append(call(*tensors))
        return tf.constant(0)

    tf.function(traced, autograph=False).get_concrete_function(
        *[tf.TensorSpec(shape_probe.probe_shape(s, size), to_tf_dtype(s.dtype)) for s in specs]
    )
    return box[0]


def _run_unknown(fn, args, kwargs):
    return _trace(fn, args, kwargs, None)


def _run(fn, args, kwargs, size):
    try:
        return _trace(fn, args, kwargs, size)
    except Exception:  # noqa: BLE001 - data-dependent output shapes: run on zeros
        return shape_probe.call_on_zeros(fn, args, kwargs, size, _zeros)


def _zeros(shape, dtype):
    return tf.zeros(shape, to_tf_dtype(dtype))


@hookimpl
def compute_output_spec(fn, args, kwargs):
    return shape_probe.output_spec(fn, args, kwargs, _run, _run_unknown)
