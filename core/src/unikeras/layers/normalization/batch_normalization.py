"""`BatchNormalization`: normalizes with batch statistics in training, moving ones otherwise."""

from unikeras import initializers, ops
from unikeras.backend import dtypes
from unikeras.backend.config import epsilon as fuzz_factor
from unikeras.layers.input_spec import InputSpec
from unikeras.layers.layer import Layer
from unikeras.layers.normalization.affine import affine_config, set_affine_arguments


class BatchNormalization(Layer):
    """Normalizes `axis` features: `(x - mean) / sqrt(variance + epsilon) * gamma + beta`.

    With `training=True` (and a trainable layer) `mean`/`variance` are the batch's, over all
    axes but `axis` (masked steps excluded), and the moving statistics are updated as
    `moving = moving * momentum + batch * (1 - momentum)`; otherwise the moving statistics
    are used.

    Args:
        axis: The features axis (int).
        momentum: Momentum of the moving statistics.
        epsilon: Added to the variance to avoid dividing by zero.
        center: Whether to add the learned offset `beta`.
        scale: Whether to multiply by the learned scale `gamma`.
        beta_initializer: Initializer of `beta` (default zeros).
        gamma_initializer: Initializer of `gamma` (default ones).
        moving_mean_initializer: Initializer of the moving mean (default zeros).
        moving_variance_initializer: Initializer of the moving variance (default ones).
        beta_regularizer: Optional regularizer of `beta`.
        gamma_regularizer: Optional regularizer of `gamma`.
        beta_constraint: Optional constraint of `beta`.
        gamma_constraint: Optional constraint of `gamma`.
        synchronized: Only matters for distributed training.
        renorm: Batch renormalization (not supported yet: must be False).
        renorm_clipping: Clipping of the renormalization corrections (unused: `renorm`
            is not supported).
        renorm_momentum: Momentum of the renormalization statistics (unused: `renorm` is
            not supported).

    Examples:
        >>> layer = keras.layers.BatchNormalization()
        >>> layer(np.array([[1.0, 2.0]], 'float32'))  # inference: moving mean 0, variance 1
        array([[0.9995004, 1.9990008]], dtype=float32)
    """

    def __init__(
        self,
        axis=-1,
        momentum=0.99,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        moving_mean_initializer="zeros",
        moving_variance_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        synchronized=False,
        renorm=False,
        renorm_clipping=None,
        renorm_momentum=0.99,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if renorm:
            raise NotImplementedError("BatchNormalization(renorm=True) is not supported yet.")
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        set_affine_arguments(
            self,
            beta_initializer=beta_initializer,
            gamma_initializer=gamma_initializer,
            beta_regularizer=beta_regularizer,
            gamma_regularizer=gamma_regularizer,
            beta_constraint=beta_constraint,
            gamma_constraint=gamma_constraint,
        )
        self.synchronized = synchronized
        self.renorm = renorm
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.supports_masking = True

    def build(self, input_shape):
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(
                f'Layer "{self.name}": `axis` {self.axis} is out of range for '
                f"inputs of shape {tuple(input_shape)}."
            )
        size = input_shape[self.axis]
        if size is None:
            raise ValueError(
                f'Layer "{self.name}": axis {self.axis} of the input must have a '
                f"known size. Received input shape {tuple(input_shape)}"
            )
        shape = (size,)
        self.gamma = self._maybe_weight(
            self.scale,
            "gamma",
            shape,
            self.gamma_initializer,
            self.gamma_regularizer,
            self.gamma_constraint,
        )
        self.beta = self._maybe_weight(
            self.center,
            "beta",
            shape,
            self.beta_initializer,
            self.beta_regularizer,
            self.beta_constraint,
        )
        self.moving_mean = self.add_weight(
            shape=shape,
            initializer=self.moving_mean_initializer,
            trainable=False,
            autocast=False,
            name="moving_mean",
        )
        self.moving_variance = self.add_weight(
            shape=shape,
            initializer=self.moving_variance_initializer,
            trainable=False,
            autocast=False,
            name="moving_variance",
        )
        self.input_spec = InputSpec(ndim=rank, axes={self.axis: size})
        self._reduction_axes = [a for a in range(rank) if a != self.axis % rank]
        self.built = True

    def _maybe_weight(self, wanted, name, shape, initializer, regularizer, constraint):
        if not wanted:
            return None
        return self.add_weight(
            shape=shape,
            initializer=initializer,
            regularizer=regularizer,
            constraint=constraint,
            autocast=False,
            name=name,
        )

    def call(self, inputs, training=None, mask=None):
        input_dtype = dtypes.standardize_dtype(inputs.dtype)
        if input_dtype in ("float16", "bfloat16"):
            inputs = ops.cast(inputs, "float32")
        if training and self.trainable:
            mean, variance = self._moments(inputs, mask)
            self._update_moving(self.moving_mean, mean)
            self._update_moving(self.moving_variance, variance)
        else:
            mean = ops.cast(self.moving_mean, inputs.dtype)
            variance = ops.cast(self.moving_variance, inputs.dtype)
        outputs = ops.batch_normalization(
            inputs,
            mean,
            variance,
            axis=self.axis,
            offset=self.beta,
            scale=self.gamma,
            epsilon=self.epsilon,
        )
        return ops.cast(outputs, input_dtype)

    def _moments(self, inputs, mask):
        if mask is None:
            return ops.moments(inputs, axes=self._reduction_axes, synchronized=self.synchronized)
        weights = ops.cast(mask, inputs.dtype)
        while len(weights.shape) < len(inputs.shape):
            weights = ops.expand_dims(weights, -1)
        axes = self._reduction_axes
        count = ops.add(
            ops.sum(ops.multiply(weights, ops.ones_like(inputs)), axis=axes, keepdims=True),
            fuzz_factor(),
        )
        mean = ops.divide(ops.sum(ops.multiply(weights, inputs), axis=axes, keepdims=True), count)
        squares = ops.multiply(weights, ops.square(ops.subtract(inputs, mean)))
        variance = ops.divide(ops.sum(squares, axis=axes, keepdims=True), count)
        return ops.squeeze(mean, axis=axes), ops.squeeze(variance, axis=axes)

    def _update_moving(self, variable, batch_value):
        value = ops.cast(variable, batch_value.dtype)
        updated = ops.add(
            ops.multiply(value, self.momentum), ops.multiply(batch_value, 1.0 - self.momentum)
        )
        variable.assign(ops.cast(updated, variable.dtype))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(affine_config(self))
        config.update(
            {
                "axis": self.axis,
                "momentum": self.momentum,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
                "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
                "moving_variance_initializer": initializers.serialize(
                    self.moving_variance_initializer
                ),
                "synchronized": self.synchronized,
                "renorm": self.renorm,
                "renorm_clipping": self.renorm_clipping,
                "renorm_momentum": self.renorm_momentum,
            }
        )
        return config
