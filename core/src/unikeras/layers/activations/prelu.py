"""`PReLU`: leaky ReLU with a learned slope per input entry (or shared over axes)."""

from unikeras import constraints, initializers, ops, regularizers
from unikeras.layers.activations.elementwise import ElementwiseActivation
from unikeras.layers.input_spec import InputSpec


class PReLU(ElementwiseActivation):
    """`x` if `x >= 0` else `alpha * x`, with `alpha` a weight of the input's shape (without
    the batch axis), of size 1 along `shared_axes`.

    Args:
        alpha_initializer: Initializer of the `alpha` weight (default zeros).
        alpha_regularizer: Optional regularizer of `alpha`.
        alpha_constraint: Optional constraint of `alpha`.
        shared_axes: Axes (1-based, the batch axis being 0) along which `alpha` is shared.

    Examples:
        >>> layer = keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(0.5))
        >>> layer(np.array([[-2.0, 3.0]], 'float32'))
        array([[-1.,  3.]], dtype=float32)
    """

    def __init__(
        self,
        alpha_initializer="Zeros",
        alpha_regularizer=None,
        alpha_constraint=None,
        shared_axes=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.built = False
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, (list, tuple)):
            self.shared_axes = list(shared_axes)
        else:
            self.shared_axes = [shared_axes]

    def build(self, input_shape):
        shared = {a % len(input_shape) for a in self.shared_axes or ()}
        if 0 in shared:
            raise ValueError(
                f'Layer "{self.name}": `shared_axes` cannot contain the batch '
                f"axis 0. Received: shared_axes={self.shared_axes}"
            )
        param_shape = [1 if i in shared else d for i, d in enumerate(input_shape)][1:]
        if None in param_shape:
            raise ValueError(
                f'Layer "{self.name}": the non-shared axes must have known sizes. '
                f"Received input shape {tuple(input_shape)}"
            )
        self.alpha = self.add_weight(
            shape=param_shape,
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint,
            name="alpha",
        )
        self.input_spec = InputSpec(
            ndim=len(input_shape),
            axes={i: d for i, d in enumerate(input_shape) if i and i not in shared},
        )
        self.built = True

    def call(self, inputs):
        positive = ops.relu(inputs)
        negative = ops.multiply(ops.negative(self.alpha), ops.relu(ops.negative(inputs)))
        return ops.add(positive, negative)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "alpha_initializer": initializers.serialize(self.alpha_initializer),
                "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
                "alpha_constraint": constraints.serialize(self.alpha_constraint),
                "shared_axes": self.shared_axes,
            }
        )
        return config
