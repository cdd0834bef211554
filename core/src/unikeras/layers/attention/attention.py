"""`Attention`: dot-product (Luong) or concat attention over `[query, value(, key)]`."""

from unikeras import ops, random
from unikeras.layers.attention.projected_attention import causal_mask
from unikeras.layers.layer import Layer


class Attention(Layer):
    """Scores `query` against `key`, softmaxes them over the keys and averages `value`.

    Args:
        use_scale: Learn a scalar `scale` multiplying the scores (dot) or the summed
            terms (concat).
        score_mode: `"dot"` (`query . key`) or `"concat"` (`sum(tanh(query + key))`,
            times the learned scalar `concat_score_weight`).
        dropout: Dropout rate on the attention weights in training.
        seed: Seed of the dropout.

    Call arguments:
        - `inputs`: `[query (batch, Tq, dim), value (batch, Tv, dim)]` or with
            `key (batch, Tv, dim)` third (default: `value`).
        - `mask`: `[query_mask (batch, Tq), value_mask (batch, Tv)]` (default: the inputs'
            masks); masked values get no attention, masked queries a zero output.
        - `return_attention_scores`: Also return the `(batch, Tq, Tv)` attention weights.
        - `training`: Whether dropout is active.
        - `use_causal_mask`: Mask out keys after the query position.

    Examples:
        >>> query = np.ones((1, 2, 4), 'float32')
        >>> value = np.ones((1, 3, 4), 'float32')
        >>> keras.layers.Attention()([query, value]).shape
        (1, 2, 4)
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if score_mode not in ("dot", "concat"):
            raise ValueError(
                f'Layer "{self.name}": invalid value for argument score_mode. '
                f"Expected one of {{'dot', 'concat'}}. Received: "
                f"score_mode={score_mode!r}"
            )
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed) if dropout > 0 else None
        self.supports_masking = True

    def build(self, input_shape):
        self._validate(input_shape, "input_shape")
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(shape=(), initializer="ones", name="scale")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(
                shape=(), initializer="ones", name="concat_score_weight"
            )
        self.built = True

    def _validate(self, inputs, what):
        if not isinstance(inputs, (list, tuple)) or len(inputs) not in (2, 3):
            raise ValueError(
                f'Layer "{self.name}" ({type(self).__name__}) must be called on a list of '
                f"inputs, namely [query, value] or [query, value, key]. Received: "
                f"{what}={inputs}"
            )

    def _calculate_scores(self, query, key):
        if self.score_mode == "dot":
            scores = ops.matmul(query, ops.swapaxes(key, -1, -2))
            return scores if self.scale is None else ops.multiply(scores, self.scale)
        summed = ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3))
        if self.scale is not None:
            summed = ops.multiply(self.scale, summed)
        return ops.multiply(self.concat_score_weight, ops.sum(ops.tanh(summed), axis=-1))

    def call(
        self,
        inputs,
        mask=None,
        training=False,
        return_attention_scores=False,
        use_causal_mask=False,
    ):
        self._validate(inputs, "inputs")
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask = mask[0] if mask else None
        value_mask = mask[1] if mask else None
        scores = self._calculate_scores(query, key)
        keep = None if value_mask is None else ops.expand_dims(ops.cast(value_mask, "bool"), -2)
        if use_causal_mask:
            causal = causal_mask(scores.shape[-2], scores.shape[-1])
            keep = causal if keep is None else ops.logical_and(keep, causal)
        if keep is not None:
            big = 65504.0 if scores.dtype == "float16" else 1.0e9
            scores = ops.subtract(
                scores, ops.multiply(big, ops.cast(ops.logical_not(keep), scores.dtype))
            )
        weights = ops.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = random.dropout(weights, self.dropout, seed=self.seed_generator)
        output = ops.matmul(weights, value)
        if query_mask is not None:
            output = ops.multiply(output, ops.cast(ops.expand_dims(query_mask, -1), output.dtype))
        if return_attention_scores:
            return output, weights
        return output

    def compute_mask(self, inputs, previous_mask):
        if previous_mask is None or not isinstance(previous_mask, (list, tuple)):
            return None
        return previous_mask[0]

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "use_scale": self.use_scale,
                "score_mode": self.score_mode,
                "dropout": self.dropout,
                "seed": self.seed,
            }
        )
        return config
