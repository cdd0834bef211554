"""`Dot`: per-sample dot product of two tensors along given axes."""

import string

from unikeras import ops
from unikeras.layers.layer import Layer


def batch_dot(x1, x2, axes):
    """Per-sample tensor contraction of `x1` axis `axes[0]` with `x2` axis `axes[1]` (the
    batch axes 0 kept); a result with only the batch axis gets a trailing axis of size 1."""
    rank1, rank2 = len(x1.shape), len(x2.shape)
    letters = string.ascii_letters
    spec1 = letters[:rank1]
    spec2 = ["a"] + list(letters[rank1 : rank1 + rank2 - 1])
    spec2[axes[1]] = spec1[axes[0]]
    spec2 = "".join(spec2)
    out = spec1.replace(spec1[axes[0]], "") + spec2[1:].replace(spec1[axes[0]], "")
    result = ops.einsum(f"{spec1},{spec2}->{out}", x1, x2)
    return ops.expand_dims(result, -1) if len(out) == 1 else result


class Dot(Layer):
    """Dot product between samples of two tensors.

    Args:
        axes: int or pair of ints, the axis of each input contracted (not the batch axis).
        normalize: Whether to L2-normalize both inputs along the contracted axes first
            (the result is then the cosine proximity).

    Examples:
        >>> keras.layers.Dot(axes=1)([np.array([[1.0, 2.0]]), np.array([[3.0, 4.0]])])
        array([[11.]], dtype=float32)
    """

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int) and not (
            isinstance(axes, (list, tuple))
            and len(axes) == 2
            and all(isinstance(a, int) for a in axes)
        ):
            raise TypeError(
                f'Layer "{self.name}": invalid format for argument `axes`: '
                f"expected an int or a list/tuple of 2 ints. Received: axes={axes!r}"
            )
        self.axes = list(axes) if isinstance(axes, (list, tuple)) else axes
        self.normalize = normalize
        self.supports_masking = True

    def _axes(self, shape1, shape2):
        axes = self.axes if isinstance(self.axes, list) else [self.axes] * 2
        axes = [axes[0] % len(shape1), axes[1] % len(shape2)]
        if 0 in axes:
            raise ValueError(
                f'Layer "{self.name}": cannot perform the dot product over the '
                f"batch axis 0. Received: axes={self.axes}"
            )
        return axes

    def _shapes(self, input_shape):
        if (
            not isinstance(input_shape, (list, tuple))
            or len(input_shape) != 2
            or not all(isinstance(s, (list, tuple)) for s in input_shape)
        ):
            raise ValueError(
                f'Layer "{self.name}": a `Dot` layer should be called on a list '
                f"of 2 inputs. Received: input_shape={input_shape}"
            )
        shape1, shape2 = (list(s) for s in input_shape)
        axes = self._axes(shape1, shape2)
        d1, d2 = shape1[axes[0]], shape2[axes[1]]
        if d1 is not None and d2 is not None and d1 != d2:
            raise ValueError(
                f'Layer "{self.name}": incompatible input shapes: axis values '
                f"{d1} (at axis {axes[0]}) != {d2} (at axis {axes[1]}). Full "
                f"input shapes: {tuple(shape1)}, {tuple(shape2)}"
            )
        return shape1, shape2, axes

    def build(self, input_shape):
        self._shapes(input_shape)
        self.built = True

    def call(self, inputs):
        x1, x2 = inputs
        axes = self._axes(x1.shape, x2.shape)
        if self.normalize:
            x1 = ops.normalize(x1, axis=axes[0])
            x2 = ops.normalize(x2, axis=axes[1])
        return batch_dot(x1, x2, axes)

    def compute_output_shape(self, input_shape):
        shape1, shape2, axes = self._shapes(input_shape)
        shape1.pop(axes[0])
        shape2.pop(axes[1])
        out = shape1 + shape2[1:]
        return tuple(out + [1] if len(out) == 1 else out)

    def compute_mask(self, inputs, previous_mask):
        return None

    def get_config(self):
        config = super().get_config()
        config.update({"axes": self.axes, "normalize": self.normalize})
        return config


def dot(inputs, axes=-1, **kwargs):
    """Functional interface to the `Dot` layer: `Dot(axes=axes, **kwargs)(inputs)`.

    Args:
        inputs: A list of two input tensors.
        axes: int or pair of ints, the axes contracted (never the batch axis 0).
        **kwargs: `normalize` and the standard layer keyword arguments.

    Returns:
        The per-sample dot product of the inputs.

    Examples:
        >>> keras.layers.dot([np.array([[1.0, 2.0]]), np.array([[3.0, 4.0]])], axes=1)  # 3 + 8
        array([[11.]], dtype=float32)
    """
    return Dot(axes=axes, **kwargs)(inputs)
