"""`Reshape`: reshapes the non-batch axes to a target shape."""

import math

from unikeras import ops
from unikeras.layers.layer import Layer


class Reshape(Layer):
    """Reshapes each sample to `target_shape` (the batch axis is kept).

    Args:
        target_shape: Tuple of ints, the shape without the batch axis; one entry may be -1,
            inferred from the input's size.

    Examples:
        >>> keras.layers.Reshape((3, 2))(np.arange(12).reshape(2, 6)).shape
        (2, 3, 2)
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        target_shape = tuple(target_shape)
        if sum(d == -1 for d in target_shape) > 1 or any(
            not isinstance(d, int) or isinstance(d, bool) or (d < 0 and d != -1)
            for d in target_shape
        ):
            raise ValueError(
                f'Layer "{self.name}": `target_shape` must be a tuple of non-negative ints '
                f"with at most one -1. Received: target_shape={target_shape}"
            )
        self.target_shape = target_shape

    def call(self, inputs):
        batch = inputs.shape[0]
        out = self._resolve(tuple(inputs.shape))
        shape = tuple(-1 if d is None else d for d in out[1:])
        return ops.reshape(inputs, (-1 if batch is None else batch,) + shape)

    def compute_output_shape(self, input_shape):
        return self._resolve(tuple(input_shape))

    def _resolve(self, input_shape):
        """Output shape with the -1 filled in when the input size is known; checks sizes."""
        rest = input_shape[1:]
        if None in rest:
            return (input_shape[0],) + tuple(None if d == -1 else d for d in self.target_shape)
        size = math.prod(rest)
        known = math.prod(d for d in self.target_shape if d != -1)
        if -1 in self.target_shape and known and size % known == 0:
            return (input_shape[0],) + tuple(
                size // known if d == -1 else d for d in self.target_shape
            )
        if -1 not in self.target_shape and known == size:
            return (input_shape[0],) + self.target_shape
        raise ValueError(
            f'Layer "{self.name}": the total size of each sample must be unchanged. Cannot '
            f"reshape inputs of shape {input_shape} ({size} values per sample) to "
            f"target_shape={self.target_shape}."
        )

    def get_config(self):
        config = super().get_config()
        config["target_shape"] = self.target_shape
        return config
