"""`Softmax`: softmax over one or several axes, optionally masked."""

from unikeras import ops
from unikeras.backend import dtypes
from unikeras.layers.activations.elementwise import ElementwiseActivation


def large_negative_number(dtype):
    """A large negative logit that stays finite in `dtype` (masks out positions)."""
    return -3e4 if dtypes.standardize_dtype(dtype) == "float16" else -1e9


class Softmax(ElementwiseActivation):
    """Softmax over `axis`; with `mask` (broadcastable to the inputs, `True` = keep) masked
    positions get a large negative logit before and a zero output after the softmax.

    Args:
        axis: int or tuple/list of ints, the axes normalized.

    Examples:
        >>> keras.layers.Softmax()(np.array([[1.0, 1.0, 1.0, 1.0]], 'float32'))
        array([[0.25, 0.25, 0.25, 0.25]], dtype=float32)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis

    def call(self, inputs, mask=None):
        if mask is not None:
            keep = ops.cast(mask, inputs.dtype)
            inputs = ops.add(
                inputs, ops.multiply(ops.subtract(1.0, keep), large_negative_number(inputs.dtype))
            )
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        if len(axes) == 1:
            outputs = ops.softmax(inputs, axis=axes[0])
        else:
            outputs = ops.exp(
                ops.subtract(inputs, ops.logsumexp(inputs, axis=tuple(axes), keepdims=True))
            )
        if mask is not None:
            outputs = ops.multiply(outputs, ops.cast(mask, outputs.dtype))
        return outputs

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config
