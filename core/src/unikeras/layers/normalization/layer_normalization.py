"""`LayerNormalization`: normalizes each sample over its feature axes."""

from unikeras import ops
from unikeras.backend import dtypes
from unikeras.layers.layer import Layer
from unikeras.layers.normalization.affine import affine_config, set_affine_arguments


class LayerNormalization(Layer):
    """`(x - mean) / sqrt(variance + epsilon) * gamma + beta`, the statistics taken per
    sample over `axis`.

    Args:
        axis: int or list/tuple of ints, the axes normalized (and the shape of `gamma`/`beta`).
        epsilon: Added to the variance to avoid dividing by zero.
        center: Whether to add the learned offset `beta`.
        scale: Whether to multiply by the learned scale `gamma`.
        rms_scaling: Scale by `gamma / sqrt(variance + epsilon)` without centering (and
            without `beta`), whatever `center` and `scale` say.
        beta_initializer: Initializer of `beta` (default zeros).
        gamma_initializer: Initializer of `gamma` (default ones).
        beta_regularizer: Optional regularizer of `beta`.
        gamma_regularizer: Optional regularizer of `gamma`.
        beta_constraint: Optional constraint of `beta`.
        gamma_constraint: Optional constraint of `gamma`.

    Examples:
        >>> y = keras.layers.LayerNormalization()(np.array([[1.0, 2.0, 3.0]], 'float32'))
        >>> np.round(np.asarray(y), 4)  # zero mean, unit variance over the last axis
        array([[-1.2238,  0.    ,  1.2238]], dtype=float32)
    """

    def __init__(
        self,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        rms_scaling=False,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(
                f'Layer "{self.name}": expected an int or a list/tuple of ints '
                f"for the argument `axis`. Received: axis={axis!r}"
            )
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        # As Keras 3: floating inputs keep their dtype, so mixed precision normalizes a
        # float32 input in float32 and only the output is in the compute dtype.
        self.autocast = False
        set_affine_arguments(
            self,
            beta_initializer=beta_initializer,
            gamma_initializer=gamma_initializer,
            beta_regularizer=beta_regularizer,
            gamma_regularizer=gamma_regularizer,
            beta_constraint=beta_constraint,
            gamma_constraint=gamma_constraint,
        )
        self.supports_masking = True

    def _axes(self, rank):
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        if any(not -rank <= a < rank for a in axes):
            raise ValueError(
                f'Layer "{self.name}": `axis` {self.axis} is out of range for '
                f"inputs of rank {rank}."
            )
        return [a % rank for a in axes]

    def build(self, input_shape):
        shape = tuple(input_shape[a] for a in self._axes(len(input_shape)))
        if None in shape:
            raise ValueError(
                f'Layer "{self.name}": the normalized axes {self.axis} must have '
                f"known sizes. Received input shape {tuple(input_shape)}"
            )
        self.gamma = None
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(
                shape=shape,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                autocast=False,
                name="gamma",
            )
        self.beta = None
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(
                shape=shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                autocast=False,
                name="beta",
            )
        self.built = True

    def call(self, inputs):
        if not dtypes.is_float_dtype(inputs.dtype):
            inputs = ops.cast(inputs, self.compute_dtype)
        outputs = ops.layer_normalization(
            inputs,
            self.gamma,
            self.beta,
            axis=self._axes(len(inputs.shape)),
            epsilon=self.epsilon,
            rms_scaling=self.rms_scaling,
        )
        return ops.cast(outputs, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(affine_config(self))
        config.update(
            {
                "axis": self.axis,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
                "rms_scaling": self.rms_scaling,
            }
        )
        return config
