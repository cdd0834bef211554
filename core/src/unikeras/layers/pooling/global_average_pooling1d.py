"""`GlobalAveragePooling1D`: the mean over the steps axis, honouring a padding mask."""

from unikeras import ops
from unikeras.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling1D(BaseGlobalPooling):
    """Mean over the steps of `(batch, steps, features)` inputs (or channels_first).

    With a `(batch, steps)` mask (e.g. from `Embedding(mask_zero=True)`), only the unmasked
    steps are averaged.

    Args:
        data_format: `"channels_last"` or `"channels_first"` (`None`: the global default).
        keepdims: Whether the steps axis is kept with size 1.

    Examples:
        >>> keras.layers.GlobalAveragePooling1D()(np.array([[[1.0, 2.0], [3.0, 4.0]]], 'float32'))
        array([[2., 3.]], dtype=float32)
    """

    _pool_dimensions = 1
    _reduce = staticmethod(ops.mean)
    supports_masking = True

    def call(self, inputs, mask=None):
        steps_axis = self._spatial_axes[0]
        if mask is None:
            return super().call(inputs)
        features_axis = 2 if self.data_format == "channels_last" else 1
        weights = ops.expand_dims(ops.cast(mask, inputs.dtype), features_axis)
        total = ops.sum(ops.multiply(inputs, weights), axis=steps_axis, keepdims=self.keepdims)
        return ops.divide(total, ops.sum(weights, axis=steps_axis, keepdims=self.keepdims))

    def compute_mask(self, inputs, mask=None):
        return None
