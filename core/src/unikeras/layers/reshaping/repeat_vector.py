"""`RepeatVector`: repeats a vector `n` times along a new axis."""

from unikeras import ops
from unikeras.layers.input_spec import InputSpec
from unikeras.layers.layer import Layer


class RepeatVector(Layer):
    """Turns `(batch, features)` inputs into `(batch, n, features)`.

    Args:
        n: Number of repetitions (an int).

    Examples:
        >>> keras.layers.RepeatVector(3)(np.array([[1.0, 2.0]], 'float32'))
        array([[[1., 2.],
                [1., 2.],
                [1., 2.]]], dtype=float32)
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(
                f'Layer "{self.name}": expected an integer value for `n`. Received: n={n!r}'
            )
        self.n = n
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        return ops.repeat(ops.expand_dims(inputs, 1), self.n, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        config = super().get_config()
        config["n"] = self.n
        return config
