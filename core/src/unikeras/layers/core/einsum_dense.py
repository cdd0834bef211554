"""`EinsumDense`: a dense layer whose contraction is any einsum `input,kernel->output`."""

import copy
import math
import re

from unikeras import activations, constraints, initializers, ops, regularizers
from unikeras.layers.core import _lora, _quantize
from unikeras.layers.layer import Layer

_PLAIN = re.compile(r"^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$")
_LEFT_ELIDED = re.compile(r"^\.\.\.([a-zA-Z]+),([a-zA-Z]+)->\.\.\.([a-zA-Z]+)$")
_RIGHT_ELIDED = re.compile(r"^([a-zA-Z]{2,})\.\.\.,([a-zA-Z]+)->([a-zA-Z]{2,})\.\.\.$")


class EinsumDense(Layer):
    """`activation(einsum(equation, inputs, kernel) + bias)`.

    Args:
        equation: `"<input>,<kernel>-><output>"` in einsum notation, optionally with `...`
            at the start (or end) of the input and output specs.
        output_shape: The output shape without the batch axis (an int for rank 2 outputs);
            `None` entries are taken from the input.
        activation: Activation function or name (`None`: linear).
        bias_axes: Letters of the output spec that get a bias (`None`: no bias).
        kernel_initializer: Initializer of the kernel.
        bias_initializer: Initializer of the bias.
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
        gptq_unpacked_column_size: Accepted from Keras 3 GPTQ configs and ignored (it
            follows from the kernel shape). GPTQ and AWQ come from
            `model.quantize("gptq" | "awq", config=...)`.

    Examples:
        >>> layer = keras.layers.EinsumDense(
        ...     "ab,bc->ac", output_shape=2, bias_axes="c", kernel_initializer="ones"
        ... )
        >>> layer(np.array([[1.0, 2.0, 3.0]], "float32"))  # a Dense layer: 1 + 2 + 3
        array([[6., 6.]], dtype=float32)
        >>> layer = keras.layers.EinsumDense("abc,cd->abd", output_shape=(None, 4))
        >>> layer(np.zeros((2, 5, 3), "float32")).shape  # None: the input's 5
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
        equation,
        output_shape,
        activation=None,
        bias_axes=None,
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
        gptq_unpacked_column_size=None,
        **kwargs,
    ):
        # `gptq_unpacked_column_size`: written by Keras 3 in GPTQ configs; it follows from
        # the kernel shape, so it is accepted and recomputed at build time.
        del gptq_unpacked_column_size
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.quantization_config = quantization_config
        _lora.init_lora(self, lora_rank, lora_alpha)
        self.equation = equation
        self.partial_output_shape = (
            (output_shape,) if isinstance(output_shape, int) else tuple(output_shape)
        )
        self.activation = activations.get(activation)
        self.bias_axes = bias_axes
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.full_output_shape = None

    def _fan_axes_initializer(self):
        """The kernel initializer; a `VarianceScaling` one (glorot, he, lecun, ...) without
        its own `input_axes`/`output_axes` gets the equation's: the kernel axes that appear
        in the output are output units, the others input units. So a `"abc,cde->abde"`
        kernel of shape (32, 2, 32) has fans 32 and 64, as in Keras 3 (not the
        convolution-style fans of a rank-3 shape)."""
        initializer = self.kernel_initializer
        if not isinstance(initializer, initializers.VarianceScaling) or (
            initializer.input_axes is not None and initializer.output_axes is not None
        ):
            return initializer
        _, kernel_labels, output_labels = self._labels
        initializer = copy.copy(initializer)  # the same seed, the layer's config unchanged
        initializer.output_axes = [i for i, c in enumerate(kernel_labels) if c in output_labels]
        initializer.input_axes = [i for i, c in enumerate(kernel_labels) if c not in output_labels]
        return initializer

    def build(self, input_shape):
        kernel_shape, bias_shape, self.full_output_shape = analyze_einsum(
            self.name, self.equation, self.bias_axes, tuple(input_shape), self.partial_output_shape
        )
        self._labels = _einsum_labels(self.equation, len(input_shape))
        mode = self.quantization_mode
        if mode == "float8":
            _quantize.build_float8(self)
        if mode in ("int8", "int4"):
            self._quantized_build(kernel_shape, mode, self.quantization_config)
        elif mode in ("gptq", "awq"):
            self._gptq_build(kernel_shape)
        else:
            if mode is not None:
                _quantize.check_mode(self, mode, ("int8", "int4", "float8", "gptq", "awq"))
            self._kernel = self.add_weight(
                shape=kernel_shape,
                initializer=self._fan_axes_initializer(),
                regularizer=self.kernel_regularizer,
                constraint=self.kernel_constraint,
                name="kernel",
            )
        self.bias = None
        if bias_shape is not None:
            self.bias = self.add_weight(
                shape=bias_shape,
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )
        self.built = True
        if self.lora_rank:
            self.enable_lora(self.lora_rank, lora_alpha=self.lora_alpha)

    @property
    def kernel(self):
        """The kernel: the `kernel` variable, or with LoRA enabled the tensor
        `kernel + (lora_alpha / lora_rank) * lora_kernel_a @ lora_kernel_b`. A quantized
        layer returns its integer kernel (int4 unpacked and reshaped to the float kernel's
        shape, as Keras 3)."""
        mode = self.quantization_mode if self.built else None
        if mode in ("gptq", "awq"):  # (columns, rows) integers of the 2-D matrix, as Keras 3
            if _quantize.policy(self).weight_bits == 4:
                return _quantize.unpack_gptq(self.quantized_kernel, self._gptq_columns)
            return self.quantized_kernel
        if mode == "int8":
            return self._kernel
        if mode == "int4":
            unpacked = _quantize.unpack(self._kernel, self._orig_output_dim)
            return ops.reshape(unpacked, self.original_kernel_shape)
        return _lora.merged(self, "_kernel", "kernel")

    @property
    def quantization_mode(self):
        """The quantization mode of the layer's dtype policy (`None`, `"int8"`, ...)."""
        return _quantize.quantization_mode(self)

    def _int4_matrix_shape(self, kernel_shape):
        """`(rows, columns)` of the int4 kernel as Keras 3 stores it: the kernel reshaped
        (not transposed) to the product of its contracted dims by the product of the
        others."""
        _, weight, outputs = self._labels
        rows = columns = 1
        for c, dim in zip(weight, kernel_shape):
            if c in outputs:
                columns *= int(dim)
            else:
                rows *= int(dim)
        return rows, columns

    def _gptq_matrix_shape(self, kernel_shape):
        """`(rows, columns)` of the 2-D matrix GPTQ and AWQ quantize, split as Keras 3 does
        it: a 2-D kernel as is; a 3-D kernel `(d_model, heads, head_dim)` (its largest dim
        first) as `(d_model, heads * head_dim)`, else `(heads * head_dim, d_model)`. The
        split must put the contracted dims first, as the trailing axes of the input.

        Raises:
            ValueError: for kernels of other ranks, or whose contracted dims are not the
                rows of that split.
        """
        shape = [int(d) for d in kernel_shape]
        inputs, weight, outputs = self._labels
        if len(shape) == 2:
            split = 1
        elif len(shape) == 3:
            split = 1 if shape.index(max(shape)) == 0 else 2
        else:
            raise ValueError(
                f'Layer "{self.name}": GPTQ/AWQ quantize EinsumDense kernels of rank 2 or 3 '
                f"(as Keras 3); received kernel shape {tuple(shape)} "
                f"(equation {self.equation!r})."
            )
        contracted = "".join(c for c in weight if c not in outputs)
        if weight[:split] != contracted or not inputs.endswith(contracted):
            raise ValueError(
                f'Layer "{self.name}": GPTQ/AWQ reshape the kernel {tuple(shape)} to 2-D as '
                f"Keras 3 does (rows: its first {split} dim(s)), which needs the contracted "
                f"dims first in the kernel and last in the input; equation {self.equation!r} "
                f"contracts {contracted!r}."
            )
        rows = 1
        for d in shape[:split]:
            rows *= d
        return rows, math.prod(shape) // rows

    def _gptq_build(self, kernel_shape):
        """Keras 3's GPTQ/AWQ variables of the kernel reshaped to `(rows, columns)` (see
        `_gptq_matrix_shape` and `_quantize.build_gptq`; `kernel_zero` is named
        `"zero_point"`, as Keras 3 names it in EinsumDense)."""
        self.original_kernel_shape = tuple(int(d) for d in kernel_shape)
        rows, self._gptq_columns = self._gptq_matrix_shape(kernel_shape)
        _quantize.build_gptq(self, (rows, self._gptq_columns), zero_name="zero_point")
        self._is_quantized = True

    def _gptq_float_matrix(self):
        """The float kernel as the `(rows, columns)` NumPy matrix GPTQ/AWQ quantize."""
        matrix = self._gptq_matrix_shape(self._kernel.shape)
        return ops.convert_to_numpy(self._kernel).reshape(matrix)

    def _apply_gptq(self, config, values):
        """Replaces the float kernel by GPTQ or AWQ `values` (`gptq_quantize` /
        `awq_quantize` output for `_gptq_float_matrix()`) and switches the policy to
        `"gptq/<bits>/<group>_from_<source>"` (or `"awq/4/<group>_from_<source>"`)."""
        shape = tuple(int(d) for d in self._kernel.shape)
        _quantize.drop_variable(self, self._kernel)
        del self._kernel
        self.quantization_config = config
        self.dtype_policy = f"{config.dtype_policy_string()}_from_{_quantize.policy(self).name}"
        self._gptq_build(shape)
        _quantize.assign_gptq(self, values)

    def _quantized_build(self, kernel_shape, mode, config):
        inputs, weight, outputs = self._labels
        self.inputs_quantizer = _quantize.inputs_quantizer(config, mode)
        if mode == "int4":
            self.original_kernel_shape = tuple(int(d) for d in kernel_shape)
            matrix = self._int4_matrix_shape(kernel_shape)
            self._kernel = _quantize.build_matrix(self, "kernel", matrix, mode, 0)
            self._is_quantized = True
            return
        self._kernel = _quantize.add(self, "kernel", kernel_shape, dtype="int8")
        scale_shape = [kernel_shape[weight.index(c)] if c in weight else 1 for c in outputs]
        self.kernel_scale = _quantize.add(self, "kernel_scale", scale_shape, initializer="ones")
        self._is_quantized = True

    def quantize(self, mode=None, type_check=True, config=None):
        """Quantizes the kernel in place (Keras 3's post-training quantization).

        int8: one abs-max scale per output channel (the kernel reduced over its contracted
        axes, stored broadcastable to the output), and inputs quantized over their
        contracted axes at call time. int4: the kernel reshaped to `(rows, columns)`
        (contracted dims by the others), quantized per column (abs-max, `[-8, 7]`) or in
        blocks of `block_size` rows with a zero point, packed two values per byte along
        the columns.

        Args:
            mode: `"int8"`, `"int4"` or `"float8"`.
            type_check: Refuse subclasses.
            config: Optional `keras.quantizers.QuantizationConfig` (default: the mode's).
        """
        if type_check and type(self) is not EinsumDense:
            raise NotImplementedError(
                f"Layer {type(self).__name__} does not have a `quantize()` method implemented."
            )
        mode, config = _quantize.resolve(self, mode, config, ("int8", "int4", "float8"))
        if mode == "float8":
            self.quantization_config = config
            _quantize.set_policy(self, mode, config)
            _quantize.build_float8(self)
            return
        if mode == "int4":
            shape = tuple(int(d) for d in self._kernel.shape)
            flat = ops.reshape(self._kernel, self._int4_matrix_shape(shape))
            values = _quantize.quantize_matrix(self, flat, mode, config, 0)
            self.quantization_config = config
            _quantize.drop_variable(self, self._kernel)
            del self._kernel
            _quantize.set_policy(self, mode, config)
            self._quantized_build(shape, mode, config)
            self._assign_int4(values)
            return
        from unikeras.quantizers import AbsMaxQuantizer
        from unikeras.quantizers.quantization_config import QuantizationConfig

        inputs, weight, outputs = self._labels
        reduced = tuple(i for i, c in enumerate(weight) if c not in outputs)
        quantizer = QuantizationConfig.weight_quantizer_or_default(
            config, AbsMaxQuantizer(axis=reduced)
        )
        value, scale = quantizer(self._kernel, to_numpy=True)
        scale = _relayout(scale, weight, outputs)
        self.quantization_config = config
        shape = tuple(self._kernel.shape)
        _quantize.drop_variable(self, self._kernel)
        del self._kernel
        _quantize.set_policy(self, mode, config)
        self._quantized_build(shape, mode, config)
        self._kernel.assign(value)
        self.kernel_scale.assign(scale)

    def _assign_int4(self, values):
        self._kernel.assign(values["value"])
        self.kernel_scale.assign(values["scale"])
        if values["zero"] is not None:
            self.kernel_zero.assign(values["zero"])

    def _dequantized_kernel(self, kernel, dtype):
        if self.quantization_mode in ("gptq", "awq"):
            flat = _quantize.gptq_kernel(self, self._gptq_columns)
            return ops.reshape(ops.cast(flat, dtype), self.original_kernel_shape)
        if self.quantization_mode == "int4":
            flat = _quantize.dequantize_matrix(self, "kernel", kernel, 0, dtype)
            return ops.reshape(flat, self.original_kernel_shape)
        _, weight, outputs = self._labels
        scale = _relayout(ops.cast(self.kernel_scale, dtype), outputs, weight)
        return ops.divide(ops.cast(kernel, dtype), scale)

    def _quantized_einsum(self, inputs):
        inputs_spec, weight, outputs = self._labels
        equation = f"{inputs_spec},{weight}->{outputs}"
        grad_equation = f"{outputs},{weight}->{inputs_spec}"
        compute = self.compute_dtype
        quantizer = self.inputs_quantizer
        mode = self.quantization_mode
        if mode == "int4" and self._int4_block_size is not None:
            quantizer = None  # grouped int4 is weight-only (as Keras 3)
        reduced = tuple(i for i, c in enumerate(inputs_spec) if c not in outputs)

        @ops.custom_gradient
        def forward(x, kernel):
            def grad_fn(*args, upstream=None):
                if upstream is None:
                    (upstream,) = args
                w = self._dequantized_kernel(kernel, compute)
                return ops.einsum(grad_equation, upstream, w), None

            if quantizer is None:
                w = self._dequantized_kernel(kernel, compute)
                return ops.einsum(equation, ops.cast(x, compute), w), grad_fn
            xq, x_scale = quantizer(x, axis=reduced)
            x_scale = _relayout(ops.cast(x_scale, compute), inputs_spec, outputs)
            if mode == "int4":  # quantized inputs times the dequantized kernel (Keras 3)
                w = self._dequantized_kernel(kernel, compute)
                y = ops.einsum(equation, ops.cast(xq, compute), w)
                return ops.divide(y, x_scale), grad_fn
            y = ops.einsum(equation, ops.cast(xq, "float32"), ops.cast(kernel, "float32"))
            scale = ops.multiply(x_scale, ops.cast(self.kernel_scale, compute))
            return ops.divide(ops.cast(y, compute), scale), grad_fn

        return forward(inputs, ops.convert_to_tensor(self._kernel))

    def enable_lora(self, rank, lora_alpha=None, a_initializer="he_uniform", b_initializer="zeros"):
        """Freezes the kernel and adds trainable `lora_kernel_a`
        (`kernel.shape[:-1] + (rank,)`) and `lora_kernel_b` (`(rank, kernel.shape[-1])`): the
        layer then uses `kernel + (lora_alpha / rank) * lora_kernel_a @ lora_kernel_b`.

        Args:
            rank: Rank of the update (a positive int).
            lora_alpha: Scale numerator of the update (default: `rank`).
            a_initializer: Initializer of `lora_kernel_a`.
            b_initializer: Initializer of `lora_kernel_b` (zeros: the layer's output is
                unchanged until it trains).

        Raises:
            ValueError: when the layer has a `kernel_constraint`, is not built, or has LoRA
                enabled already.
            NotImplementedError: for a GPTQ or AWQ layer (as Keras 3).
        """
        if self.built and self.quantization_mode in ("gptq", "awq"):
            raise NotImplementedError(
                f'Layer "{self.name}": LoRA is not supported with '
                f"{self.quantization_mode.upper()} quantization (as Keras 3)."
            )
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
        """Saves `kernel` (with LoRA enabled: the merged kernel) and `bias` (then a quantized
        layer's `kernel_scale`), as Keras 3."""
        mode = self.quantization_mode if self.built else None
        if mode is None:
            _lora.save(self, store, "_kernel", "kernel")
            return
        if mode in ("gptq", "awq"):
            _quantize.save_spec(self, store, self._SPEC[mode])
            return
        entries = {}
        if mode == "float8" and self.lora_enabled:
            entries = {"_kernel": ops.cast(self.kernel, self._kernel.dtype)}
        if self.lora_enabled and mode == "int4":
            merged = ops.add(
                self._dequantized_kernel(self._kernel, "float32"), _lora._delta(self, "kernel")
            )
            flat = ops.reshape(merged, self._int4_matrix_shape(self.original_kernel_shape))
            values = _quantize.quantize_matrix(self, flat, mode, None, 0)
            entries = {
                "_kernel": values["value"],
                "kernel_scale": values["scale"],
                "kernel_zero": values["zero"],
            }
        if self.lora_enabled and mode == "int8":
            _, weight, outputs = self._labels
            merged = ops.add(
                self._dequantized_kernel(self._kernel, "float32"), _lora._delta(self, "kernel")
            )
            reduced = tuple(i for i, c in enumerate(weight) if c not in outputs)
            from unikeras.quantizers import abs_max_quantize

            value, scale = abs_max_quantize(merged, reduced, to_numpy=True)
            entries = {"_kernel": value, "kernel_scale": _relayout(scale, weight, outputs)}
        _quantize.save_spec(_quantize.Entries(self, entries), store, self._SPEC[mode])

    def load_own_variables(self, store):
        """Loads `kernel` and `bias` (and a quantized layer's `kernel_scale`); with LoRA
        enabled the kernel goes into the frozen base kernel and the LoRA factors are reset to
        zeros, as Keras 3."""
        mode = self.quantization_mode if self.built else None
        if mode is None:
            super().load_own_variables(_lora.checked_store(self, store, "_kernel"))
        elif mode in ("gptq", "awq"):
            _quantize.load_gptq(self, store, self._SPEC[mode])
        else:
            _quantize.load_spec(self, store, self._SPEC[mode])
        _lora.reset(self)

    def call(self, inputs, training=None):
        if self.quantization_mode == "float8":
            return self._float8_call(inputs, training)
        if self.quantization_mode in ("gptq", "awq"):
            kernel = self._dequantized_kernel(None, self.compute_dtype)
            x = ops.einsum(self.equation, inputs, kernel)
            if self.bias is not None:
                x = ops.add(x, self.bias)
            return self.activation(x)
        if self.quantization_mode is not None:
            x = self._quantized_einsum(inputs)
            if self.lora_enabled:
                inputs_spec, weight, outputs = self._labels
                a, b = self.lora_kernel_a, self.lora_kernel_b
                lora = ops.einsum(
                    f"{inputs_spec},{weight}->{outputs}", ops.cast(inputs, a.dtype), a
                )
                lora = ops.multiply(ops.matmul(lora, b), self.lora_alpha / self.lora_rank)
                x = ops.add(x, ops.cast(lora, x.dtype))
            if self.bias is not None:
                x = ops.add(x, self.bias)
            return self.activation(x)
        x = ops.einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            x = ops.add(x, self.bias)
        return self.activation(x)

    def _float8_call(self, inputs, training):
        if self.lora_enabled:
            raise NotImplementedError(
                f'Layer "{self.name}": float8 training does not support LoRA (as Keras 3).'
            )
        q = _quantize
        x = ops.einsum(
            self.equation,
            q.float8_qdq(self, inputs, self.inputs_scale, self.inputs_amax_history, training),
            q.float8_qdq(self, self._kernel, self.kernel_scale, self.kernel_amax_history, training),
        )
        x = q.float8_grad_qdq(self, x, self.outputs_grad_scale, self.outputs_grad_amax_history)
        if self.bias is not None:
            x = ops.add(x, q.float8_bias(self, self.bias))
        return self.activation(x)

    def compute_output_shape(self, input_shape):
        return analyze_einsum(
            self.name, self.equation, self.bias_axes, tuple(input_shape), self.partial_output_shape
        )[2]

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "equation": self.equation,
                "output_shape": list(self.partial_output_shape),
                "activation": activations.serialize(self.activation),
                "bias_axes": self.bias_axes,
            }
        )
        config.update(kernel_bias_config(self))
        config.update(_lora.lora_config(self))
        if self.built and self.quantization_mode == "gptq":  # as Keras 3 writes it
            config["gptq_unpacked_column_size"] = self._gptq_columns
        return _quantize.config_entry(self, config)

    @classmethod
    def from_config(cls, config):
        return super().from_config(_quantize.from_config_entry(config))


def _einsum_labels(equation, ndim):
    """`(input, kernel, output)` label strings of `equation` with any `...` replaced by
    explicit labels for inputs of rank `ndim`."""
    eq = equation.replace(" ", "")
    for pattern, side in ((_PLAIN, None), (_LEFT_ELIDED, "left"), (_RIGHT_ELIDED, "right")):
        match = pattern.match(eq)
        if match:
            inputs, weight, outputs = match.groups()
            break
    else:
        raise ValueError(f"Invalid einsum equation {equation!r}.")
    if side is not None:
        free = [
            c
            for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            if c not in inputs + weight + outputs
        ]
        extra = "".join(free[: ndim - len(inputs)])
        if side == "left":
            inputs, outputs = extra + inputs, extra + outputs
        else:
            inputs, outputs = inputs + extra, outputs + extra
    return inputs, weight, outputs


def _relayout(tensor, src, dst):
    """Moves the axes of `tensor` (labelled `src`) to the layout `dst`: axes of labels
    missing from `dst` (size 1) are dropped, the others transposed into `dst`'s order, and
    size-1 axes inserted for labels of `dst` missing from `src`."""
    tensor = ops.convert_to_tensor(tensor)
    drop = tuple(i for i, c in enumerate(src) if c not in dst)
    if drop:
        tensor = ops.squeeze(tensor, axis=drop)
    kept = [c for c in src if c in dst]
    order = [kept.index(c) for c in dst if c in kept]
    if order != list(range(len(order))):
        tensor = ops.transpose(tensor, order)
    for i, c in enumerate(dst):
        if c not in src:
            tensor = ops.expand_dims(tensor, i)
    return tensor


def kernel_bias_config(layer):
    """The serialized `kernel_*`, `bias_*` and `activity_regularizer` arguments of `layer`."""
    return {
        "kernel_initializer": initializers.serialize(layer.kernel_initializer),
        "bias_initializer": initializers.serialize(layer.bias_initializer),
        "kernel_regularizer": regularizers.serialize(layer.kernel_regularizer),
        "bias_regularizer": regularizers.serialize(layer.bias_regularizer),
        "activity_regularizer": regularizers.serialize(layer.activity_regularizer),
        "kernel_constraint": constraints.serialize(layer.kernel_constraint),
        "bias_constraint": constraints.serialize(layer.bias_constraint),
    }


def analyze_einsum(layer_name, equation, bias_axes, input_shape, output_shape):
    """Returns `(kernel_shape, bias_shape or None, full_output_shape)` of an `EinsumDense`
    with `equation` on inputs of `input_shape` (`output_shape` excludes the batch axis)."""
    for pattern, elided_side in ((_PLAIN, None), (_LEFT_ELIDED, "left"), (_RIGHT_ELIDED, "right")):
        match = pattern.match(equation.replace(" ", ""))
        if match:
            return _analyze_specs(
                layer_name, match.groups(), elided_side, bias_axes, input_shape, output_shape
            )
    raise ValueError(
        f'Layer "{layer_name}": invalid einsum equation {equation!r}. Equations must be in '
        "the form [X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]...."
    )


def _analyze_specs(layer_name, specs, elided_side, bias_axes, input_shape, output_shape):
    input_spec, weight_spec, output_spec = specs
    elided = len(input_shape) - len(input_spec)
    output_shape = [input_shape[0]] + list(output_shape)
    if elided > 0 and elided_side == "left":
        output_shape[1:1] = input_shape[1:elided]
    elif elided > 0 and elided_side == "right":
        output_shape.extend(input_shape[len(input_shape) - elided :])
    if elided_side == "left":
        input_axis = {d: i + elided - len(input_shape) for i, d in enumerate(input_spec)}
        output_axis = {d: i + elided - len(output_shape) for i, d in enumerate(output_spec)}
    else:
        input_axis = {d: i for i, d in enumerate(input_spec)}
        output_axis = {d: i for i, d in enumerate(output_spec)}
    if len(output_shape) != len(output_spec) + max(elided, 0) or elided < 0:
        raise ValueError(
            f'Layer "{layer_name}": the equation input spec {input_spec!r} and output spec '
            f"{output_spec!r} do not match input shape {tuple(input_shape)} and output shape "
            f"{tuple(output_shape[1:])}."
        )
    for dim, axis in input_axis.items():
        if dim in output_axis:
            size = output_shape[output_axis[dim]]
            if size is None or size == input_shape[axis]:
                output_shape[output_axis[dim]] = input_shape[axis]
            else:
                raise ValueError(
                    f'Layer "{layer_name}": input shape {tuple(input_shape)} and output shape '
                    f"{tuple(output_shape[1:])} differ on dimension {dim!r}: "
                    f"{input_shape[axis]} != {size}."
                )
    for dim in output_spec:
        if dim not in input_spec and dim not in weight_spec:
            raise ValueError(
                f'Layer "{layer_name}": dimension {dim!r} of the output spec {output_spec!r} '
                f"is neither in the input spec {input_spec!r} nor in the weight spec "
                f"{weight_spec!r}."
            )
    kernel_shape = []
    for dim in weight_spec:
        if dim in input_axis:
            kernel_shape.append(input_shape[input_axis[dim]])
        elif dim in output_axis:
            kernel_shape.append(output_shape[output_axis[dim]])
        else:
            raise ValueError(
                f'Layer "{layer_name}": weight dimension {dim!r} is neither in the input spec '
                f"{input_spec!r} nor in the output spec {output_spec!r}."
            )
    return (
        tuple(kernel_shape),
        _bias_shape(
            layer_name, bias_axes, output_spec, output_axis, output_shape, elided, elided_side
        ),
        tuple(output_shape),
    )


def _bias_shape(layer_name, bias_axes, output_spec, output_axis, output_shape, elided, elided_side):
    if bias_axes is None:
        return None
    for char in bias_axes:
        if char not in output_spec:
            raise ValueError(
                f'Layer "{layer_name}": bias dimension {char!r} was requested, but is not '
                f"part of the output spec {output_spec!r}."
            )
    first = min(output_spec.find(char) for char in bias_axes)
    shape = [output_shape[output_axis[c]] if c in bias_axes else 1 for c in output_spec[first:]]
    if elided_side != "left":
        shape.extend([1] * max(elided, 0))
    return tuple(shape)
