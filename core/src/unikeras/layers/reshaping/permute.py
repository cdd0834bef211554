"""`Permute`: permutes the non-batch axes."""

from unikeras import ops
from unikeras.layers.input_spec import InputSpec
from unikeras.layers.layer import Layer


class Permute(Layer):
    """Permutes the axes of the input according to `dims` (the batch axis stays first).

    Args:
        dims: Tuple of ints, a permutation of `1..rank-1` (1-based, the batch axis is not
            included); e.g. `(2, 1)` swaps the first and second non-batch axes.

    Examples:
        >>> keras.layers.Permute((2, 1))(np.zeros((2, 3, 4))).shape
        (2, 4, 3)
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        dims = tuple(dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(
                f'Layer "{self.name}": invalid permutation argument `dims`. The indices in '
                f"`dims` must be a permutation of 1..{len(dims)} (1-based, without the batch "
                f"axis). Received: dims={dims}"
            )
        self.dims = dims
        self.input_spec = InputSpec(ndim=len(dims) + 1)

    def call(self, inputs):
        return ops.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        config = super().get_config()
        config["dims"] = self.dims
        return config
