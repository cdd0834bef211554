"""`Embedding`: maps non-negative integer indices to dense vectors."""

import warnings

from unikeras import constraints, initializers, ops, regularizers
from unikeras.backend import dtypes
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
        lora_rank, lora_alpha: Not supported yet (must be `None`).

    `input_length` (Keras 2) is accepted and ignored, with a warning, as in Keras 3.
    """

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 weights=None, lora_rank=None, lora_alpha=None, **kwargs):
        if kwargs.pop("input_length", None) is not None:
            warnings.warn("Argument `input_length` is deprecated. Just remove it.",
                          stacklevel=2)
        super().__init__(**kwargs)
        if lora_rank is not None or lora_alpha is not None:
            raise NotImplementedError("Embedding(lora_rank=...) is not supported yet.")
        for name, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, int) or value <= 0:
                raise ValueError(f'Layer "{self.name}": `{name}` must be a positive int. '
                                 f"Received: {name}={value!r}")
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

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim), initializer=self.embeddings_initializer,
            regularizer=self.embeddings_regularizer, constraint=self.embeddings_constraint,
            name="embeddings")
        self.built = True

    def call(self, inputs):
        if dtypes.standardize_dtype(inputs.dtype) not in ("int32", "int64"):
            inputs = ops.cast(inputs, "int32")
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
        config.update({
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
        })
        return config
