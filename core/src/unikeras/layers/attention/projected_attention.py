"""Shared machinery of `MultiHeadAttention` and `GroupedQueryAttention`: inputs projected
per head by `EinsumDense` sublayers, masks merged into one boolean attention mask, scaled
dot-product attention (fused `ops.dot_product_attention` when it applies), output
projection."""

import math

from unikeras import constraints, initializers, ops, regularizers
from unikeras.backend.name_scope import name_scope
from unikeras.layers.activations.softmax import Softmax
from unikeras.layers.core.einsum_dense import kernel_bias_config
from unikeras.layers.layer import Layer
from unikeras.layers.regularization.dropout import Dropout

_SHAPE_NAMES = ("query_shape", "value_shape", "key_shape")


def causal_mask(query_length, value_length):
    """`(1, query_length, value_length)` bool mask, True where `key index <= query index`."""
    ones = ops.ones((1, query_length, value_length), dtype="int32")
    return ops.greater_equal(ops.cumsum(ones, axis=-2), ops.cumsum(ones, axis=-1))


def merge_attention_masks(
    query,
    value,
    query_mask=None,
    value_mask=None,
    key_mask=None,
    attention_mask=None,
    use_causal_mask=False,
):
    """The boolean `(batch, target, source)` mask combining the padding masks of query,
    value and key, the causal mask and an explicit `attention_mask` (`None` if none)."""
    masks = []
    if query_mask is not None:
        masks.append(ops.expand_dims(ops.cast(query_mask, "bool"), -1))
    for mask in (value_mask, key_mask):
        if mask is not None:
            masks.append(ops.expand_dims(ops.cast(mask, "bool"), -2))
    if use_causal_mask:
        masks.append(causal_mask(query.shape[1], value.shape[1]))
    if attention_mask is not None:
        masks.insert(0, ops.cast(attention_mask, "bool"))
    if not masks:
        return None
    merged = masks[0]
    for mask in masks[1:]:
        merged = ops.logical_and(merged, mask)
    return merged


class ProjectedAttention(Layer):
    """Base of the attention layers with learned query/key/value/output projections.

    Subclasses implement `build(query_shape, value_shape, key_shape=None)` (creating the
    `query_dense`, `key_dense`, `value_dense`, `output_dense` sublayers, in that order, and
    calling `_build_attention`); `call` projects (`_project`), attends and projects back.
    """

    def __init__(
        self,
        dropout=0.0,
        use_bias=True,
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
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.supports_masking = True
        self.dropout = dropout
        self.use_bias = use_bias
        self.seed = seed
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def _sublayer_kwargs(self):
        """Arguments of the projection sublayers (fresh initializer instances each)."""
        return {
            "kernel_initializer": initializers.get(initializers.serialize(self.kernel_initializer)),
            "bias_initializer": initializers.get(initializers.serialize(self.bias_initializer)),
            "kernel_regularizer": self.kernel_regularizer,
            "bias_regularizer": self.bias_regularizer,
            "kernel_constraint": self.kernel_constraint,
            "bias_constraint": self.bias_constraint,
            "dtype": self.dtype_policy,
        }

    def _build_attention(self, dot_product_equation, combine_equation, norm_axes, scale):
        self._dot_product_equation = dot_product_equation
        self._combine_equation = combine_equation
        self._scale = scale
        self.softmax = Softmax(axis=norm_axes, dtype=self.dtype_policy)
        self.dropout_layer = Dropout(rate=self.dropout, dtype=self.dtype_policy, seed=self.seed)

    # Keras 3 fills `query_mask`, `value_mask`, `key_mask` from the inputs' masks and
    # builds from the three input shapes.
    def __call__(self, query, value, key=None, **kwargs):
        for name, tensor in (("query", query), ("value", value), ("key", key)):
            if (
                kwargs.get(f"{name}_mask") is None
                and getattr(tensor, "_keras_mask", None) is not None
            ):
                kwargs[f"{name}_mask"] = tensor._keras_mask
        if not self.built:
            shapes = [None if t is None else tuple(t.shape) for t in (query, value, key)]
            with name_scope(self.name):
                self.build(*shapes)
            self._build_shapes = {k: s for k, s in zip(_SHAPE_NAMES, shapes) if s is not None}
            self.built = True
        outputs = super().__call__(query, value, key, **kwargs)
        if kwargs.get("query_mask") is not None:
            first = outputs[0] if isinstance(outputs, tuple) else outputs
            try:
                first._keras_mask = kwargs["query_mask"]
            except AttributeError:
                pass
        return outputs

    # Keras 3's build config for a layer built from several shapes: {"shapes_dict": {...}}.
    def get_build_config(self):
        return None if self._build_shapes is None else {"shapes_dict": self._build_shapes}

    def build_from_config(self, config):
        shapes = (config or {}).get("shapes_dict")
        if shapes and not self.built:
            with name_scope(self.name):
                self.build(*(shapes.get(k) for k in _SHAPE_NAMES))
            self._build_shapes = shapes
            self.built = True

    def call(
        self,
        query,
        value,
        key=None,
        query_mask=None,
        value_mask=None,
        key_mask=None,
        attention_mask=None,
        return_attention_scores=False,
        training=None,
        use_causal_mask=False,
    ):
        key = value if key is None else key
        attention_mask = merge_attention_masks(
            query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask
        )
        output, scores = self._compute_attention(
            *self._project(query, key, value), attention_mask, training, return_attention_scores
        )
        output = self.output_dense(output)
        if return_attention_scores:
            return output, scores
        return output

    def _project(self, query, key, value):
        """The per-head projections `(query, key, value)`, heads on axis -2."""
        return self.query_dense(query), self.key_dense(key), self.value_dense(value)

    def _compute_attention(
        self, query, key, value, attention_mask=None, training=None, return_attention_scores=False
    ):
        """Attention of projected `(batch, *target, heads, dim)` query over key/value.

        Returns `(output, scores)`; scores are `None` on the fused path."""
        n_axes = len(query.shape) - 3
        if not (self.dropout > 0 or return_attention_scores or len(query.shape) != 4):
            if attention_mask is not None:
                while len(attention_mask.shape) < 4:
                    attention_mask = ops.expand_dims(attention_mask, -3)
            output = ops.dot_product_attention(
                query, key, value, mask=attention_mask, scale=self._scale
            )
            return output, None
        query = ops.multiply(query, ops.cast(self._scale, query.dtype))
        scores = ops.einsum(self._dot_product_equation, key, query)
        if attention_mask is not None:
            while len(attention_mask.shape) < len(scores.shape):
                attention_mask = ops.expand_dims(attention_mask, -2 * n_axes - 1)
        scores = self.softmax(scores, mask=attention_mask)
        weights = self.dropout_layer(scores, training=training) if self.dropout > 0 else scores
        return ops.einsum(self._combine_equation, weights, value), scores

    def _base_config(self):
        config = super().get_config()
        config.update(
            {
                "dropout": self.dropout,
                "use_bias": self.use_bias,
                "seed": self.seed,
            }
        )
        config.update(kernel_bias_config(self))
        return config


def inverse_sqrt(dim):
    """`1 / sqrt(dim)`, the default attention logit scale."""
    return 1.0 / math.sqrt(float(dim))
