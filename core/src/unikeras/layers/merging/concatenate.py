"""`Concatenate` and its functional form `concatenate`."""

from unikeras import ops
from unikeras.layers.layer import Layer


class Concatenate(Layer):
    """Concatenates a list of inputs along `axis`; all other axes must match.

    Args:
        axis: Concatenation axis (default -1, the last).

    Examples:
        >>> keras.layers.Concatenate()([np.zeros((2, 3)), np.ones((2, 1))]).shape
        (2, 4)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True

    def build(self, input_shape):
        self.compute_output_shape(input_shape)
        self.built = True

    def call(self, inputs):
        return ops.concatenate(list(inputs), axis=self.axis)

    def compute_output_shape(self, input_shape):
        if (
            not isinstance(input_shape, (list, tuple))
            or not input_shape
            or not all(isinstance(s, (list, tuple)) for s in input_shape)
        ):
            raise ValueError(
                f'Layer "{self.name}": a `Concatenate` layer should be called on a list of at '
                f"least 1 input. Received: input_shape={input_shape}"
            )
        shapes = [tuple(s) for s in input_shape]
        rank = len(shapes[0])
        axis = self.axis + rank if self.axis < 0 else self.axis
        if not 0 <= axis < rank or any(len(s) != rank for s in shapes):
            self._raise(shapes, rank, axis)
        out = list(shapes[0])
        for shape in shapes[1:]:
            for i, d in enumerate(shape):
                if i == axis:
                    out[i] = None if out[i] is None or d is None else out[i] + d
                elif out[i] is None:
                    out[i] = d
                elif d is not None and d != out[i]:
                    self._raise(shapes, rank, axis)
        return tuple(out)

    def _raise(self, shapes, rank, axis):
        expected = tuple("?" if i == axis else d for i, d in enumerate(shapes[0]))
        raise ValueError(
            f'Layer "{self.name}": a `Concatenate` layer requires inputs of rank {rank} with '
            f"matching shapes except for the concatenation axis (axis={self.axis}). Expected "
            f"shapes like {expected} ('?' = any size), received: input_shape={list(shapes)}"
        )

    def compute_mask(self, inputs, mask=None):
        if mask is None or all(m is None for m in mask):
            return None
        masks = []
        for x, m in zip(inputs, mask):
            if m is None:
                m = ops.ones_like(x, dtype="bool")
            elif len(m.shape) < len(x.shape):
                m = ops.broadcast_to(ops.expand_dims(m, -1), ops.shape(x))
            masks.append(m)
        return ops.any(ops.concatenate(masks, axis=self.axis), axis=-1)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config


def concatenate(inputs, axis=-1, **kwargs):
    """Functional interface to the `Concatenate` layer: `Concatenate(axis)(inputs)`.

    Args:
        inputs: A list of tensors whose shapes agree except along `axis`.
        axis: The concatenation axis (default -1, the last).
        **kwargs: Standard layer keyword arguments (e.g. `name`, `dtype`).

    Returns:
        The concatenation of the inputs along `axis`.

    Examples:
        >>> keras.layers.concatenate([np.zeros((2, 3)), np.ones((2, 1))]).shape
        (2, 4)
        >>> keras.layers.concatenate([np.array([[1.0], [2.0]]), np.array([[3.0], [4.0]])], axis=0)
        array([[1.],
               [2.],
               [3.],
               [4.]], dtype=float32)
    """
    return Concatenate(axis=axis, **kwargs)(inputs)
