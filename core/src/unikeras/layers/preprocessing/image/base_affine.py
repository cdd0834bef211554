"""Base of the random geometric layers (rotation, zoom, translation): one affine warp per
image through `ops.image.affine_transform`."""

from unikeras import ops
from unikeras.layers.preprocessing.image.base import RandomImageLayer, check_choice
from unikeras.utils import bounding_boxes as bounding_boxes_utils

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


class RandomAffineLayer(RandomImageLayer):
    """Warps each image of a batch by its own random affine transform; the corners of
    bounding boxes move by the same transform and each box becomes the box enclosing them.

    Subclasses implement `_transforms(batch, height, width)`, returning the `(batch, 8)`
    output-to-input maps of `ops.image.affine_transform` (build them with `affine_rows`).

    Args:
        fill_mode: How points outside the input are filled: `"reflect"`
            (`d c b a | a b c d | d c b a`), `"wrap"` (`a b c d | a b c d | a b c d`),
            `"constant"` (`k k k k | a b c d | k k k k`, with `k = fill_value`) or
            `"nearest"` (`a a a a | a b c d | d d d d`).
        interpolation: `"bilinear"` or `"nearest"`.
        seed: Int seed of the layer's random generator.
        fill_value: The value outside the input when `fill_mode="constant"`.
        data_format: `"channels_last"` or `"channels_first"` (`None`: the global
            image data format).
    """

    def __init__(
        self,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        check_choice(self, "fill_mode", fill_mode, FILL_MODES)
        check_choice(self, "interpolation", interpolation, INTERPOLATIONS)
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = fill_value

    def _draw(self, images):
        shape = tuple(ops.shape(images))
        return self._transforms(shape[0], *self._image_size(shape))

    def _augment(self, images, transforms, interpolation):
        return ops.image.affine_transform(
            images,
            transforms,
            interpolation=interpolation or self.interpolation,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )

    def _augment_boxes(self, boxes, transforms, height, width):
        # The transforms map output pixel indices to input ones: box edges move by the
        # inverse map applied in index space, where pixel `i` spans `[i - 0.5, i + 0.5]`.
        # (Keras 3 maps the edges as indices, half a pixel off the warped image.)
        a0, a1, a2, b0, b1, b2 = (transforms[:, i] for i in range(6))
        det = ops.subtract(ops.multiply(a0, b1), ops.multiply(a1, b0))
        m0, m1 = ops.divide(b1, det), ops.negative(ops.divide(a1, det))
        m3, m4 = ops.negative(ops.divide(b0, det)), ops.divide(a0, det)
        m2 = ops.negative(ops.add(ops.multiply(m0, a2), ops.multiply(m1, b2)))
        m5 = ops.negative(ops.add(ops.multiply(m3, a2), ops.multiply(m4, b2)))
        inverse = ops.stack([m0, m1, m2, m3, m4, m5], axis=-1)
        moved = bounding_boxes_utils.transform_corners(ops.subtract(boxes, 0.5), inverse)
        return ops.add(moved, 0.5), height, width

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "fill_mode": self.fill_mode,
                "interpolation": self.interpolation,
                "fill_value": self.fill_value,
            }
        )
        return config


def affine_rows(batch, a0, a1, a2, b0, b1, b2):
    """The `(batch, 8)` transforms `[a0, a1, a2, b0, b1, b2, 0, 0]`: output pixel `(x, y)`
    reads input `(a0 x + a1 y + a2, b0 x + b1 y + b2)`. Each coefficient is a number or a
    `(batch,)`/`(batch, 1)` tensor."""
    # Concatenated (batch, 1) columns rather than stacked (batch,) ones: inside
    # `tf.function`, TensorFlow mis-shapes slices of a stacked transform.
    columns = [
        ops.broadcast_to(ops.reshape(ops.cast(c, "float32"), (-1, 1)), (batch, 1))
        for c in (a0, a1, a2, b0, b1, b2, 0.0, 0.0)
    ]
    return ops.concatenate(columns, axis=1)
