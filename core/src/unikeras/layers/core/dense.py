"""`Dense`: `activation(dot(inputs, kernel) + bias)`."""

from unikeras import activations, constraints, initializers, ops, regularizers
from unikeras.backend import registry
from unikeras.layers.input_spec import InputSpec
from unikeras.layers.layer import Layer


class Dense(Layer):
    """Densely connected layer over the last axis of its input.

    Args:
        units: Output size.
        activation: Activation function or name (`None`: linear).
        use_bias: Whether to add a bias vector.
        kernel_initializer: Initializer of the `(input_dim, units)` kernel.
        bias_initializer: Initializer of the `(units,)` bias.
        kernel_regularizer, bias_regularizer: Optional regularizers.
        activity_regularizer: Optional regularizer on the output.
        kernel_constraint, bias_constraint: Optional constraints.
        lora_rank: Not supported yet (must be `None`).
    """

    def __init__(self, units, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, lora_rank=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(units, int) or units <= 0:
            raise ValueError(f'Layer "{self.name}": `units` must be a positive int. '
                             f"Received: units={units!r}")
        if lora_rank is not None:
            raise NotImplementedError("Dense(lora_rank=...) is not supported yet.")
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(f'Layer "{self.name}": the last dimension of the input must be '
                             f"known. Received input shape {input_shape}")
        self._kernel = self.add_weight(
            shape=(input_dim, self.units), initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
            name="kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.units,), initializer=self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint, name="bias")
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        self.built = True

    @property
    def kernel(self):
        return self._kernel

    def call(self, inputs, training=None):
        if self.bias is None:
            return self.activation(ops.matmul(inputs, self._kernel))
        fused = registry.optional_hook("linear")
        x = None if fused is None else fused(inputs, self._kernel, self.bias)
        if x is None:
            x = ops.add(ops.matmul(inputs, self._kernel), self.bias)
        return self.activation(x)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        config = super().get_config()
        config.update({
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        })
        return config
