"""`RandomPerspective`: moves the corners of some images by random offsets in training."""

from unikeras import ops
from unikeras.layers.preprocessing.image.base import RandomImageLayer, check_choice
from unikeras.layers.preprocessing.image.base_affine import INTERPOLATIONS
from unikeras.layers.preprocessing.image.color_utils import unit_factor


class RandomPerspective(RandomImageLayer):
    """Randomly warps images by a perspective transform during training (the identity at
    inference).

    Each image is warped with probability `p`, itself drawn per image in `factor`: its
    corner pixels `(0, 0)`, `(width - 1, 0)`, `(0, height - 1)`, `(width - 1, height - 1)`
    move to `corner * (1 + d)`, `d` drawn per coordinate in `[-scale / 2, scale / 2]`, by
    `keras.ops.image.perspective_transform` (points outside the input take `fill_value`).
    Bounding boxes of dict inputs become the boxes enclosing their moved corners;
    segmentation masks are warped with nearest interpolation.

    Args:
        factor: Probability of warping: a number `f` in `[0, 1]` (drawn in `[0, f]`) or a
            pair `(lower, upper)`.
        scale: Number in `[0, 1]`: the range of the relative corner offsets.
        interpolation: `"bilinear"` or `"nearest"`.
        fill_value: The value outside the input.
        seed: Int seed of the layer's random generator.
        data_format: `"channels_last"` or `"channels_first"`.
        bounding_box_format: (keyword) Format of the boxes of dict inputs (e.g. `"xyxy"`).

    Examples:
        >>> layer = keras.layers.RandomPerspective(seed=0)
        >>> images = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
        >>> layer(images).shape  # augmented: `training` defaults to True in a direct call
        (2, 8, 8, 3)
        >>> bool(np.array_equal(layer(images, training=False), images))  # inference
        True
    """

    def __init__(
        self,
        factor=1.0,
        scale=1.0,
        interpolation="bilinear",
        fill_value=0.0,
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = unit_factor(self, "factor", factor)
        if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not 0 <= scale <= 1:
            raise ValueError(
                f'Layer "{self.name}": `scale` must be a number in [0, 1]. '
                f"Received: scale={scale!r}"
            )
        check_choice(self, "interpolation", interpolation, INTERPOLATIONS)
        self.scale = scale
        self.interpolation = interpolation
        self.fill_value = fill_value

    def _draw(self, images):
        shape = tuple(ops.shape(images))
        batch = shape[0]
        height, width = self._image_size(shape)
        probability = self._uniform((batch,), *self.factor)
        apply = ops.less(self._uniform((batch,), 0.0, 1.0), probability)
        offsets = self._uniform((batch, 4, 2), -0.5 * self.scale, 0.5 * self.scale)
        corners = [[0.0, 0.0], [width - 1.0, 0.0], [0.0, height - 1.0], [width - 1.0, height - 1.0]]
        start = ops.broadcast_to(ops.convert_to_tensor(corners, self.compute_dtype), (batch, 4, 2))
        return {"apply": apply, "start": start, "end": ops.add(start, ops.multiply(start, offsets))}

    def _augment(self, images, draws, interpolation):
        warped = ops.image.perspective_transform(
            images,
            draws["start"],
            draws["end"],
            interpolation=interpolation or self.interpolation,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )
        return ops.where(ops.reshape(draws["apply"], (-1, 1, 1, 1)), warped, images)

    def _augment_boxes(self, boxes, draws, height, width):
        # Corners move by the map of the start points onto the end points, in pixel-index
        # space where pixel `i` spans `[i - 0.5, i + 0.5]`.
        h = _homography(draws["start"], draws["end"])
        x1, y1, x2, y2 = ops.split(ops.subtract(boxes, 0.5), 4, axis=-1)
        xs = ops.concatenate([x1, x2, x2, x1], axis=-1)
        ys = ops.concatenate([y1, y1, y2, y2], axis=-1)
        c = [ops.reshape(h[:, i], (-1, 1, 1)) for i in range(8)]
        denominator = ops.add(ops.add(ops.multiply(c[6], xs), ops.multiply(c[7], ys)), 1.0)

        def mapped(a, b, offset):
            return ops.divide(
                ops.add(ops.add(ops.multiply(a, xs), ops.multiply(b, ys)), offset), denominator
            )

        new_x, new_y = mapped(c[0], c[1], c[2]), mapped(c[3], c[4], c[5])
        moved = ops.add(
            ops.stack(
                [
                    ops.min(new_x, axis=-1),
                    ops.min(new_y, axis=-1),
                    ops.max(new_x, axis=-1),
                    ops.max(new_y, axis=-1),
                ],
                -1,
            ),
            0.5,
        )
        return ops.where(ops.reshape(draws["apply"], (-1, 1, 1)), moved, boxes), height, width

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "factor": list(self.factor),
                "scale": self.scale,
                "interpolation": self.interpolation,
                "fill_value": self.fill_value,
            }
        )
        return config


def _homography(source, target):
    """The `(batch, 8)` coefficients `c` of the projective maps taking the 4 `source` points
    onto the `target` points (`(batch, 4, 2)` each): `x' = (c0 x + c1 y + c2) / (c6 x +
    c7 y + 1)`, `y' = (c3 x + c4 y + c5) / (c6 x + c7 y + 1)`."""
    x, y = source[..., 0], source[..., 1]
    u, v = target[..., 0], target[..., 1]
    zeros, ones = ops.zeros_like(x), ops.ones_like(x)
    rows_u = ops.stack(
        [
            x,
            y,
            ones,
            zeros,
            zeros,
            zeros,
            ops.negative(ops.multiply(u, x)),
            ops.negative(ops.multiply(u, y)),
        ],
        axis=-1,
    )
    rows_v = ops.stack(
        [
            zeros,
            zeros,
            zeros,
            x,
            y,
            ones,
            ops.negative(ops.multiply(v, x)),
            ops.negative(ops.multiply(v, y)),
        ],
        axis=-1,
    )
    matrix = ops.reshape(ops.stack([rows_u, rows_v], axis=-2), (-1, 8, 8))
    rhs = ops.reshape(ops.stack([u, v], axis=-1), (-1, 8, 1))
    return ops.squeeze(ops.linalg.solve(matrix, rhs), -1)
