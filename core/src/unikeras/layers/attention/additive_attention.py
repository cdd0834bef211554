"""`AdditiveAttention`: Bahdanau-style attention over `[query, value(, key)]`."""

from unikeras import ops
from unikeras.layers.attention.attention import Attention


class AdditiveAttention(Attention):
    """`Attention` with scores `sum(scale * tanh(query + key), axis=-1)`.

    Args:
        use_scale: Learn a `scale` vector of the feature size (else scale 1).
        dropout: Dropout rate on the attention weights in training.
        seed: Seed of the dropout.

    Examples:
        >>> query, value = np.ones((1, 2, 4), 'float32'), np.ones((1, 3, 4), 'float32')
        >>> keras.layers.AdditiveAttention()([query, value]).shape
        (1, 2, 4)
    """

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        kwargs.pop("score_mode", None)
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        self._validate(input_shape, "input_shape")
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(
                shape=(input_shape[0][-1],), initializer="glorot_uniform", name="scale"
            )
        self.built = True

    def _calculate_scores(self, query, key):
        summed = ops.tanh(ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3)))
        if self.scale is not None:
            summed = ops.multiply(self.scale, summed)
        return ops.sum(summed, axis=-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
