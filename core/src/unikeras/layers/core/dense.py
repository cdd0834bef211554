"""`Dense`: `activation(dot(inputs, kernel) + bias)`."""

from unikeras import activations, constraints, initializers, ops, regularizers
from unikeras.backend import registry
from unikeras.layers.core import _lora
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
        lora_rank: Optional int: when set, `build` calls `enable_lora(lora_rank,
            lora_alpha)`, so the kernel freezes and a rank-`lora_rank` update trains.
        lora_alpha: Optional scale numerator of the LoRA update (the update is scaled by
            `lora_alpha / lora_rank`; default: `lora_rank`, i.e. a scale of 1).
    """

    def __init__(
        self,
        units,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank=None,
        lora_alpha=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(units, int) or units <= 0:
            raise ValueError(
                f'Layer "{self.name}": `units` must be a positive int. Received: units={units!r}'
            )
        _lora.init_lora(self, lora_rank, lora_alpha)
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
            raise ValueError(
                f'Layer "{self.name}": the last dimension of the input must be '
                f"known. Received input shape {input_shape}"
            )
        self._kernel = self.add_weight(
            shape=(input_dim, self.units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.units,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        self.built = True
        if self.lora_rank:
            self.enable_lora(self.lora_rank, lora_alpha=self.lora_alpha)

    @property
    def kernel(self):
        """The kernel: the `kernel` variable, or with LoRA enabled the tensor
        `kernel + (lora_alpha / lora_rank) * lora_kernel_a @ lora_kernel_b`."""
        return _lora.merged(self, "_kernel", "kernel")

    def enable_lora(self, rank, lora_alpha=None, a_initializer="he_uniform", b_initializer="zeros"):
        """Freezes the kernel and adds trainable `lora_kernel_a` `(input_dim, rank)` and
        `lora_kernel_b` `(rank, units)`: the layer then uses
        `kernel + (lora_alpha / rank) * lora_kernel_a @ lora_kernel_b`.

        Args:
            rank: Rank of the update (a positive int).
            lora_alpha: Scale numerator of the update (default: `rank`).
            a_initializer: Initializer of `lora_kernel_a`.
            b_initializer: Initializer of `lora_kernel_b` (zeros: the layer's output is
                unchanged until it trains).

        Raises:
            ValueError: when the layer has a `kernel_constraint`, is not built, or has LoRA
                enabled already.
        """
        _lora.enable(
            self,
            "_kernel",
            "kernel",
            "kernel_constraint",
            rank,
            lora_alpha,
            a_initializer,
            b_initializer,
        )

    def _saved_variables(self):
        return _lora.saved_variables(self, super()._saved_variables(), "_kernel")

    def save_own_variables(self, store):
        """Saves `kernel` (with LoRA enabled: the merged kernel) and `bias`, as Keras 3."""
        _lora.save(self, store, "_kernel", "kernel")

    def load_own_variables(self, store):
        """Loads `kernel` and `bias`; with LoRA enabled the kernel goes into the frozen base
        kernel and the LoRA factors are reset to zeros, as Keras 3."""
        super().load_own_variables(store)
        _lora.reset(self)

    def call(self, inputs, training=None):
        kernel = self.kernel
        if self.bias is None:
            return self.activation(ops.matmul(inputs, kernel))
        fused = registry.optional_hook("linear")
        x = None if fused is None else fused(inputs, kernel, self.bias)
        if x is None:
            x = ops.add(ops.matmul(inputs, kernel), self.bias)
        return self.activation(x)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
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
            }
        )
        config.update(_lora.lora_config(self))
        return config
