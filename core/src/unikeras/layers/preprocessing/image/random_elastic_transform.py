"""`RandomElasticTransform`: random smooth displacement fields resample the images."""

from unikeras import ops, random
from unikeras.layers.preprocessing.image.base import RandomImageLayer
from unikeras.layers.preprocessing.image.color_utils import unit_factor, value_range_pair

INTERPOLATIONS = ("nearest", "bilinear")
FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


class RandomElasticTransform(RandomImageLayer):
    """Applies random elastic deformations to images during training (the identity at
    inference).

    Per call, a distortion `d` is drawn in `scale` and each image is deformed with
    probability `p`, drawn per image in `factor`. A deformed `(H, W)` image is resampled at
    `(y + alpha * gy, x + alpha * gx)`, where `gy`, `gx` are per-pixel normal draws times
    `sigma` blurred by a Gaussian of standard deviation `sigma` (kernel size
    `int(6 * max_sigma) | 1`, zero padding), `alpha = 0.1 * d * max(H, W)` and
    `sigma = 0.05 * d * min(H, W)`, as in Keras 3. Outputs are clipped to `value_range`.
    Segmentation masks of dict inputs move with the images (nearest interpolation);
    bounding boxes cannot follow a deformation and raise `NotImplementedError`.

    Args:
        factor: Probability range of deforming an image: `f` in `[0, 1]` (range `[0, f]`)
            or a pair `(lower, upper)`. Defaults to `1.0`.
        scale: Range of the distortion magnitude `d`, like `factor`. Defaults to `1.0`.
        interpolation: `"bilinear"` (default) or `"nearest"`.
        fill_mode: How points outside the image are filled: `"reflect"` (default),
            `"constant"`, `"nearest"`, `"wrap"` or `"mirror"`.
        fill_value: Value outside the image with `fill_mode="constant"`.
        value_range: `(low, high)` range of the input values. Defaults to `(0, 255)`.
        seed: Int seed of the layer's random generator.
        data_format: `"channels_last"` or `"channels_first"`.

    Examples:
        >>> layer = keras.layers.RandomElasticTransform(seed=0)
        >>> images = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
        >>> layer(images).shape  # augmented: `training` defaults to True in a direct call
        (2, 8, 8, 3)
        >>> y = layer(images)
        >>> bool(y.min() >= 0 and y.max() <= 255)  # clipped to value_range
        True
        >>> bool(np.array_equal(layer(images, training=False), images))  # inference
        True
    """

    def __init__(
        self,
        factor=1.0,
        scale=1.0,
        interpolation="bilinear",
        fill_mode="reflect",
        fill_value=0.0,
        value_range=(0, 255),
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = unit_factor(self, "factor", factor)
        self.scale = unit_factor(self, "scale", scale)
        if interpolation not in INTERPOLATIONS:
            raise NotImplementedError(
                f'Layer "{self.name}": unknown `interpolation` '
                f"{interpolation!r}. Expected one of {INTERPOLATIONS}."
            )
        if fill_mode not in FILL_MODES:
            raise NotImplementedError(
                f'Layer "{self.name}": unknown `fill_mode` '
                f"{fill_mode!r}. Expected one of {FILL_MODES}."
            )
        self.interpolation = interpolation
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.value_range = value_range_pair(self, value_range)

    def _draw(self, images):
        if self.scale[1] == 0 or self.factor[1] == 0:
            return None
        shape = ops.shape(images)
        batch = shape[0]
        height, width = self._image_size(tuple(shape))
        probability = self._uniform((batch,), *self.factor)
        apply = ops.less(self._uniform((batch,), 0.0, 1.0), probability)
        distortion = self._uniform((), *self.scale)
        noise = random.normal(
            (batch, height, width, 2), dtype=self.compute_dtype, seed=self.generator
        )
        return {"apply": apply, "distortion": distortion, "noise": noise}

    def _augment(self, images, draws, interpolation):
        if draws is None:
            return images
        channels_first = self.data_format == "channels_first"
        x = ops.transpose(images, (0, 2, 3, 1)) if channels_first else images
        batch, height, width, channels = ops.shape(x)
        dtype = self.compute_dtype
        sigma = ops.multiply(draws["distortion"], 0.05 * min(height, width))
        alpha = ops.multiply(draws["distortion"], 0.1 * max(height, width))
        size = int(6 * 0.05 * min(height, width) * self.scale[1]) | 1
        distance = ops.arange(size, dtype=dtype) - float(size // 2)
        gauss = ops.exp(
            ops.divide(
                ops.negative(ops.square(distance)),
                ops.multiply(2.0, ops.square(ops.maximum(sigma, 1e-3))),
            )
        )
        gauss = ops.divide(gauss, ops.sum(gauss))
        kernel = ops.reshape(
            ops.multiply(ops.expand_dims(gauss, 1), ops.expand_dims(gauss, 0)), (size, size, 1, 1)
        )
        offsets = ops.depthwise_conv(
            ops.multiply(draws["noise"], sigma),
            ops.tile(kernel, (1, 1, 2, 1)),
            padding="same",
            data_format="channels_last",
        )
        offsets = ops.multiply(offsets, alpha)
        rows = ops.add(ops.reshape(ops.arange(height, dtype=dtype), (1, -1, 1)), offsets[..., 0])
        cols = ops.add(ops.reshape(ops.arange(width, dtype=dtype), (1, 1, -1)), offsets[..., 1])
        nearest = (interpolation or self.interpolation) == "nearest"
        moved = _sample(x, rows, cols, nearest, self.fill_mode, self.fill_value)
        moved = ops.transpose(moved, (0, 3, 1, 2)) if channels_first else moved
        apply = ops.reshape(draws["apply"], (-1, 1, 1, 1))
        out = ops.where(apply, ops.cast(moved, images.dtype), images)
        return ops.cast(ops.clip(out, *self.value_range), dtype)

    def _augment_boxes(self, boxes, draws, height, width):
        raise NotImplementedError(
            f'Layer "{self.name}" (RandomElasticTransform) cannot move '
            "bounding boxes with an elastic deformation (as in Keras 3)."
        )

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "factor": list(self.factor),
                "scale": list(self.scale),
                "interpolation": self.interpolation,
                "fill_mode": self.fill_mode,
                "fill_value": self.fill_value,
                "value_range": list(self.value_range),
            }
        )
        return config


def _fill_index(index, length, fill_mode):
    """Integer `index` mapped into `[0, length)` by `fill_mode`, with a validity mask for
    `"constant"` (else `None`)."""
    if fill_mode == "constant":
        valid = ops.logical_and(ops.greater_equal(index, 0), ops.less(index, length))
        return ops.clip(index, 0, length - 1), valid
    if fill_mode == "nearest":
        return ops.clip(index, 0, length - 1), None
    if fill_mode == "wrap":
        return ops.mod(index, length), None
    if fill_mode == "mirror":  # d c b | a b c d | c b a (about the edge pixel centres)
        if length == 1:
            return ops.zeros_like(index), None
        period = 2 * length - 2
        m = ops.mod(index, period)
        return ops.where(ops.less(m, length), m, period - m), None
    period = 2 * length  # "reflect": d c b a | a b c d | d c b a
    m = ops.mod(index, period)
    return ops.where(ops.less(m, length), m, period - 1 - m), None


def _sample(images, rows, cols, nearest, fill_mode, fill_value):
    """Channels-last `images` `(batch, H, W, C)` sampled at `(rows, cols)` (each
    `(batch, H, W)`): the nearest pixel or the bilinear blend of four, `fill_mode` outside."""
    batch, height, width, channels = ops.shape(images)
    flat = ops.reshape(images, (-1,))
    image = ops.reshape(ops.arange(batch, dtype="int32"), (-1, 1, 1, 1))
    channel = ops.reshape(ops.arange(channels, dtype="int32"), (1, 1, 1, -1))

    def taps(position):
        if nearest:
            return [(ops.cast(ops.floor(ops.add(position, 0.5)), "int32"), None)]
        low = ops.floor(position)
        fraction = ops.expand_dims(ops.subtract(position, low), -1)
        low = ops.cast(low, "int32")
        return [(low, ops.subtract(1.0, fraction)), (ops.add(low, 1), fraction)]

    result = None
    for r, wr in taps(rows):
        r, r_ok = _fill_index(r, height, fill_mode)
        for c, wc in taps(cols):
            c, c_ok = _fill_index(c, width, fill_mode)
            index = ops.add(
                ops.multiply(
                    ops.add(
                        ops.multiply(
                            ops.add(ops.multiply(image, height), ops.expand_dims(r, -1)), width
                        ),
                        ops.expand_dims(c, -1),
                    ),
                    channels,
                ),
                channel,
            )
            value = ops.take(flat, index)
            if r_ok is not None:
                ok = ops.expand_dims(ops.logical_and(r_ok, c_ok), -1)
                value = ops.where(ok, value, ops.cast(fill_value, value.dtype))
            for w in (wr, wc):
                if w is not None:
                    value = ops.multiply(value, w)
            result = value if result is None else ops.add(result, value)
    return result
