"""`ContrastLimitedAdaptiveHistogramEqualization` (CLAHE): histogram equalization per tile,
with clipped histograms, blended between neighbouring tiles."""

from unikeras import backend, ops
from unikeras.layers.preprocessing.image.color_utils import ColorLayer, rescale


class ContrastLimitedAdaptiveHistogramEqualization(ColorLayer):
    """Contrast limited adaptive histogram equalization, applied to every image and channel
    (in training and inference alike, as in Keras 3).

    In the `[0, 255]` scale (images are mapped from `value_range` and back), an image of
    size `(H, W)` is divided into `tile_grid_size = (gh, gw)` tiles of
    `(ceil(H / gh), ceil(W / gw))` pixels (the image is first extended at the bottom and
    right by symmetric reflection to fill the grid). Each tile gets a 256-bin histogram of
    its integer values; with `clip_limit > 0` every bin is clipped to
    `clip_limit * tile_pixels / 256` and the clipped excess spread evenly over all bins. The
    tile's mapping of a value in bin `k` is `255 * (cdf[k] - cdf[0]) / (tile_pixels - cdf[0])`
    (clipped to `[0, 255]`). A pixel takes the bilinear blend of the mappings of the four
    tiles whose centres surround it (tiles beyond the border repeat the edge tiles).

    Args:
        value_range: `(low, high)` range of the input values. Defaults to `(0, 255)`.
        clip_limit: Float limiting the contrast amplification. Defaults to `4.0`
            (`0` or less: no clipping).
        tile_grid_size: `(rows, columns)` of tiles. Defaults to `(8, 8)`.
        data_format: `"channels_last"` or `"channels_first"`.

    Examples:
        >>> layer = keras.layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(2, 2))
        >>> images = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
        >>> y = layer(images)
        >>> y.shape, bool(y.min() >= 0 and y.max() <= 255)
        ((2, 8, 8, 3), True)
    """

    def __init__(
        self,
        value_range=(0, 255),
        clip_limit=4.0,
        tile_grid_size=(8, 8),
        data_format=None,
        **kwargs,
    ):
        super().__init__(value_range=value_range, data_format=data_format, **kwargs)
        if isinstance(clip_limit, bool) or not isinstance(clip_limit, (int, float)):
            raise ValueError(
                f'Layer "{self.name}": `clip_limit` must be a number. '
                f"Received: clip_limit={clip_limit!r}"
            )
        if not (
            isinstance(tile_grid_size, (list, tuple))
            and len(tile_grid_size) == 2
            and all(
                isinstance(t, int) and not isinstance(t, bool) and t > 0 for t in tile_grid_size
            )
        ):
            raise ValueError(
                f'Layer "{self.name}": `tile_grid_size` must be a tuple of two '
                f"positive ints. Received: tile_grid_size={tile_grid_size!r}"
            )
        self.clip_limit = clip_limit
        self.tile_grid_size = tuple(tile_grid_size)

    def call(self, inputs, training=True):
        outputs = super().call(inputs, training)
        dtype = getattr(inputs, "dtype", None)
        if dtype is not None and not isinstance(inputs, dict):
            dtype = backend.standardize_dtype(dtype)
            if not backend.is_float_dtype(dtype):
                # Integer images keep their dtype (values truncated), as in Keras 3.
                outputs = ops.cast(outputs, dtype)
        return outputs

    def _transform_images(self, images, transformation, interpolation=None):
        if self.data_format == "channels_first":
            images = ops.transpose(images, (0, 2, 3, 1))
        x = rescale(ops.cast(images, "float32"), self.value_range, (0, 255))
        x = rescale(self._clahe(x), (0, 255), self.value_range)
        x = ops.cast(x, images.dtype)
        if self.data_format == "channels_first":
            x = ops.transpose(x, (0, 3, 1, 2))
        return x

    def _clahe(self, images):
        """CLAHE of channels-last float32 images in `[0, 255]`."""
        batch, height, width, channels = ops.shape(images)
        grid_h, grid_w = self.tile_grid_size
        tile_h, tile_w = -(-height // grid_h), -(-width // grid_w)
        full_h, full_w = tile_h * grid_h, tile_w * grid_w
        padded = _pad_symmetric(images, full_h - height, full_w - width)
        values = ops.clip(ops.cast(padded, "int32"), 0, 255)

        # Histograms of every (image, tile row, tile column, channel) by one scatter-add.
        tile_row = ops.reshape(ops.arange(full_h, dtype="int32") // tile_h, (1, -1, 1, 1))
        tile_col = ops.reshape(ops.arange(full_w, dtype="int32") // tile_w, (1, 1, -1, 1))
        image = ops.reshape(ops.arange(batch, dtype="int32"), (-1, 1, 1, 1))
        channel = ops.reshape(ops.arange(channels, dtype="int32"), (1, 1, 1, -1))
        tile_index = ((image * grid_h + tile_row) * grid_w + tile_col) * channels + channel
        count = batch * grid_h * grid_w * channels
        flat = ops.reshape(ops.add(ops.multiply(tile_index, 256), values), (-1, 1))
        hists = ops.scatter(flat, ops.ones((flat.shape[0],), "float32"), (count * 256,))
        hists = ops.reshape(hists, (count, 256))

        pixels = float(tile_h * tile_w)
        if self.clip_limit > 0:
            limit = self.clip_limit * pixels / 256.0
            clipped = ops.minimum(hists, limit)
            excess = ops.sum(ops.subtract(hists, clipped), axis=-1, keepdims=True)
            hists = ops.add(clipped, ops.divide(excess, 256.0))
        cdf = ops.cumsum(hists, axis=-1)
        cdf_min = cdf[:, :1]
        span = ops.subtract(pixels, cdf_min)
        span = ops.where(ops.equal(span, 0.0), ops.ones_like(span), span)
        mapping = ops.clip(
            ops.divide(ops.multiply(ops.subtract(cdf, cdf_min), 255.0), span), 0.0, 255.0
        )
        # Tiles `(grid_h + 2, grid_w + 2)`: the edge tiles repeated around the grid.
        mapping = ops.reshape(mapping, (batch, grid_h, grid_w, channels, 256))
        mapping = ops.concatenate([mapping[:, :1], mapping, mapping[:, -1:]], axis=1)
        mapping = ops.concatenate([mapping[:, :, :1], mapping, mapping[:, :, -1:]], axis=2)
        lut = ops.reshape(mapping, (-1,))

        def neighbours(length, tile, grid):
            position = (ops.arange(length, dtype="float32") - tile / 2.0) / tile + 1.0
            low = ops.floor(position)
            weight = ops.subtract(position, low)
            low_i = ops.cast(ops.clip(low, 0, grid + 1), "int32")
            high_i = ops.cast(ops.clip(ops.add(low, 1.0), 0, grid + 1), "int32")
            return low_i, high_i, weight

        y0, y1, wy = neighbours(full_h, tile_h, grid_h)
        x0, x1, wx = neighbours(full_w, tile_w, grid_w)
        y0, y1, wy = (ops.reshape(v, (1, -1, 1, 1)) for v in (y0, y1, wy))
        x0, x1, wx = (ops.reshape(v, (1, 1, -1, 1)) for v in (x0, x1, wx))
        stride_x = channels * 256
        stride_y = stride_x * (grid_w + 2)
        stride_b = stride_y * (grid_h + 2)
        base = image * stride_b + channel * 256 + values

        def read(y, x):
            return ops.take(lut, base + y * stride_y + x * stride_x)

        top = ops.add(ops.multiply(read(y0, x0), 1.0 - wx), ops.multiply(read(y0, x1), wx))
        bottom = ops.add(ops.multiply(read(y1, x0), 1.0 - wx), ops.multiply(read(y1, x1), wx))
        result = ops.add(ops.multiply(top, 1.0 - wy), ops.multiply(bottom, wy))
        return result[:, :height, :width, :]

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "value_range": list(self.value_range),
                "clip_limit": self.clip_limit,
                "tile_grid_size": list(self.tile_grid_size),
            }
        )
        return config


def _symmetric_indices(length, padded):
    """Source index of each of `padded` positions extending `length` ones by symmetric
    reflection (NumPy's `"symmetric"` pad mode, repeated for pads longer than the input)."""
    period = 2 * length
    return [i % period if i % period < length else period - 1 - i % period for i in range(padded)]


def _pad_symmetric(images, pad_h, pad_w):
    """Extends channels-last `images` by `pad_h` rows and `pad_w` columns at the bottom and
    right, mirroring the edge (NumPy's `"symmetric"` mode)."""
    height, width = images.shape[1], images.shape[2]
    if pad_h > 0:
        images = ops.take(images, _symmetric_indices(height, height + pad_h), axis=1)
    if pad_w > 0:
        images = ops.take(images, _symmetric_indices(width, width + pad_w), axis=2)
    return images
