"""`ReversibleEmbedding`: an `Embedding` that can also project vectors back to logits."""

from unikeras import ops
from unikeras.backend import dtypes
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.layers.core.embedding import Embedding


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

    Call arguments:
        inputs: Integer ids, or (with `reverse=True`) vectors with last axis `output_dim`.
        reverse: Whether to project back to the vocabulary.
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

    def build(self, input_shape=None):
        super().build(input_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight(
                shape=(self.output_dim, self.input_dim),
                initializer=self.embeddings_initializer,
                name="reverse_embeddings",
                trainable=True,
            )
        self.built = True

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
