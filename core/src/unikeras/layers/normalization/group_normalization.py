"""`GroupNormalization`: normalizes each sample over groups of channels."""

from unikeras import ops
from unikeras.layers.input_spec import InputSpec
from unikeras.layers.layer import Layer
from unikeras.layers.normalization.affine import affine_config, set_affine_arguments


class GroupNormalization(Layer):
    """Splits the channels (`axis`) into `groups` and normalizes each group of each sample
    over its channels and all other non-batch axes, then applies per-channel `gamma`, `beta`.

    Args:
        groups: Number of groups; divides the number of channels (`-1`: one per channel).
        axis: The channel axis.
        epsilon: Added to the variance to avoid dividing by zero.
        center: Whether to add the learned offset `beta`.
        scale: Whether to multiply by the learned scale `gamma`.
        beta_initializer: Initializer of `beta`.
        gamma_initializer: Initializer of `gamma`.
        beta_regularizer: Regularizer of `beta`.
        gamma_regularizer: Regularizer of `gamma`.
        beta_constraint: Constraint of `beta`.
        gamma_constraint: Constraint of `gamma`.

    Examples:
        >>> layer = keras.layers.GroupNormalization(groups=2)
        >>> y = layer(np.array([[1.0, 3.0, 10.0, 30.0]], "float32"))  # groups [1, 3], [10, 30]
        >>> np.round(np.asarray(y), 2)
        array([[-1.,  1., -1.,  1.]], dtype=float32)
    """

    def __init__(
        self,
        groups=32,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        set_affine_arguments(
            self,
            beta_initializer=beta_initializer,
            gamma_initializer=gamma_initializer,
            beta_regularizer=beta_regularizer,
            gamma_regularizer=gamma_regularizer,
            beta_constraint=beta_constraint,
            gamma_constraint=gamma_constraint,
        )

    def build(self, input_shape):
        axis = self.axis % len(input_shape)
        dim = input_shape[axis]
        if dim is None:
            raise ValueError(
                f'Layer "{self.name}": axis {self.axis} of the input must have a '
                f"known size. Received input shape {tuple(input_shape)}"
            )
        if self.groups == -1:
            self.groups = dim
        if dim < self.groups:
            raise ValueError(
                f'Layer "{self.name}": number of groups ({self.groups}) cannot be '
                f"more than the number of channels ({dim})."
            )
        if dim % self.groups:
            raise ValueError(
                f'Layer "{self.name}": number of groups ({self.groups}) must '
                f"divide the number of channels ({dim})."
            )
        self.input_spec = InputSpec(ndim=len(input_shape), axes={axis: dim})
        self.gamma = (
            self.add_weight(
                shape=(dim,),
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                name="gamma",
            )
            if self.scale
            else None
        )
        self.beta = (
            self.add_weight(
                shape=(dim,),
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                name="beta",
            )
            if self.center
            else None
        )
        self.built = True

    def call(self, inputs):
        rank = len(inputs.shape)
        axis = self.axis % rank
        shape = ops.shape(inputs)
        grouped_shape = list(shape)
        grouped_shape[axis : axis + 1] = [self.groups, shape[axis] // self.groups]
        grouped = ops.reshape(inputs, grouped_shape)
        reduce_axes = [i for i in range(1, rank + 1) if i != axis]
        mean, variance = ops.moments(grouped, axes=reduce_axes, keepdims=True)
        inv = ops.rsqrt(ops.add(variance, self.epsilon))
        normalized = ops.reshape(ops.multiply(ops.subtract(grouped, mean), inv), shape)
        weight_shape = [1] * rank
        weight_shape[axis] = shape[axis]
        if self.gamma is not None:
            normalized = ops.multiply(normalized, ops.reshape(self.gamma, weight_shape))
        if self.beta is not None:
            normalized = ops.add(normalized, ops.reshape(self.beta, weight_shape))
        return ops.cast(normalized, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(affine_config(self))
        config.update(
            {
                "groups": self.groups,
                "axis": self.axis,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
            }
        )
        return config
