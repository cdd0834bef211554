"""`ReversibleEmbedding`: an `Embedding` that can also project vectors back to logits."""

import math

from unikeras import ops
from unikeras.backend import dtypes
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.layers.core import _quantize
from unikeras.layers.core.embedding import Embedding

_REVERSE = ("reverse_embeddings", "reverse_embeddings_scale", "reverse_embeddings_zero")


def _set_mask(tensor, mask):
    try:
        tensor._keras_mask = mask
    except AttributeError:  # engine tensors without attribute slots
        pass


class ReversibleEmbedding(Embedding):
    """An embedding layer which can project backwards to the input dimension.

    `layer(ids)` embeds integer ids as `Embedding` does; `layer(hidden, reverse=True)`
    multiplies `hidden` (last axis `output_dim`) by the transposed embedding matrix (or by a
    separate `(output_dim, input_dim)` `reverse_embeddings` matrix when `tie_weights=False`),
    giving logits over the vocabulary.

    Args:
        input_dim: Vocabulary size.
        output_dim: Size of each embedding vector.
        tie_weights: Whether the reverse projection uses the transposed `embeddings`
            (`True`) or its own `reverse_embeddings` weights (`False`).
        embeddings_initializer: Initializer of the embedding matrices.
        embeddings_regularizer: Optional regularizer of `embeddings`.
        embeddings_constraint: Optional constraint of `embeddings`.
        mask_zero: Whether index 0 is padding (masked in the forward direction).
        reverse_dtype: Optional dtype the reverse projection is computed in (inputs and
            kernel are cast to it first).
        logit_soft_cap: Optional float: reverse logits become
            `tanh(logits / logit_soft_cap) * logit_soft_cap`.
        **kwargs: Other `Embedding` / layer keyword arguments.

    `quantize("int8" | "int4")` quantizes the embeddings as `Embedding` does and, with
    `tie_weights=False`, `reverse_embeddings` per vocabulary column (int4: packed along
    `output_dim`, per column or in blocks with a zero point), with Keras 3's variables. The
    quantized reverse projection quantizes its inputs per row when the config has an
    activation quantizer (int8's default) and computes in the compute dtype.

    Call arguments:
        - `inputs`: Integer ids, or (with `reverse=True`) vectors with last axis `output_dim`.
        - `reverse`: Whether to project back to the vocabulary.

    Examples:
        >>> layer = keras.layers.ReversibleEmbedding(3, 2, embeddings_initializer="ones")
        >>> layer(np.array([[1, 2]])).shape  # ids -> vectors
        (1, 2, 2)
        >>> layer(np.array([[1.0, 2.0]], "float32"), reverse=True)  # vectors -> 3 logits
        array([[3., 3., 3.]], dtype=float32)
    """

    def __init__(
        self,
        input_dim,
        output_dim,
        tie_weights=True,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        reverse_dtype=None,
        logit_soft_cap=None,
        **kwargs,
    ):
        super().__init__(
            input_dim,
            output_dim,
            embeddings_initializer=embeddings_initializer,
            embeddings_regularizer=embeddings_regularizer,
            embeddings_constraint=embeddings_constraint,
            mask_zero=mask_zero,
            **kwargs,
        )
        self.tie_weights = tie_weights
        self.reverse_dtype = (
            None if reverse_dtype is None else dtypes.standardize_dtype(reverse_dtype)
        )
        self.logit_soft_cap = logit_soft_cap
        if not tie_weights:  # Keras 3's order: the reverse variables after the embeddings'
            self._SPEC = {
                mode: spec + (_REVERSE if mode else _REVERSE[:1])
                for mode, spec in Embedding._SPEC.items()
            }

    def build(self, input_shape=None):
        super().build(input_shape)
        if not self.tie_weights and self.quantization_mode is None:
            self.reverse_embeddings = self.add_weight(
                shape=(self.output_dim, self.input_dim),
                initializer=self.embeddings_initializer,
                name="reverse_embeddings",
                trainable=True,
            )
        self.built = True

    def _quantized_build(self, mode):
        super()._quantized_build(mode)
        from unikeras.quantizers import AbsMaxQuantizer
        from unikeras.quantizers.quantization_config import QuantizationConfig

        self.inputs_quantizer = QuantizationConfig.activation_quantizer_or_default(
            self.quantization_config, AbsMaxQuantizer(axis=-1)
        )
        if self.tie_weights:
            return
        rows = self.output_dim if mode == "int8" else (self.output_dim + 1) // 2
        self.reverse_embeddings = _quantize.add(
            self, "reverse_embeddings", (rows, self.input_dim), dtype="int8"
        )
        size = self._int4_block_size if mode == "int4" else None
        if size is None:
            scale_shape = (self.input_dim,)
        else:
            scale_shape = (math.ceil(self.output_dim / size), self.input_dim)
        self.reverse_embeddings_scale = _quantize.add(
            self, "reverse_embeddings_scale", scale_shape, initializer="ones"
        )
        if size is not None:  # float32, as Keras 3 stores it
            self.reverse_embeddings_zero = _quantize.add(
                self, "reverse_embeddings_zero", scale_shape
            )

    def quantize(self, mode=None, type_check=True, config=None):
        """Quantizes the embeddings (and untied `reverse_embeddings`) in place, as Keras 3.

        Args:
            mode: `"int8"` or `"int4"`.
            type_check: Refuse subclasses.
            config: Optional `keras.quantizers.QuantizationConfig` (default: the mode's).
        """
        if type_check and type(self) is not ReversibleEmbedding:
            raise NotImplementedError(
                f"Layer {type(self).__name__} does not have a `quantize()` method implemented."
            )
        reverse = None
        if not self.tie_weights:
            mode, config = _quantize.resolve(self, mode, config)
            reverse = self._quantize_reverse(mode, config)
            _quantize.drop_variable(self, self.reverse_embeddings)
            del self.reverse_embeddings
        super().quantize(mode, type_check=False, config=config)
        if reverse is not None:
            for name, value in zip(_REVERSE, reverse):
                if value is not None:
                    getattr(self, name).assign(value)

    def _quantize_reverse(self, mode, config):
        """`(value, scale, zero or None)` of `reverse_embeddings` `(output_dim, input_dim)`
        quantized per column (int4: packed along axis 0), as NumPy arrays."""
        from unikeras.quantizers import quantizers as q
        from unikeras.quantizers.quantization_config import QuantizationConfig

        w = self.reverse_embeddings
        size = _quantize.block_size(self, config) if mode == "int4" else None
        zero = None
        if size is None:
            qmin = -127 if mode == "int8" else -8
            default = q.AbsMaxQuantizer(axis=0, value_range=(qmin, -qmin - (mode == "int4")))
            quantizer = QuantizationConfig.weight_quantizer_or_default(config, default)
            value, scale = quantizer(w, to_numpy=True)
            scale = ops.convert_to_numpy(scale)[0]
        else:
            value, scale, zero = q.abs_max_quantize_grouped_with_zero_point(w, block_size=size)
            scale, zero = ops.convert_to_numpy(scale), ops.convert_to_numpy(zero)
        if mode == "int4":
            value = q.pack_int4(value, axis=0)[0]
        return ops.convert_to_numpy(value), scale, zero

    def _quantized_reverse(self, inputs):
        """`inputs @ W.T` (tied) or `inputs @ reverse_embeddings` of a quantized layer."""
        from unikeras.quantizers import unpack_int4

        mode, dtype = self.quantization_mode, self.compute_dtype
        size = self._int4_block_size if mode == "int4" else None
        if self.tie_weights:
            kernel = ops.transpose(self._embeddings)
            scale, zero = self.embeddings_scale, getattr(self, "embeddings_zero", None)
            if size is not None:
                scale, zero = ops.transpose(scale), ops.transpose(zero)
        else:
            kernel = self.reverse_embeddings
            scale = self.reverse_embeddings_scale
            zero = getattr(self, "reverse_embeddings_zero", None)
        if mode == "int4":
            kernel = unpack_int4(kernel, self.output_dim, axis=0)
        x_scale = None
        if self.inputs_quantizer is not None:
            inputs, x_scale = self.inputs_quantizer(inputs)
        if size is None:
            if x_scale is not None:
                logits = ops.matmul(ops.cast(inputs, "int8"), ops.cast(kernel, "int8"))
                scale = ops.multiply(ops.cast(x_scale, dtype), ops.cast(scale, dtype))
            else:
                logits = ops.matmul(ops.cast(inputs, dtype), ops.cast(kernel, dtype))
            return ops.divide(ops.cast(logits, dtype), ops.cast(scale, dtype))
        groups = ops.cast(self.g_idx, "int32")
        zero = ops.cast(ops.take(zero, groups, axis=0), dtype)
        weights = ops.multiply(
            ops.subtract(ops.cast(kernel, dtype), zero),
            ops.take(ops.cast(scale, dtype), groups, axis=0),
        )
        logits = ops.matmul(ops.cast(inputs, dtype), weights)
        if x_scale is not None:
            logits = ops.divide(logits, ops.cast(x_scale, dtype))
        return logits

    def _check_reverse_shape(self, shape):
        if not shape or (shape[-1] is not None and shape[-1] != self.output_dim):
            raise ValueError(
                f'Layer "{self.name}": with `reverse=True` the inputs must have a '
                f"last axis of size output_dim={self.output_dim}. Received: "
                f"input shape {tuple(shape)}"
            )

    def call(self, inputs, reverse=False):
        if not reverse:
            result = super().call(inputs)
            mask = super().compute_mask(inputs)
            if mask is not None:
                _set_mask(result, mask)
            return result
        self._check_reverse_shape(tuple(inputs.shape))
        if self.quantization_mode is not None:
            logits = self._quantized_reverse(inputs)
            if self.logit_soft_cap is not None:
                cap = self.logit_soft_cap
                logits = ops.multiply(ops.tanh(ops.divide(logits, cap)), cap)
            return logits
        kernel = ops.transpose(self.embeddings) if self.tie_weights else self.reverse_embeddings
        if self.reverse_dtype is not None:
            inputs = ops.cast(inputs, self.reverse_dtype)
            kernel = ops.cast(kernel, self.reverse_dtype)
        else:
            kernel = ops.cast(kernel, self.compute_dtype)
        logits = ops.matmul(inputs, kernel)
        if self.logit_soft_cap is not None:
            cap = self.logit_soft_cap
            logits = ops.multiply(ops.tanh(ops.divide(logits, cap)), cap)
        return logits

    def compute_mask(self, inputs, mask=None):
        # The forward mask is attached in `call` / `compute_output_spec`, never in reverse.
        return None

    def compute_output_shape(self, input_shape, reverse=False):
        shape = list(input_shape)
        if reverse:
            self._check_reverse_shape(shape)
            shape[-1] = self.input_dim
        else:
            shape.append(self.output_dim)
        return tuple(shape)

    def compute_output_spec(self, inputs, reverse=False):
        shape = self.compute_output_shape(inputs.shape, reverse=reverse)
        dtype = self.reverse_dtype if reverse and self.reverse_dtype else self.compute_dtype
        out = KerasTensor(shape, dtype=dtype)
        if not reverse and self.mask_zero:
            _set_mask(out, KerasTensor(tuple(inputs.shape), dtype="bool"))
        return out

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "tie_weights": self.tie_weights,
                "reverse_dtype": self.reverse_dtype,
                "logit_soft_cap": self.logit_soft_cap,
            }
        )
        return config
