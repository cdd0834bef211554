"""`Embedding`: maps non-negative integer indices to dense vectors."""

import warnings

from unikeras import constraints, initializers, ops, regularizers
from unikeras.backend import dtypes
from unikeras.layers.core import _lora, _quantize
from unikeras.layers.layer import Layer


def _initializer(identifier):
    # Keras 3 accepts the short name "uniform" for `RandomUniform`.
    return initializers.get("random_uniform" if identifier == "uniform" else identifier)


class Embedding(Layer):
    """Turns integer indices into rows of an `(input_dim, output_dim)` embedding matrix.

    Args:
        input_dim: Vocabulary size (largest index + 1).
        output_dim: Size of each embedding vector.
        embeddings_initializer: Initializer of the embedding matrix (`"uniform"`:
            `RandomUniform(-0.05, 0.05)`).
        embeddings_regularizer: Optional regularizer of the embedding matrix.
        embeddings_constraint: Optional constraint of the embedding matrix.
        mask_zero: Whether index 0 is padding: `compute_mask` returns `inputs != 0`.
        weights: Optional initial embedding matrix (or a one-element list holding it).
        lora_rank: Optional int: when set, `build` calls `enable_lora(lora_rank,
            lora_alpha)`, so the embeddings freeze and a rank-`lora_rank` update trains.
        lora_alpha: Optional scale numerator of the LoRA update (the update is scaled by
            `lora_alpha / lora_rank`; default: `lora_rank`, i.e. a scale of 1).
        quantization_config: Optional `keras.quantizers.QuantizationConfig` of a layer
            built quantized (its `dtype` a quantized policy such as `"int8_from_float32"`).

    `input_length` (Keras 2) is accepted and ignored, with a warning, as in Keras 3.

    Examples:
        >>> layer = keras.layers.Embedding(4, 2, weights=[np.arange(8.0).reshape(4, 2)])
        >>> layer(np.array([[0, 3]]))  # rows 0 and 3
        array([[[0., 1.],
                [6., 7.]]], dtype=float32)
    """

    def __init__(
        self,
        input_dim,
        output_dim,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        weights=None,
        lora_rank=None,
        lora_alpha=None,
        quantization_config=None,
        **kwargs,
    ):
        if kwargs.pop("input_length", None) is not None:
            warnings.warn("Argument `input_length` is deprecated. Just remove it.", stacklevel=2)
        super().__init__(**kwargs)
        self.quantization_config = quantization_config
        _lora.init_lora(self, lora_rank, lora_alpha)
        for name, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, int) or value <= 0:
                raise ValueError(
                    f'Layer "{self.name}": `{name}` must be a positive int. '
                    f"Received: {name}={value!r}"
                )
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = _initializer(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self.autocast = False
        if weights is not None:
            self.build()
            self.set_weights(weights if isinstance(weights, list) else [weights])

    _SPEC = {
        None: ("_embeddings",),
        "int8": ("_embeddings", "embeddings_scale"),
        "int4": ("_embeddings", "embeddings_scale", "embeddings_zero", "g_idx"),
    }

    def build(self, input_shape=None):
        mode = self.quantization_mode
        if mode is not None:
            _quantize.check_mode(self, mode)
            self._quantized_build(mode)
        else:
            self._embeddings = self.add_weight(
                shape=(self.input_dim, self.output_dim),
                initializer=self.embeddings_initializer,
                regularizer=self.embeddings_regularizer,
                constraint=self.embeddings_constraint,
                name="embeddings",
            )
        self.built = True
        if self.lora_rank:
            self.enable_lora(self.lora_rank, lora_alpha=self.lora_alpha)

    @property
    def embeddings(self):
        """The embedding matrix: the `embeddings` variable, or with LoRA enabled the tensor
        `embeddings + (lora_alpha / lora_rank) * lora_embeddings_a @ lora_embeddings_b`."""
        mode = self.quantization_mode if self.built else None
        if mode is None:
            return _lora.merged(self, "_embeddings", "embeddings")
        if mode == "int4":
            return _quantize.unpack(self._embeddings, self._orig_output_dim)
        return self._embeddings

    @property
    def quantization_mode(self):
        """The quantization mode of the layer's dtype policy (`None`, `"int8"`, ...)."""
        return _quantize.quantization_mode(self)

    def _quantized_build(self, mode):
        shape = (self.input_dim, self.output_dim)
        self._embeddings = _quantize.build_matrix(self, "embeddings", shape, mode, 1)
        self._is_quantized = True

    def quantize(self, mode=None, type_check=True, config=None):
        """Quantizes the embedding matrix in place (Keras 3's post-training quantization):
        one abs-max scale per row (per token), or for int4 with a block size, groups of
        `block_size` columns with a zero point.

        Args:
            mode: `"int8"` or `"int4"` (values packed two per byte).
            type_check: Refuse subclasses.
            config: Optional `keras.quantizers.QuantizationConfig` (default: the mode's).
        """
        if type_check and type(self) is not Embedding:
            raise NotImplementedError(
                f"Layer {type(self).__name__} does not have a `quantize()` method implemented."
            )
        mode, config = _quantize.resolve(self, mode, config)
        self.quantization_config = config
        values = _quantize.quantize_matrix(self, self._embeddings, mode, config, 1)
        _quantize.drop_variable(self, self._embeddings)
        del self._embeddings
        _quantize.set_policy(self, mode, config)
        self._quantized_build(mode)
        self._embeddings.assign(values["value"])
        self.embeddings_scale.assign(values["scale"])
        if values["zero"] is not None:
            self.embeddings_zero.assign(values["zero"])

    def _quantized_lookup(self, inputs):
        mode = self.quantization_mode
        dtype = self.compute_dtype
        table = self._embeddings
        if mode == "int4":
            table = _quantize.unpack(table, self._orig_output_dim)
        values = ops.cast(ops.take(table, inputs, axis=0), dtype)
        scale = ops.cast(ops.take(self.embeddings_scale, inputs, axis=0), dtype)
        if mode == "int4" and self._int4_block_size is not None:
            groups = ops.cast(self.g_idx, "int32")
            zero = ops.cast(ops.take(self.embeddings_zero, inputs, axis=0), dtype)
            zero = ops.take(zero, groups, axis=-1)
            outputs = ops.multiply(ops.subtract(values, zero), ops.take(scale, groups, axis=-1))
        else:
            outputs = ops.divide(values, ops.expand_dims(scale, -1))
        if self.lora_enabled:
            a = ops.take(self.lora_embeddings_a, inputs, axis=0)
            lora = ops.matmul(a, self.lora_embeddings_b)
            lora = ops.multiply(lora, self.lora_alpha / self.lora_rank)
            outputs = ops.add(outputs, ops.cast(lora, dtype))
        return outputs

    def enable_lora(self, rank, lora_alpha=None, a_initializer="he_uniform", b_initializer="zeros"):
        """Freezes the embeddings and adds trainable `lora_embeddings_a`
        `(input_dim, rank)` and `lora_embeddings_b` `(rank, output_dim)`: the layer then uses
        `embeddings + (lora_alpha / rank) * lora_embeddings_a @ lora_embeddings_b`.

        Args:
            rank: Rank of the update (a positive int).
            lora_alpha: Scale numerator of the update (default: `rank`).
            a_initializer: Initializer of `lora_embeddings_a`.
            b_initializer: Initializer of `lora_embeddings_b` (zeros: the layer's output is
                unchanged until it trains).

        Raises:
            ValueError: when the layer has an `embeddings_constraint`, is not built, or has
                LoRA enabled already.
        """
        _lora.enable(
            self,
            "_embeddings",
            "embeddings",
            "embeddings_constraint",
            rank,
            lora_alpha,
            a_initializer,
            b_initializer,
        )

    def _saved_variables(self):
        return _lora.saved_variables(self, super()._saved_variables(), "_embeddings")

    def save_own_variables(self, store):
        """Saves `embeddings` (with LoRA enabled: the merged matrix; quantized: then the
        scales), as Keras 3."""
        mode = self.quantization_mode if self.built else None
        if mode is None:
            _lora.save(self, store, "_embeddings", "embeddings")
            return
        if self.lora_enabled:
            base = _quantize.dequantize_matrix(self, "embeddings", self._embeddings, 1, "float32")
            merged = ops.add(base, _lora._delta(self, "embeddings"))
            values = _quantize.quantize_matrix(self, merged, mode, None, 1)
        else:
            values = {
                "value": self._embeddings,
                "scale": self.embeddings_scale,
                "zero": getattr(self, "embeddings_zero", None),
            }
        entries = {
            "_embeddings": values["value"],
            "embeddings_scale": values["scale"],
            "embeddings_zero": values["zero"],
        }
        _quantize.save_spec(_quantize.Entries(self, entries), store, self._SPEC[mode])

    def load_own_variables(self, store):
        """Loads `embeddings` (and a quantized layer's scales); with LoRA enabled they go into
        the frozen base matrix and the LoRA factors are reset to zeros, as Keras 3."""
        mode = self.quantization_mode if self.built else None
        if mode is None:
            super().load_own_variables(_lora.checked_store(self, store, "_embeddings"))
        else:
            _quantize.load_spec(self, store, self._SPEC[mode])
        _lora.reset(self)

    def call(self, inputs):
        if dtypes.standardize_dtype(inputs.dtype) not in ("int32", "int64"):
            inputs = ops.cast(inputs, "int32")
        if self.quantization_mode is not None:
            return self._quantized_lookup(inputs)
        outputs = ops.take(self.embeddings, inputs, axis=0)
        return ops.cast(outputs, self.compute_dtype)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "input_dim": self.input_dim,
                "output_dim": self.output_dim,
                "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
                "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
                "mask_zero": self.mask_zero,
            }
        )
        config.update(_lora.lora_config(self))
        return _quantize.config_entry(self, config)

    @classmethod
    def from_config(cls, config):
        return super().from_config(_quantize.from_config_entry(config))
