"""`SpectralNormalization`: divides a wrapped layer's kernel by its spectral norm."""

from unikeras import initializers, ops
from unikeras.layers.core.wrapper import Wrapper
from unikeras.layers.input_spec import InputSpec


def _l2_normalize(x):
    return ops.divide(x, ops.sqrt(ops.maximum(ops.sum(ops.square(x)), 1e-12)))


class SpectralNormalization(Wrapper):
    """Constrains the spectral norm of `layer.kernel` (or `layer.embeddings`): in training,
    estimates the largest singular value `sigma` of the kernel (reshaped to
    `(-1, out_dim)`) by `power_iterations` steps of power iteration, keeps the estimate in
    the non-trainable `vector_u`, and replaces the kernel by `kernel / sigma`.

    Args:
        layer: A layer with a `kernel` (or `embeddings`) weight.
        power_iterations: Number of power iteration steps per training call (> 0).

    Examples:
        >>> layer = keras.layers.SpectralNormalization(
        ...     keras.layers.Dense(2, kernel_initializer="ones")
        ... )
        >>> x = np.ones((1, 3), "float32")
        >>> layer(x, training=True)  # the (3, 2) kernel of ones has sigma sqrt(6): 3 / sqrt(6)
        array([[1.224744..., 1.224744...]], dtype=float32)
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if power_iterations <= 0:
            raise ValueError(
                f'Layer "{self.name}": `power_iterations` should be greater than '
                f"zero. Received: power_iterations={power_iterations}"
            )
        self.power_iterations = power_iterations

    def build(self, input_shape):
        super().build(input_shape)
        self.input_spec = InputSpec(shape=[None] + list(input_shape[1:]))
        kernel = getattr(self.layer, "kernel", None)
        if kernel is None:
            kernel = getattr(self.layer, "embeddings", None)
        if kernel is None:
            raise ValueError(
                f'Layer "{self.name}": {type(self.layer).__name__} object has no '
                "attribute 'kernel' nor 'embeddings'"
            )
        self._kernel = kernel
        self.kernel_shape = tuple(kernel.shape)
        self.vector_u = self.add_weight(
            shape=(1, self.kernel_shape[-1]),
            initializer=initializers.TruncatedNormal(stddev=0.02),
            trainable=False,
            dtype=kernel.dtype,
            name="vector_u",
        )
        self.built = True

    def call(self, inputs, training=False):
        if training:
            vector_u, kernel = ops.cond(
                ops.all(ops.equal(self._kernel.value, 0)),
                lambda: (self.vector_u.value, self._kernel.value),
                self.normalized_weights,
            )
            self.vector_u.assign(vector_u)
            self._kernel.assign(kernel)
        return ops.cast(self.layer(inputs), inputs.dtype)

    def normalized_weights(self):
        """Returns `(new vector_u, kernel / sigma)` after the power iterations."""
        weights = ops.reshape(self._kernel.value, (-1, self.kernel_shape[-1]))
        vector_u = self.vector_u.value
        for _ in range(self.power_iterations):
            vector_v = _l2_normalize(ops.matmul(vector_u, ops.transpose(weights)))
            vector_u = _l2_normalize(ops.matmul(vector_v, weights))
        vector_u = ops.stop_gradient(vector_u)
        vector_v = ops.stop_gradient(vector_v)
        sigma = ops.matmul(ops.matmul(vector_v, weights), ops.transpose(vector_u))
        kernel = ops.reshape(ops.divide(self._kernel.value, sigma), self.kernel_shape)
        return (ops.cast(vector_u, self.vector_u.dtype), ops.cast(kernel, self._kernel.dtype))

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        config = super().get_config()
        config["power_iterations"] = self.power_iterations
        return config
