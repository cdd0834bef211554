"""`Equalization`: histogram equalization of each channel of each image."""

from unikeras import ops
from unikeras.layers.preprocessing.image.color_utils import ColorLayer, rescale


class Equalization(ColorLayer):
    """Equalizes the histogram of each channel of each image during training (the identity
    at inference, as in Keras 3).

    In the `[0, 255]` scale (images are mapped from `value_range` and back), values fall
    into `bins` bins (bin `floor(v * (bins - 1) / 255)`); with `cdf` the cumulative bin
    counts and `cdf_min` its first non-zero entry, a value of bin `k` becomes
    `round(255 * (cdf[k] - cdf_min) / (cdf[-1] - cdf_min))`. Channels with values in a
    single bin are unchanged.

    Args:
        value_range: `(low, high)` range of the input values. Defaults to `(0, 255)`.
        bins: Number of histogram bins. Defaults to `256`.
        data_format: `"channels_last"` or `"channels_first"`.

    Examples:
        >>> x = np.array([[[[0.0], [64.0], [128.0], [255.0]]]], "float32")
        >>> keras.layers.Equalization()(x)[0, 0, :, 0]  # cdf 1, 2, 3, 4 over 4 pixels
        array([  0.,  85., 170., 255.], dtype=float32)
        >>> keras.layers.Equalization()(x, training=False)[0, 0, :, 0]  # inference
        array([  0.,  64., 128., 255.], dtype=float32)
    """

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs):
        super().__init__(value_range=value_range, data_format=data_format, **kwargs)
        if isinstance(bins, bool) or not isinstance(bins, int) or bins < 2:
            raise ValueError(
                f'Layer "{self.name}": `bins` must be an int >= 2. Received: bins={bins!r}'
            )
        self.bins = bins

    def _transformation(self, images, training):
        return training

    def _transform_images(self, images, training, interpolation=None):
        if not training:
            return images
        x = rescale(images, self.value_range, (0, 255))
        bins = ops.clip(
            ops.cast(ops.multiply(x, (self.bins - 1) / 255.0), "int32"), 0, self.bins - 1
        )
        # Histograms of all (image, channel) pairs at once: row `b * channels + c`.
        batch, channels = images.shape[0], images.shape[self._channel_axis()]
        row_shape = [batch, 1, 1, 1]
        row_shape[self._channel_axis()] = channels
        rows = ops.reshape(ops.arange(batch * channels, dtype="int32"), row_shape)
        index = ops.add(ops.multiply(rows, self.bins), bins)
        flat = ops.reshape(index, (-1, 1))
        counts = ops.scatter(
            flat, ops.ones((flat.shape[0],), "int32"), (batch * channels * self.bins,)
        )
        histograms = ops.reshape(counts, (batch * channels, self.bins))
        cdf = ops.cumsum(histograms, axis=1)
        total = cdf[:, -1:]
        cdf_min = ops.min(ops.where(ops.greater(cdf, 0), cdf, total), axis=1, keepdims=True)
        span = ops.subtract(total, cdf_min)
        lut = ops.divide(
            ops.multiply(ops.cast(ops.subtract(cdf, cdf_min), "float32"), 255.0),
            ops.cast(ops.maximum(span, 1), "float32"),
        )
        lut = ops.clip(ops.round(lut), 0, 255)
        equalized = ops.cast(ops.take(ops.reshape(lut, (-1,)), index), self.compute_dtype)
        used_bins = ops.sum(ops.cast(ops.greater(histograms, 0), "int32"), axis=1)
        single = ops.reshape(ops.less_equal(used_bins, 1), row_shape)
        return ops.where(single, images, rescale(equalized, (0, 255), self.value_range))

    def _channel_axis(self):
        return 3 if self.data_format == "channels_last" else 1

    def get_config(self):
        config = super().get_config()
        config["bins"] = self.bins
        return config
