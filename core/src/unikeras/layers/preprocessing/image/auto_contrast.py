"""`AutoContrast`: stretches each channel of each image over the whole value range."""

from unikeras import ops
from unikeras.layers.preprocessing.image.color_utils import ColorLayer


class AutoContrast(ColorLayer):
    """Stretches the values of each channel of each image linearly so that its minimum
    becomes `low` and its maximum `high` (`value_range = (low, high)`); constant channels
    are unchanged. Active at training and inference.

    Args:
        value_range: `(low, high)` range of the input values. Defaults to `(0, 255)`.
        data_format: (keyword) `"channels_last"` or `"channels_first"`.

    Examples:
        >>> x = np.array([[[[50.0], [100.0], [150.0]]]], "float32")
        >>> keras.layers.AutoContrast()(x)[0, 0, :, 0]  # [50, 150] stretched to [0, 255]
        array([  0. , 127.5, 255. ], dtype=float32)
    """

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(value_range=value_range, **kwargs)

    def _transform_images(self, images, transformation, interpolation=None):
        axes = self._spatial_axes(4)
        low = ops.min(images, axis=axes, keepdims=True)
        span = ops.subtract(ops.max(images, axis=axes, keepdims=True), low)
        flat = ops.equal(span, 0)
        target_low, target_high = self.value_range
        scale = ops.divide(target_high - target_low, ops.where(flat, 1.0, span))
        stretched = ops.add(ops.multiply(ops.subtract(images, low), scale), target_low)
        return ops.where(flat, images, ops.clip(stretched, target_low, target_high))
