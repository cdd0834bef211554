"""`GroupedQueryAttention`: fewer key/value heads than query heads, each shared by a group."""

from unikeras import ops
from unikeras.layers.attention.projected_attention import ProjectedAttention, inverse_sqrt
from unikeras.layers.core.einsum_dense import EinsumDense


class GroupedQueryAttention(ProjectedAttention):
    """Grouped-query attention (Ainslie et al., 2023).

    Weights: `query` kernel `(dim, num_query_heads, head_dim)`, `key`/`value` kernels
    `(dim, num_key_value_heads, head_dim)` (biases without the first axis), and
    `attention_output` kernel `(num_query_heads, head_dim, dim)`.

    Args:
        head_dim: Size of each head.
        num_query_heads: Number of query heads.
        num_key_value_heads: Number of key/value heads; divides `num_query_heads`.
        dropout: Dropout rate on the attention probabilities.
        use_bias: Whether the projections have biases.
        flash_attention: A hint for the fused attention op.
        kernel_initializer: Initializer of the projection kernels.
        bias_initializer: Initializer of the projection biases.
        kernel_regularizer: Regularizer of the projection kernels.
        bias_regularizer: Regularizer of the projection biases.
        activity_regularizer: Regularizer of the output.
        kernel_constraint: Constraint of the projection kernels.
        bias_constraint: Constraint of the projection biases.
        seed: Seed of the dropout.

    Call arguments are those of `MultiHeadAttention` (3-D inputs only).

    Examples:
        >>> layer = keras.layers.GroupQueryAttention(
        ...     head_dim=4, num_query_heads=4, num_key_value_heads=2
        ... )
        >>> query, value = np.zeros((2, 3, 8), "float32"), np.zeros((2, 5, 6), "float32")
        >>> layer(query, value).shape  # the query's shape
        (2, 3, 8)
    """

    def __init__(
        self,
        head_dim,
        num_query_heads,
        num_key_value_heads,
        dropout=0.0,
        use_bias=True,
        flash_attention=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        seed=None,
        **kwargs,
    ):
        super().__init__(
            dropout=dropout,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            seed=seed,
            **kwargs,
        )
        if num_query_heads % num_key_value_heads != 0:
            raise ValueError(
                f'Layer "{self.name}": `num_query_heads` must be divisible by '
                f"`num_key_value_heads`. Received: num_query_heads={num_query_heads}, "
                f"num_key_value_heads={num_key_value_heads}"
            )
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        self.flash_attention = flash_attention

    def build(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        self.feature_dim = query_shape[-1]
        self._query_dense = self._dense(
            "bqm,muh->bquh", (None, self.num_query_heads, self.head_dim), "uh", "query"
        )
        self._query_dense.build(query_shape)
        self._key_dense = self._dense(
            "bkm,mvh->bkvh", (None, self.num_key_value_heads, self.head_dim), "vh", "key"
        )
        self._key_dense.build(key_shape)
        self._value_dense = self._dense(
            "bkm,mvh->bkvh", (None, self.num_key_value_heads, self.head_dim), "vh", "value"
        )
        self._value_dense.build(value_shape)
        self._build_attention(
            "bkuh,bquh->buqk", "buqk,bkuh->bquh", (-1,), inverse_sqrt(self.head_dim)
        )
        self._output_dense = self._dense(
            "bquh,uhm->bqm", (None, self.feature_dim), "m", "attention_output"
        )
        self._output_dense.build((None, None, self.num_query_heads, self.head_dim))
        self.built = True

    # Keras 3 keeps the projections in private attributes, whose names are their weights'
    # paths in saved files; unikeras does the same, tracking them explicitly.
    query_dense = property(
        lambda self: self._query_dense, doc="The query projection (an `EinsumDense` layer)."
    )
    key_dense = property(
        lambda self: self._key_dense, doc="The key projection (an `EinsumDense` layer)."
    )
    value_dense = property(
        lambda self: self._value_dense, doc="The value projection (an `EinsumDense` layer)."
    )
    output_dense = property(
        lambda self: self._output_dense, doc="The output projection (an `EinsumDense` layer)."
    )

    def _dense(self, equation, output_shape, bias_axes, name):
        dense = EinsumDense(
            equation,
            output_shape=output_shape,
            bias_axes=bias_axes if self.use_bias else None,
            name=name,
            **self._sublayer_kwargs(),
        )
        self._tracked.append(dense)
        return dense

    def _project(self, query, key, value):
        key = ops.repeat(self.key_dense(key), self.num_repeats, axis=2)
        value = ops.repeat(self.value_dense(value), self.num_repeats, axis=2)
        return self.query_dense(query), key, value

    def get_config(self):
        config = self._base_config()
        config.update(
            {
                "head_dim": self.head_dim,
                "num_query_heads": self.num_query_heads,
                "num_key_value_heads": self.num_key_value_heads,
                "flash_attention": self.flash_attention,
            }
        )
        return config
