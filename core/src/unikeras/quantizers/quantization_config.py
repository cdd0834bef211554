"""Quantization configs of `keras.quantizers` (`Int8QuantizationConfig`,
`Int4QuantizationConfig`, `Float8QuantizationConfig`, `GPTQConfig`, `AWQConfig`)."""

QUANTIZATION_MODES = ("int8", "float8", "int4", "gptq", "awq")


def _serialize(obj):
    from unikeras.saving import serialization

    return serialization.serialize_keras_object(obj)


def _deserialize(config):
    from unikeras.saving import serialization

    return serialization._deserialize_object(config)


class QuantizationConfig:
    """Base class of quantization configs: the weight and activation quantizers a layer's
    `quantize` uses. Subclasses define `mode`.

    Args:
        weight_quantizer: Quantizer of the weights (`None`: the mode's default).
        activation_quantizer: Quantizer of the inputs (`None`: inputs stay float).
    """

    def __init__(self, weight_quantizer=None, activation_quantizer=None):
        self.weight_quantizer = weight_quantizer
        self.activation_quantizer = activation_quantizer

    @property
    def mode(self):
        """The quantization mode (`"int8"`, `"int4"`, ...)."""
        raise NotImplementedError(
            "Subclasses must implement this property. Do not instantiate "
            "QuantizationConfig directly."
        )

    def get_config(self):
        """Returns the serialized quantizers."""
        return {
            "weight_quantizer": _serialize(self.weight_quantizer),
            "activation_quantizer": _serialize(self.activation_quantizer),
        }

    @classmethod
    def from_config(cls, config):
        """Creates the config from `get_config()` output."""
        return cls(
            weight_quantizer=_deserialize(config.get("weight_quantizer")),
            activation_quantizer=_deserialize(config.get("activation_quantizer")),
        )

    @staticmethod
    def weight_quantizer_or_default(config, default):
        """`config.weight_quantizer` when set, else `default`."""
        if config is not None and config.weight_quantizer is not None:
            return config.weight_quantizer
        return default

    @staticmethod
    def activation_quantizer_or_default(config, default):
        """`config.activation_quantizer` when a config is given, else `default`."""
        if config is not None:
            return config.activation_quantizer
        return default


class Int8QuantizationConfig(QuantizationConfig):
    """Int8 quantization: int8 weights with per-channel abs-max scales, and (by default)
    inputs quantized per row by `AbsMaxQuantizer()`.

    Args:
        weight_quantizer: Quantizer of the weights (its `output_dtype` must be int8).
        activation_quantizer: Quantizer of the inputs; `"default"`: `AbsMaxQuantizer()`.
    """

    def __init__(self, weight_quantizer=None, activation_quantizer="default"):
        from unikeras.quantizers.quantizers import AbsMaxQuantizer

        if isinstance(activation_quantizer, str) and activation_quantizer == "default":
            activation_quantizer = AbsMaxQuantizer()
        super().__init__(weight_quantizer, activation_quantizer)
        if weight_quantizer is not None and weight_quantizer.output_dtype != "int8":
            raise ValueError(
                "Int8QuantizationConfig requires a weight_quantizer with output_dtype='int8'. "
                f"Received: output_dtype={weight_quantizer.output_dtype}"
            )

    @property
    def mode(self):
        return "int8"


class Int4QuantizationConfig(QuantizationConfig):
    """Int4 quantization: weights in `[-8, 7]` packed two per byte, per channel
    (`block_size=None` or `-1`) or in groups of `block_size` input rows with a zero point.

    Args:
        weight_quantizer: Quantizer of the weights (per-channel only; value range (-8, 7)).
        activation_quantizer: Quantizer of the inputs; `"default"`: none (weight-only).
        block_size: Group size along the input dimension (default 128), or `None` / `-1`.
    """

    def __init__(self, weight_quantizer=None, activation_quantizer="default", block_size=128):
        if isinstance(activation_quantizer, str) and activation_quantizer == "default":
            activation_quantizer = None
        super().__init__(weight_quantizer, activation_quantizer)
        if block_size is not None and block_size != -1 and block_size <= 0:
            raise ValueError(
                "block_size must be None, -1, or a positive integer. "
                f"Received: block_size={block_size}"
            )
        self.block_size = block_size
        if (
            block_size is not None
            and block_size > 0
            and (weight_quantizer is not None or self.activation_quantizer is not None)
        ):
            raise ValueError(
                "Int4 sub-channel quantization (block_size > 0) does not support custom "
                "quantizers. Either set block_size to None or -1 for per-channel "
                "quantization, or remove the custom quantizer arguments. Received: "
                f"block_size={block_size}"
            )
        if weight_quantizer is not None:
            if tuple(weight_quantizer.value_range) != (-8, 7):
                raise ValueError(
                    "Int4QuantizationConfig requires a weight_quantizer with "
                    f"value_range=(-8, 7). Received: value_range={weight_quantizer.value_range}"
                )
            if weight_quantizer.output_dtype != "int8":
                raise ValueError(
                    "Int4QuantizationConfig requires a weight_quantizer with "
                    f"output_dtype='int8'. Received: output_dtype={weight_quantizer.output_dtype}"
                )

    @property
    def mode(self):
        return "int4"

    def get_config(self):
        config = super().get_config()
        config["block_size"] = self.block_size
        return config

    @classmethod
    def from_config(cls, config):
        return cls(
            weight_quantizer=_deserialize(config.get("weight_quantizer")),
            activation_quantizer=_deserialize(config.get("activation_quantizer")),
            block_size=config.get("block_size", None),
        )


class Float8QuantizationConfig(QuantizationConfig):
    """Float8 training: marks layers for float8 (e4m3 / e5m2) scaled matmuls with
    delayed scaling from an amax history. Takes no custom quantizers."""

    def __init__(self):
        super().__init__(None, None)

    @property
    def mode(self):
        return "float8"

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls()


def _check_positive(name, value):
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"{name} must be a positive integer.")


def _check_group_size(group_size, what):
    if group_size < -1 or group_size == 0:
        raise ValueError(
            f"Invalid group_size. Supported values are -1 ({what}) or a positive integer, "
            f"but got {group_size}."
        )


def _serialize_structure(structure):
    """`None`: a `quantization_layer_structure` holds live layers (which may hold this
    config: saving them would recurse), and only calibration needs it."""
    del structure
    return None


class GPTQConfig(QuantizationConfig):
    """Configuration of GPTQ post-training quantization (calibrated on `dataset`).

    Args:
        dataset: Calibration data. With a `tokenizer`: an iterable of strings (a list,
            a generator) or of token ids, from which `num_samples` windows of
            `sequence_length` tokens are cut as in Keras 3. With `tokenizer=None`: model
            inputs (an array, or an iterable of batches or `(inputs, targets)` pairs).
        tokenizer: An object with `tokenize(text)` (such as a KerasHub tokenizer), or a
            callable, returning token ids; or `None` (the dataset holds model inputs).
        weight_bits: 2, 3, 4 or 8.
        num_samples: Number of calibration samples.
        per_channel: Scales per output channel (and group), or (`False`) one scale per
            group of input rows shared by all output channels.
        sequence_length: Tokens per calibration sample (with a `tokenizer`).
        hessian_damping: Fraction of the Hessian's mean diagonal added to it (0 to 1).
        group_size: Input rows per group, or -1 for the whole column.
        symmetric: Symmetric (zero point in the middle) or asymmetric quantization.
        activation_order: Whether columns are processed in decreasing Hessian order.
        quantization_layer_structure: Optional `{"pre_block_layers": [...],
            "sequential_blocks": [...]}` of the model.
    """

    def __init__(
        self,
        dataset,
        tokenizer,
        *,
        weight_bits: int = 4,
        num_samples: int = 128,
        per_channel: bool = True,
        sequence_length: int = 512,
        hessian_damping: float = 0.01,
        group_size: int = 128,
        symmetric: bool = False,
        activation_order: bool = False,
        quantization_layer_structure: dict = None,
    ):
        super().__init__()
        if weight_bits not in (2, 3, 4, 8):
            raise ValueError(
                f"Unsupported weight_bits {weight_bits}. Supported values are 2, 3, 4, and 8."
            )
        _check_positive("num_samples", num_samples)
        _check_positive("sequence_length", sequence_length)
        if hessian_damping < 0 or hessian_damping > 1:
            raise ValueError("hessian_damping must be between 0 and 1.")
        _check_group_size(group_size, "whole-tensor")
        self.dataset = dataset
        self.tokenizer = tokenizer
        self.num_samples = num_samples
        self.per_channel = per_channel
        self.sequence_length = sequence_length
        self.hessian_damping = hessian_damping
        self.weight_bits = weight_bits
        self.group_size = group_size
        self.symmetric = symmetric
        self.activation_order = activation_order
        self.quantization_layer_structure = quantization_layer_structure

    def get_config(self):
        """The settings (never the dataset or tokenizer, which only calibration needs)."""
        return {
            "dataset": None,
            "tokenizer": None,
            "weight_bits": self.weight_bits,
            "num_samples": self.num_samples,
            "per_channel": self.per_channel,
            "sequence_length": self.sequence_length,
            "hessian_damping": self.hessian_damping,
            "group_size": self.group_size,
            "symmetric": self.symmetric,
            "activation_order": self.activation_order,
            "quantization_layer_structure": _serialize_structure(self.quantization_layer_structure),
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    @property
    def mode(self):
        return "gptq"

    def dtype_policy_string(self):
        """The dtype policy mode string, `"gptq/<weight_bits>/<group_size>"`."""
        return f"gptq/{self.weight_bits}/{self.group_size}"


class AWQConfig(QuantizationConfig):
    """Configuration of AWQ (activation-aware weight quantization, 4 bits).

    Args:
        dataset: Calibration data (see `GPTQConfig`: texts or token ids with a
            `tokenizer`, model inputs without one).
        tokenizer: An object with `tokenize(text)`, or a callable, returning token ids;
            or `None`.
        weight_bits: Must be 4.
        num_samples: Number of calibration samples.
        sequence_length: Tokens per calibration sample (with a `tokenizer`).
        group_size: Input rows per group, or -1 per channel.
        num_grid_points: Points of the grid search for the activation-aware scales.
        quantization_layer_structure: Optional model structure (see `GPTQConfig`).
    """

    def __init__(
        self,
        dataset,
        tokenizer,
        *,
        weight_bits: int = 4,
        num_samples: int = 128,
        sequence_length: int = 512,
        group_size: int = 128,
        num_grid_points: int = 20,
        quantization_layer_structure: dict = None,
    ):
        super().__init__()
        if weight_bits != 4:
            raise ValueError(
                f"AWQ only supports 4-bit quantization. Received weight_bits={weight_bits}."
            )
        _check_positive("num_samples", num_samples)
        _check_positive("sequence_length", sequence_length)
        _check_group_size(group_size, "per-channel")
        _check_positive("num_grid_points", num_grid_points)
        self.dataset = dataset
        self.tokenizer = tokenizer
        self.weight_bits = weight_bits
        self.num_samples = num_samples
        self.sequence_length = sequence_length
        self.group_size = group_size
        self.num_grid_points = num_grid_points
        self.quantization_layer_structure = quantization_layer_structure

    @property
    def mode(self):
        return "awq"

    def dtype_policy_string(self):
        """The dtype policy mode string, `"awq/<weight_bits>/<group_size>"`."""
        return f"awq/{self.weight_bits}/{self.group_size}"

    def get_config(self):
        """The settings (never the dataset or tokenizer)."""
        return {
            "dataset": None,
            "tokenizer": None,
            "weight_bits": self.weight_bits,
            "num_samples": self.num_samples,
            "sequence_length": self.sequence_length,
            "group_size": self.group_size,
            "num_grid_points": self.num_grid_points,
            "quantization_layer_structure": _serialize_structure(self.quantization_layer_structure),
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _validate_mode(mode):
    if mode is not None and mode not in QUANTIZATION_MODES:
        raise ValueError(
            f"Invalid quantization mode. Expected one of {QUANTIZATION_MODES}. Received: mode={mode}"
        )


def validate_and_resolve_config(mode, config):
    """The `QuantizationConfig` `quantize(mode, config)` uses: the mode's default config
    when `config` is None, after checking that `mode` and `config.mode` agree."""
    if isinstance(config, str):
        mode, config = config, None
    _validate_mode(mode)
    if config is None:
        defaults = {
            "int8": Int8QuantizationConfig,
            "int4": Int4QuantizationConfig,
            "float8": Float8QuantizationConfig,
        }
        if mode in ("gptq", "awq"):
            name = "GPTQConfig" if mode == "gptq" else "AWQConfig"
            raise ValueError(
                f"For {mode.upper()}, you must pass a `{name}` object in the `config` argument."
            )
        if mode is None:
            raise ValueError("You must provide either `mode` or `config` to `quantize`.")
        config = defaults[mode]()
    elif not isinstance(config, QuantizationConfig):
        raise ValueError(
            "Argument `config` must be an instance of `QuantizationConfig`. "
            f"Received: config={config} (of type {type(config)})"
        )
    if mode is not None and config.mode != mode:
        raise ValueError(f"Contradictory arguments: mode='{mode}' but config.mode='{config.mode}'")
    _validate_mode(config.mode)
    return config


def get_block_size_for_layer(layer, config):
    """The int4 block size of `layer`: from an `Int4QuantizationConfig`, else from an
    `Int4DTypePolicy` (`None` for per-channel)."""
    if isinstance(config, Int4QuantizationConfig):
        return config.block_size
    policy = layer._policy() if hasattr(layer, "_policy") else layer.dtype_policy
    block_size = getattr(policy, "block_size", None)
    return None if block_size == -1 else block_size
