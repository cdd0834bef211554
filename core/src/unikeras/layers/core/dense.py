"""`Dense`: `activation(dot(inputs, kernel) + bias)`."""

from unikeras import activations, constraints, initializers, ops, regularizers
from unikeras.backend import registry
from unikeras.layers.core import _lora, _quantize
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
        kernel_regularizer: Optional regularizer of the kernel.
        bias_regularizer: Optional regularizer of the bias.
        activity_regularizer: Optional regularizer on the output.
        kernel_constraint: Optional constraint of the kernel.
        bias_constraint: Optional constraint of the bias.
        lora_rank: Optional int: when set, `build` calls `enable_lora(lora_rank,
            lora_alpha)`, so the kernel freezes and a rank-`lora_rank` update trains.
        lora_alpha: Optional scale numerator of the LoRA update (the update is scaled by
            `lora_alpha / lora_rank`; default: `lora_rank`, i.e. a scale of 1).
        quantization_config: Optional `keras.quantizers.QuantizationConfig` of a layer
            built quantized (its `dtype` a quantized policy such as `"int8_from_float32"`).

    Examples:
        >>> layer = keras.layers.Dense(2, kernel_initializer="ones", bias_initializer="ones")
        >>> layer(np.array([[1.0, 2.0, 3.0]], "float32"))  # 1 + 2 + 3 + 1
        array([[7., 7.]], dtype=float32)
        >>> keras.layers.Dense(4)(np.zeros((2, 5, 3), "float32")).shape  # last axis only
        (2, 5, 4)
    """

    _SPEC = {
        None: ("_kernel", "bias"),
        "int8": ("_kernel", "bias", "kernel_scale"),
        "int4": ("_kernel", "bias", "kernel_scale", "kernel_zero", "g_idx"),
        "float8": ("_kernel", "bias") + _quantize.FLOAT8_VARIABLES,
        "gptq": ("bias", "quantized_kernel", "kernel_scale", "kernel_zero", "g_idx"),
        "awq": ("bias", "quantized_kernel", "kernel_scale", "kernel_zero", "awq_scales", "g_idx"),
    }

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
        quantization_config=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.quantization_config = quantization_config
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
        mode = self.quantization_mode
        if mode == "float8":
            _quantize.build_float8(self)
        if mode in ("int8", "int4"):
            self._quantized_build((input_dim, self.units), mode, self.quantization_config)
        elif mode in ("gptq", "awq"):
            self._gptq_build((input_dim, self.units))
        else:
            if mode is not None:
                _quantize.check_mode(self, mode, ("int8", "int4", "float8", "gptq", "awq"))
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
        `kernel + (lora_alpha / lora_rank) * lora_kernel_a @ lora_kernel_b`. A quantized
        layer returns its integer kernel (int4 unpacked to `(input_dim, units)`)."""
        mode = self.quantization_mode if self.built else None
        if mode in (None, "float8"):
            return _lora.merged(self, "_kernel", "kernel")
        if mode in ("gptq", "awq"):  # (units, input_dim) integers, as Keras 3
            if _quantize.policy(self).weight_bits == 4:
                return _quantize.unpack_gptq(self.quantized_kernel, self.units)
            return self.quantized_kernel
        if mode == "int4":
            return _quantize.unpack(self._kernel, self._orig_output_dim)
        return self._kernel

    @property
    def quantization_mode(self):
        """The quantization mode of the layer's dtype policy (`None`, `"int8"`, ...)."""
        return _quantize.quantization_mode(self)

    def _quantized_build(self, kernel_shape, mode, config):
        self.inputs_quantizer = _quantize.inputs_quantizer(config, mode)
        self._kernel = _quantize.build_matrix(self, "kernel", kernel_shape, mode, 0)
        self._is_quantized = True

    def _gptq_build(self, kernel_shape):
        """Keras 3's GPTQ variables (see `_quantize.build_gptq`)."""
        _quantize.build_gptq(self, kernel_shape)
        self._is_quantized = True

    def _apply_gptq(self, config, values):
        """Replaces the float kernel by GPTQ or AWQ `values` (`gptq_quantize` /
        `awq_quantize` output) and switches the policy to
        `"gptq/<bits>/<group>_from_<source>"` (or `"awq/4/<group>_from_<source>"`)."""
        _quantize.drop_variable(self, self._kernel)
        del self._kernel
        self.quantization_config = config
        self.dtype_policy = f"{config.dtype_policy_string()}_from_{_quantize.policy(self).name}"
        self._gptq_build(tuple(int(d) for d in (values[0].shape[1], self.units)))
        _quantize.assign_gptq(self, values)

    def quantize(self, mode=None, type_check=True, config=None):
        """Quantizes the kernel in place (Keras 3's post-training quantization).

        Args:
            mode: `"int8"` (per-channel abs-max int8 kernel and per-row int8 inputs) or
                `"int4"` (kernel packed two values per byte, per channel or in blocks).
            type_check: Refuse subclasses (which may use the kernel differently).
            config: Optional `keras.quantizers.QuantizationConfig` (default: the mode's).
        """
        if type_check and type(self) is not Dense:
            raise NotImplementedError(
                f"Layer {type(self).__name__} does not have a `quantize()` method implemented."
            )
        mode, config = _quantize.resolve(self, mode, config, ("int8", "int4", "float8"))
        self.quantization_config = config
        if mode == "float8":
            _quantize.set_policy(self, mode, config)
            _quantize.build_float8(self)
            return
        values = _quantize.quantize_matrix(self, self._kernel, mode, config, 0)
        shape = tuple(self._kernel.shape)
        _quantize.drop_variable(self, self._kernel)
        del self._kernel
        _quantize.set_policy(self, mode, config)
        self._quantized_build(shape, mode, config)
        self._assign_quantized(values)

    def _assign_quantized(self, values):
        self._kernel.assign(values["value"])
        self.kernel_scale.assign(values["scale"])
        if values["zero"] is not None:
            self.kernel_zero.assign(values["zero"])

    def _quantized_values(self):
        """The stored kernel, scale and zero point; with LoRA enabled re-quantized from the
        dequantized kernel plus the LoRA update, as Keras 3 saves them."""
        mode = self.quantization_mode
        if not self.lora_enabled:
            return {
                "value": self._kernel,
                "scale": self.kernel_scale,
                "zero": getattr(self, "kernel_zero", None),
            }
        base = _quantize.dequantize_matrix(self, "kernel", self._kernel, 0, "float32")
        merged = ops.add(base, _lora._delta(self, "kernel"))
        return _quantize.quantize_matrix(self, merged, mode, None, 0)

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
        """Saves `kernel` (with LoRA enabled: the merged kernel) and `bias`, then a quantized
        layer's scales, in Keras 3's order."""
        mode = self.quantization_mode if self.built else None
        if mode in ("gptq", "awq"):
            return _quantize.save_spec(self, store, self._SPEC[mode])
        if mode in (None, "float8"):
            if mode is None:
                return _lora.save(self, store, "_kernel", "kernel")
            kernel = self.kernel if self.lora_enabled else self._kernel
            entries = {"_kernel": ops.cast(kernel, self._kernel.dtype)}
            return _quantize.save_spec(_quantize.Entries(self, entries), store, self._SPEC[mode])
        values = self._quantized_values()
        entries = {"_kernel": values["value"], "kernel_scale": values["scale"]}
        entries["kernel_zero"] = values["zero"]
        _quantize.save_spec(_quantize.Entries(self, entries), store, self._SPEC[mode])

    def load_own_variables(self, store):
        """Loads `kernel` and `bias` (and a quantized layer's scales); with LoRA enabled the
        kernel goes into the frozen base kernel and the LoRA factors are reset to zeros, as
        Keras 3."""
        mode = self.quantization_mode if self.built else None
        if mode is None:
            super().load_own_variables(_lora.checked_store(self, store, "_kernel"))
        elif mode in ("gptq", "awq"):
            _quantize.load_gptq(self, store, self._SPEC[mode])
        else:
            _quantize.load_spec(self, store, self._SPEC[mode])
        _lora.reset(self)

    def call(self, inputs, training=None):
        mode = self.quantization_mode  # read once: a policy lookup on every call
        if mode is None:  # the float layer: the fused `linear` hook where the backend has one
            # (`self.kernel` of a built float layer is the variable itself without LoRA; a
            # subclass's own `kernel` property is honoured)
            kernel = (
                self._kernel
                if not self.lora_enabled and type(self).kernel is Dense.kernel
                else self.kernel
            )
            bias = self.bias
            if bias is None:
                return self.activation(ops.matmul(inputs, kernel))
            fused = registry.optional_hook("linear")
            x = None if fused is None else fused(inputs, kernel, bias)
            if x is None:
                x = ops.add(ops.matmul(inputs, kernel), bias)
            return self.activation(x)
        if mode == "float8":
            return self._float8_call(inputs, training)
        if mode in ("gptq", "awq"):
            x = ops.matmul(inputs, _quantize.gptq_kernel(self, self.units))
            if self.bias is not None:
                x = ops.add(x, self.bias)
            return self.activation(x)
        x = _quantize.matmul(self, inputs, "kernel", self._kernel)
        if self.lora_enabled:
            a, b = self.lora_kernel_a, self.lora_kernel_b
            lora = ops.matmul(ops.matmul(ops.cast(inputs, a.dtype), a), b)
            x = ops.add(x, ops.cast(ops.multiply(lora, self.lora_alpha / self.lora_rank), x.dtype))
        if self.bias is not None:
            x = ops.add(x, self.bias)
        return self.activation(x)

    def _float8_call(self, inputs, training):
        if self.lora_enabled:
            raise NotImplementedError(
                f'Layer "{self.name}": float8 training does not support LoRA (as Keras 3).'
            )
        q = _quantize
        x = ops.matmul(
            q.float8_qdq(self, inputs, self.inputs_scale, self.inputs_amax_history, training),
            q.float8_qdq(self, self._kernel, self.kernel_scale, self.kernel_amax_history, training),
        )
        x = q.float8_grad_qdq(self, x, self.outputs_grad_scale, self.outputs_grad_amax_history)
        if self.bias is not None:
            x = ops.add(x, q.float8_bias(self, self.bias))
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
        return _quantize.config_entry(self, config)

    @classmethod
    def from_config(cls, config):
        return super().from_config(_quantize.from_config_entry(config))
