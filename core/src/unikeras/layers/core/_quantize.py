"""Post-training quantization shared by `Dense`, `EinsumDense` and `Embedding`
(`layer.quantize(mode)` and the quantized forward passes), with Keras 3's variables.

- int8: the weight is stored as int8 with one float abs-max scale per output channel
  (`quantized = round(w * scale)`, `w ~ quantized / scale`); `Dense`/`EinsumDense` also
  quantize their inputs per row (abs-max over the contracted axes) and multiply in integers.
- int4: values in `[-8, 7]` packed two per byte along the last axis; per channel (like int8)
  or, with a block size, in groups of `block_size` contracted rows with an int8 zero point
  (`w ~ (quantized - zero) * scale`, `g_idx` giving each row's group).

A quantized layer's `dtype_policy` becomes a `QuantizedDTypePolicy` (`"int8_from_float32"`,
`"int4/128_from_float32"`...), so a saved model rebuilds the quantized variables from its
config and loads the stored values into them.
"""

import math

import numpy as np

from unikeras import dtype_policies, ops

SUPPORTED = ("int8", "int4")
FLOAT8_VARIABLES = (
    "inputs_scale",
    "inputs_amax_history",
    "kernel_scale",
    "kernel_amax_history",
    "outputs_grad_scale",
    "outputs_grad_amax_history",
)


def policy(layer):
    """The layer's own dtype policy (with a `DTypePolicyMap` as its `dtype`: the map's
    policy for the layer's path)."""
    return layer._policy()


def quantization_mode(layer):
    """The layer's quantization mode (from its dtype policy), or None."""
    return layer._policy().quantization_mode


def check_mode(layer, mode, supported=SUPPORTED):
    """Raises a clear error when `layer` cannot run quantization `mode`."""
    if mode not in supported:
        raise NotImplementedError(
            f'Layer "{layer.name}" ({type(layer).__name__}) does not support quantization '
            f"mode={mode!r}. Supported modes: {supported}."
        )


def resolve(layer, mode, config, supported=SUPPORTED):
    """Checks a `quantize(mode, config)` call and returns `(mode, config)` resolved as
    Keras 3 does (`config=None` takes the mode's default config)."""
    from unikeras.quantizers.quantization_config import validate_and_resolve_config

    config = validate_and_resolve_config(mode, config)
    mode = config.mode
    if not layer.built:
        raise ValueError(
            "Cannot quantize a layer that isn't yet built. "
            f"Layer '{layer.name}' (of type '{type(layer).__name__}') is not built yet."
        )
    if quantization_mode(layer) is not None:
        raise ValueError(
            f"Layer '{layer.name}' is already quantized with "
            f"dtype_policy='{policy(layer).name}'. Received: mode={mode}"
        )
    if mode == "int8" and layer.compute_dtype == "float16":
        raise ValueError(
            f"Quantization mode='{mode}' doesn't work well with compute_dtype='float16'. "
            "Consider loading model/layer with another dtype policy such as "
            "'mixed_bfloat16' or 'mixed_float16' before calling `quantize()`."
        )
    check_mode(layer, mode, supported)
    return mode, config


def block_size(layer, config):
    """The int4 block size (None: per channel) from `config` or the layer's policy."""
    from unikeras.quantizers.quantization_config import get_block_size_for_layer

    size = get_block_size_for_layer(layer, config)
    return None if size in (None, -1) else size


def set_policy(layer, mode, config):
    """Switches `layer.dtype_policy` to the quantized policy of `mode` (with a
    `DTypePolicyMap` as the layer's `dtype`: its entry for the layer's path)."""
    name = mode
    if mode == "int4":
        size = block_size(layer, config)
        name = f"int4/{-1 if size is None else size}"
    layer.dtype_policy = dtype_policies.get(f"{name}_from_{policy(layer).name}")


def drop_variable(layer, variable):
    """Removes `variable` from `layer` (the float weight replaced by its quantized form),
    including from an engine's registry of the layer's parameters."""
    layer._own_variables = [v for v in layer._own_variables if v is not variable]
    params = layer.__dict__.get("_parameters")
    if isinstance(params, dict):
        native = getattr(variable, "value", None)
        for key in [k for k, p in params.items() if p is native or p is variable]:
            del params[key]


def add(layer, name, shape, dtype=None, initializer="zeros"):
    """A non-trainable quantization variable of `layer`."""
    return layer.add_weight(
        name=name,
        shape=tuple(int(d) for d in shape),
        initializer=initializer,
        dtype=dtype,
        trainable=False,
    )


def inputs_quantizer(config, mode):
    """The activation quantizer of a layer quantized with `config` (Keras 3's defaults:
    per-row abs-max int8 for int8, none for int4)."""
    from unikeras.quantizers import AbsMaxQuantizer

    if config is not None:
        return config.activation_quantizer
    return AbsMaxQuantizer() if mode == "int8" else None


# --- weight quantization in NumPy ------------------------------------------------------


def quantize_matrix(layer, weight, mode, config, reduce_axis):
    """Quantizes the 2D `weight` along `reduce_axis` (0: scales per column, 1: per row).

    Returns:
        `dict(value=..., scale=..., zero=None | ...)` as NumPy arrays in the layout
        Keras 3 stores (int4 packed along the last axis; grouped scales with the groups on
        `reduce_axis`).
    """
    from unikeras.quantizers import quantizers as q
    from unikeras.quantizers.quantization_config import QuantizationConfig

    w = ops.convert_to_numpy(weight)
    zero = None
    if mode == "int8":
        quantizer = QuantizationConfig.weight_quantizer_or_default(
            config, q.AbsMaxQuantizer(axis=reduce_axis)
        )
        value, scale = quantizer(w, to_numpy=True)
        scale = np.squeeze(ops.convert_to_numpy(scale), axis=reduce_axis)
        return {"value": ops.convert_to_numpy(value), "scale": scale, "zero": None}
    size = block_size(layer, config)
    if size is None:
        quantizer = QuantizationConfig.weight_quantizer_or_default(
            config, q.AbsMaxQuantizer(axis=reduce_axis, value_range=(-8, 7))
        )
        value, scale = quantizer(w, to_numpy=True)
        scale = np.squeeze(ops.convert_to_numpy(scale), axis=reduce_axis)
    else:
        src = w if reduce_axis == 0 else w.T
        value, scale, zero = q.abs_max_quantize_grouped_with_zero_point(
            src, block_size=size, to_numpy=True
        )
        value, scale, zero = (ops.convert_to_numpy(t) for t in (value, scale, zero))
        if reduce_axis != 0:
            value, scale, zero = value.T, scale.T, zero.T
    packed, _, _ = q.pack_int4(np.ascontiguousarray(ops.convert_to_numpy(value)), axis=-1)
    return {"value": ops.convert_to_numpy(packed), "scale": scale, "zero": zero}


def build_matrix(layer, prefix, shape, mode, reduce_axis):
    """Creates the quantized variables of a 2D weight of float `shape`:
    `<prefix>` (int8, packed for int4), `<prefix>_scale` and, for grouped int4,
    `<prefix>_zero` and `g_idx`. Returns the quantized weight variable."""
    rows, cols = shape
    size = block_size(layer, None) if mode == "int4" else None
    if mode == "int4":
        layer._int4_block_size = size
        layer._orig_output_dim = cols
    stored = (rows, (cols + 1) // 2) if mode == "int4" else (rows, cols)
    weight = add(layer, prefix, stored, dtype="int8")
    kept = cols if reduce_axis == 0 else rows
    if size is None:
        scale_shape = (kept,)
    else:
        groups = math.ceil(shape[reduce_axis] / size)
        scale_shape = (groups, kept) if reduce_axis == 0 else (kept, groups)
    setattr(
        layer, f"{prefix}_scale", add(layer, f"{prefix}_scale", scale_shape, initializer="ones")
    )
    if size is not None:
        setattr(layer, f"{prefix}_zero", add(layer, f"{prefix}_zero", scale_shape, dtype="int8"))
        length = shape[reduce_axis]
        g_idx = add(layer, "g_idx", (length,), dtype="float32")
        g_idx.assign(np.floor_divide(np.arange(length, dtype="float32"), size))
        layer.g_idx = g_idx
    return weight


def dequantize_matrix(layer, prefix, weight, reduce_axis, dtype):
    """The float matrix a quantized 2D weight stands for, in `dtype`."""
    mode = quantization_mode(layer)
    value = weight
    if mode == "int4":
        value = unpack(weight, layer._orig_output_dim)
    value = ops.cast(value, dtype)
    scale = ops.cast(getattr(layer, f"{prefix}_scale"), dtype)
    if mode == "int4" and layer._int4_block_size is not None:
        groups = ops.cast(layer.g_idx, "int32")
        group_axis = reduce_axis
        scale = ops.take(scale, groups, axis=group_axis)
        zero = ops.cast(ops.take(getattr(layer, f"{prefix}_zero"), groups, axis=group_axis), dtype)
        return ops.multiply(ops.subtract(value, zero), scale)
    if reduce_axis == 1:
        scale = ops.expand_dims(scale, -1)
    return ops.divide(value, scale)


def unpack(packed, orig_len):
    """Unpacks an int4 weight packed along its last axis."""
    from unikeras.quantizers import unpack_int4

    return unpack_int4(packed, orig_len, axis=-1)


def matmul(layer, inputs, prefix, weight):
    """`inputs @ W` for a quantized `(input_dim, units)` weight, as Keras 3 computes it:
    with an inputs quantizer, int8 inputs times the integer weight, descaled by both
    scales; otherwise the float inputs times the dequantized weight. The gradient with
    respect to `inputs` goes through the dequantized weight."""
    compute = layer.compute_dtype
    mode = quantization_mode(layer)
    grouped = mode == "int4" and layer._int4_block_size is not None
    quantizer = None if grouped else layer.inputs_quantizer
    kernel = ops.convert_to_tensor(weight)

    @ops.custom_gradient
    def forward(x, kernel):
        def grad_fn(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            w = dequantize_matrix(layer, prefix, kernel, 0, compute)
            return ops.matmul(upstream, ops.transpose(w)), None

        if quantizer is None:
            y = ops.matmul(
                ops.cast(x, compute), dequantize_matrix(layer, prefix, kernel, 0, compute)
            )
            return y, grad_fn
        q = kernel if mode == "int8" else unpack(kernel, layer._orig_output_dim)
        xq, x_scale = quantizer(x, axis=-1)
        y = ops.cast(ops.matmul(ops.cast(xq, "int8"), ops.cast(q, "int8")), compute)
        scale = ops.multiply(
            ops.cast(getattr(layer, f"{prefix}_scale"), compute), ops.cast(x_scale, compute)
        )
        return ops.divide(y, scale), grad_fn

    return forward(inputs, kernel)


# --- GPTQ (Keras 3's variables) ------------------------------------------------------------


def build_gptq(layer, kernel_shape, zero_name="kernel_zero"):
    """Creates Keras 3's GPTQ variables of a `(input_dim, units)` kernel, their sizes from
    the layer's `GPTQDTypePolicy`: `quantized_kernel` (named `kernel`, uint8 `(units,
    input_dim)`, 4-bit values packed two per byte along the units), `kernel_scale` and
    `kernel_zero` (uint8, its variable named `zero_name`: Keras 3's EinsumDense says
    `"zero_point"`) `(units, n_groups)`, and `g_idx` (each input row's group)."""
    rows, units = (int(d) for d in kernel_shape)
    gptq = policy(layer)
    stored = (units + 1) // 2 if gptq.weight_bits == 4 else units
    layer.quantized_kernel = add(layer, "kernel", (stored, rows), dtype="uint8")
    groups = 1 if gptq.group_size == -1 else math.ceil(rows / gptq.group_size)
    layer.kernel_scale = add(layer, "kernel_scale", (units, groups), initializer="ones")
    layer.kernel_zero = add(layer, zero_name, (units, groups), dtype="uint8")
    if quantization_mode(layer) == "awq":  # AWQ's per-input-channel scales
        layer.awq_scales = add(layer, "awq_scales", (rows,), initializer="ones")
    layer.g_idx = add(layer, "g_idx", (rows,), dtype="float32")


def assign_gptq(layer, values):
    """Assigns `gptq_quantize` output `(quantized, scale, zero, g_idx)` (or
    `awq_quantize` output, with `awq_scales` before `g_idx`) to the variables."""
    from unikeras.quantizers.quantizers import pack_int4

    quantized, scale, zero, g_idx = values[0], values[1], values[2], values[-1]
    if len(values) == 5:
        layer.awq_scales.assign(values[3])
    if policy(layer).weight_bits == 4:
        quantized = ops.convert_to_numpy(pack_int4(quantized, axis=0, dtype="uint8")[0])
    layer.quantized_kernel.assign(quantized)
    layer.kernel_scale.assign(scale)
    layer.kernel_zero.assign(zero)
    layer.g_idx.assign(g_idx)


def unpack_gptq(quantized, units):
    """The `(units, input_dim)` values of a 4-bit GPTQ kernel packed along the units."""
    from unikeras.quantizers import unpack_int4

    return unpack_int4(quantized, units, axis=0, dtype="uint8")


def gptq_kernel(layer, units):
    """The dequantized `(input_dim, units)` kernel of a GPTQ layer, in its compute dtype:
    `(q - zero[:, g]) * scale[:, g]` for each input row's group `g`."""
    dtype = layer.compute_dtype
    q = layer.quantized_kernel
    if policy(layer).weight_bits == 4:
        q = unpack_gptq(q, units)
    groups = ops.cast(layer.g_idx, "int32")
    scale = ops.take(ops.cast(layer.kernel_scale, dtype), groups, axis=-1)
    zero = ops.take(ops.cast(layer.kernel_zero, dtype), groups, axis=-1)
    kernel = ops.transpose(ops.multiply(ops.subtract(ops.cast(q, dtype), zero), scale))
    if quantization_mode(layer) == "awq":
        kernel = ops.divide(kernel, ops.expand_dims(ops.cast(layer.awq_scales, dtype), -1))
    return kernel


def load_gptq(layer, store, spec):
    """Loads GPTQ variables. Keras 3.15.1 writes `Dense` GPTQ files without `kernel_zero`
    (which it then cannot load back): such a file loads when its config says
    `symmetric=True` (the zero point is then `2**(bits - 1)`), else a clear error."""
    expected = [a for a in spec if getattr(layer, a, None) is not None]
    if len(store.keys()) != len(expected) - 1:
        return load_spec(layer, store, spec)
    config = getattr(layer, "quantization_config", None)
    if not getattr(config, "symmetric", False):
        raise ValueError(
            f"Layer '{layer.name}': this GPTQ file has no `kernel_zero` (Keras 3.15.1 leaves "
            "it out of Dense GPTQ files, and cannot load them back either). Its asymmetric "
            "zero points are lost, so it cannot be read faithfully; re-quantize the model, "
            "or quantize with GPTQConfig(symmetric=True), whose zero point is fixed."
        )
    kept = [a for a in expected if a != "kernel_zero"]
    for i, attr in enumerate(kept):
        value = store[str(i)]
        variable = getattr(layer, attr)
        if tuple(value.shape) != tuple(variable.shape):
            raise ValueError(
                f"Layer '{layer.name}': variable {attr!r} has shape {tuple(variable.shape)}, "
                f"the file holds shape {tuple(value.shape)}."
            )
        variable.assign(value)
    zero = 2 ** (policy(layer).weight_bits - 1)
    layer.kernel_zero.assign(np.full(tuple(layer.kernel_zero.shape), zero, "uint8"))


def save_spec(layer, store, spec):
    """Writes the variables named in `spec` (attribute names; missing ones skipped) under
    `"0"`, `"1"`, ... in that order, as Keras 3's `variable_serialization_spec`."""
    index = 0
    for attr in spec:
        value = getattr(layer, attr, None)
        if value is None:
            continue
        store[str(index)] = value
        index += 1


def load_spec(layer, store, spec):
    """Loads the variables named in `spec` from `store` (see `save_spec`), checking the
    count and shapes first."""
    variables = [(a, getattr(layer, a)) for a in spec if getattr(layer, a, None) is not None]
    if len(store.keys()) != len(variables):
        raise ValueError(
            f"Layer '{layer.name}' expected {len(variables)} variables, but received "
            f"{len(store.keys())} variables during loading. Expected: {[a for a, _ in variables]}"
        )
    values = [store[str(i)] for i in range(len(variables))]
    for (attr, variable), value in zip(variables, values):
        if tuple(value.shape) != tuple(variable.shape):
            raise ValueError(
                f"Layer '{layer.name}': variable {attr!r} has shape {tuple(variable.shape)}, "
                f"the file holds shape {tuple(value.shape)}."
            )
    for (_, variable), value in zip(variables, values):
        variable.assign(value)


def config_entry(layer, config):
    """Adds `quantization_config` to a layer's `get_config()` dict when it has one."""
    if getattr(layer, "quantization_config", None) is not None:
        from unikeras.saving import serialization

        config["quantization_config"] = serialization.serialize_keras_object(
            layer.quantization_config
        )
    return config


def from_config_entry(config):
    """A copy of a layer config with its serialized `quantization_config` rebuilt."""
    config = dict(config)
    if isinstance(config.get("quantization_config"), dict):
        from unikeras.saving import serialization

        config["quantization_config"] = serialization._deserialize_object(
            config["quantization_config"]
        )
    return config


class Entries:
    """Attribute view of the values `save_own_variables` writes: the layer's variables,
    with some replaced (e.g. by values re-quantized after merging LoRA)."""

    def __init__(self, layer, values):
        self._layer, self._values = layer, values

    def __getattr__(self, name):
        if name in self._values:
            return self._values[name]
        return getattr(self._layer, name)


# --- float8 training (delayed scaling) ---------------------------------------------------


def build_float8(layer):
    """Adds the float8 scaling variables (Keras 3's names): a scale and an amax history
    each for the inputs, the kernel and the outputs' gradient. They are float32, never
    autocast, and "trainable" with `overwrite_with_gradient`: their gradient is their new
    value."""
    length = getattr(policy(layer), "amax_history_length", 1024)
    for name in FLOAT8_VARIABLES:
        history = name.endswith("history")
        variable = layer.add_weight(
            name=name,
            shape=(length,) if history else (),
            initializer="zeros" if history else "ones",
            dtype="float32",
            trainable=True,
            autocast=False,
            overwrite_with_gradient=True,
        )
        setattr(layer, name, variable)
    layer._is_quantized = True


def float8_qdq(layer, x, scale, history, training):
    """Quantize-dequantizes `x` through float8 e4m3 with `scale`; when training, the
    gradients of `scale` and `history` are their updated values (delayed scaling)."""
    from unikeras.quantizers import quantizers as q

    compute = layer.compute_dtype

    @ops.custom_gradient
    def qdq(x, scale, history):
        if training:
            new_scale = q.compute_float8_scale(ops.max(history, axis=0), scale, 448.0)
            new_history = q.compute_float8_amax_history(x, history)
        else:
            new_scale = ops.zeros_like(scale)
            new_history = ops.zeros_like(history)

        def grad(*args, upstream=None, variables=None):
            if upstream is None:
                (upstream,) = args
            return upstream, new_scale, new_history

        return q.quantize_and_dequantize(x, scale, "float8_e4m3fn", compute), grad

    return qdq(
        ops.convert_to_tensor(x), ops.convert_to_tensor(scale), ops.convert_to_tensor(history)
    )


def float8_grad_qdq(layer, y, scale, history):
    """Identity on `y`; its gradient is quantize-dequantized through float8 e5m2, and the
    gradients of `scale` / `history` are their updated values."""
    from unikeras.quantizers import quantizers as q

    compute = layer.compute_dtype

    @ops.custom_gradient
    def qdq(y, scale, history):
        def grad(*args, upstream=None, variables=None):
            if upstream is None:
                (upstream,) = args
            new_scale = q.compute_float8_scale(ops.max(history, axis=0), scale, 57344.0)
            out = q.quantize_and_dequantize(upstream, scale, "float8_e5m2", compute)
            return out, new_scale, q.compute_float8_amax_history(upstream, history)

        return y, grad

    return qdq(y, ops.convert_to_tensor(scale), ops.convert_to_tensor(history))


def float8_bias(layer, bias):
    """The bias as Keras 3 adds it in float8 mode: under a float32 compute dtype, rounded
    through bfloat16 first."""
    if layer.compute_dtype == "float32":
        from unikeras.quantizers.quantizers import round_to_mantissa

        # bfloat16 rounding written in float ops (some engines truncate in their casts).
        return round_to_mantissa(ops.convert_to_tensor(bias), 7, -126)
    return bias
