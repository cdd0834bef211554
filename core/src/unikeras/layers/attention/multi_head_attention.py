"""`MultiHeadAttention`: attention with `num_heads` learned projections (Vaswani et al.)."""

import string

from unikeras.layers.attention.projected_attention import ProjectedAttention, inverse_sqrt
from unikeras.layers.core.einsum_dense import EinsumDense


class MultiHeadAttention(ProjectedAttention):
    """Multi-head attention over one or several `attention_axes`.

    Query, key and value are projected by `EinsumDense` sublayers named `query`, `key`,
    `value` (kernels `(dim, num_heads, key_dim)`, biases `(num_heads, key_dim)`), attended
    per head, and projected back by `attention_output` (kernel `(num_heads, value_dim,
    output_dim)`).

    Args:
        num_heads: Number of attention heads.
        key_dim: Size of each head for query and key.
        value_dim: Size of each head for value (default `key_dim`).
        dropout: Dropout rate on the attention probabilities.
        use_bias: Whether the projections have biases.
        output_shape: Output size (int or tuple) excluding the batch and attended axes
            (default: the query's last axis).
        attention_axes: Axes of the query attended over (default: all but batch, heads and
            features).
        flash_attention: A hint for the fused attention op.
        kernel_initializer: Initializer of the projection kernels.
        bias_initializer: Initializer of the projection biases.
        kernel_regularizer: Regularizer of the projection kernels.
        bias_regularizer: Regularizer of the projection biases.
        activity_regularizer: Regularizer of the output.
        kernel_constraint: Constraint of the projection kernels.
        bias_constraint: Constraint of the projection biases.
        seed: Seed of the dropout.

    Call arguments:
        - `query`: `(batch, target, dim)`.
        - `value`: `(batch, source, dim)`.
        - `key`: as `value` (default: `value`).
        - `query_mask`, `value_mask`, `key_mask`: Padding masks (default: the inputs' masks).
        - `attention_mask`: Bool `(batch, target, source)`, True = attend.
        - `return_attention_scores`: Also return the `(batch, heads, target, source)` scores.
        - `training`: Whether dropout is active.
        - `use_causal_mask`: Mask out keys after the query position.

    Examples:
        >>> layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
        >>> layer(np.ones((1, 3, 8), 'float32'), np.ones((1, 5, 8), 'float32')).shape
        (1, 3, 8)
    """

    def __init__(
        self,
        num_heads,
        key_dim,
        value_dim=None,
        dropout=0.0,
        use_bias=True,
        output_shape=None,
        attention_axes=None,
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
        for arg, value in (("num_heads", num_heads), ("key_dim", key_dim)):
            if not isinstance(value, int) or value <= 0:
                raise ValueError(
                    f'Layer "{self.name}": `{arg}` must be a positive int. '
                    f"Received: {arg}={value!r}"
                )
        self.num_heads = num_heads
        self.key_dim = key_dim
        self.value_dim = value_dim if value_dim else key_dim
        self._output_shape = output_shape
        self.flash_attention = flash_attention
        if attention_axes is not None and not isinstance(attention_axes, (list, tuple)):
            attention_axes = (attention_axes,)
        self.attention_axes = None if attention_axes is None else tuple(attention_axes)

    def build(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(
                f'Layer "{self.name}": all dimensions of `value` and `key`, except the last '
                f"one, must be equal. Received: value_shape={value_shape} and "
                f"key_shape={key_shape}"
            )
        bias = self.use_bias
        self.query_dense = _projection(
            len(query_shape),
            1,
            [self.num_heads, self.key_dim],
            bias,
            "query",
            self._sublayer_kwargs(),
        )
        self.query_dense.build(query_shape)
        self.key_dense = _projection(
            len(key_shape), 1, [self.num_heads, self.key_dim], bias, "key", self._sublayer_kwargs()
        )
        self.key_dense.build(key_shape)
        self.value_dense = _projection(
            len(value_shape),
            1,
            [self.num_heads, self.value_dim],
            bias,
            "value",
            self._sublayer_kwargs(),
        )
        self.value_dense.build(value_shape)
        rank = len(query_shape) + 1
        axes = self.attention_axes or tuple(range(1, rank - 2))
        axes = tuple(a if a >= 0 else rank - 1 + a for a in axes)
        dot_eq, combine_eq, scores_rank = _attention_equations(rank, axes)
        self._build_attention(
            dot_eq,
            combine_eq,
            tuple(range(scores_rank - len(axes), scores_rank)),
            inverse_sqrt(self.key_dim),
        )
        out = self._output_shape or query_shape[-1]
        out = list(out) if isinstance(out, (list, tuple)) else [out]
        self.output_dense = _projection(
            len(query_shape), 2, out, bias, "attention_output", self._sublayer_kwargs()
        )
        projected = list(self.query_dense.compute_output_shape(query_shape))
        projected[-1] = self.value_dim
        self.output_dense.build(tuple(projected))
        self.built = True

    def get_config(self):
        config = self._base_config()
        config.update(
            {
                "num_heads": self.num_heads,
                "key_dim": self.key_dim,
                "value_dim": self.value_dim,
                "output_shape": self._output_shape,
                "attention_axes": None
                if self.attention_axes is None
                else list(self.attention_axes),
                "flash_attention": self.flash_attention,
            }
        )
        return config


def _projection(input_rank, bound_dims, known_out, use_bias, name, kwargs):
    """`EinsumDense` contracting the last `bound_dims` axes of a rank `input_rank + bound_dims
    - 1` input into `known_out` new trailing axes (biased over those)."""
    free = input_rank - 1
    letters = string.ascii_lowercase
    inputs = letters[: free + bound_dims]
    kernel = letters[free : free + bound_dims + len(known_out)]
    new = letters[free + bound_dims : free + bound_dims + len(known_out)]
    output = letters[:free] + new
    return EinsumDense(
        f"{inputs},{kernel}->{output}",
        output_shape=[None] * (free - 1) + list(known_out),
        bias_axes=new if use_bias else None,
        name=name,
        **kwargs,
    )


def _attention_equations(rank, attention_axes):
    """Einsum equations `key, query -> scores` and `scores, value -> output` for projected
    tensors of `rank` (heads on axis -2), plus the rank of the scores."""
    letters = string.ascii_lowercase
    target = letters[:rank]
    batch_dims = [i for i in range(rank) if i not in attention_axes and i != rank - 1]
    source, extra = list(target), rank
    for i in attention_axes:
        source[i] = letters[extra]
        extra += 1
    source = "".join(source)
    product = "".join(
        [target[i] for i in batch_dims]
        + [target[i] for i in attention_axes]
        + [source[i] for i in attention_axes]
    )
    return (f"{source},{target}->{product}", f"{product},{source}->{target}", len(product))
