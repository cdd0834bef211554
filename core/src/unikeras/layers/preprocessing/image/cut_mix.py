"""`CutMix`: pastes a random rectangle of another image of the batch into each image."""

from unikeras import ops, random
from unikeras.layers.preprocessing.image.augment_utils import random_span, rectangle_mask
from unikeras.layers.preprocessing.image.color_utils import unit_factor
from unikeras.layers.preprocessing.image.mix_up import MixingLayer, permuted


class CutMix(MixingLayer):
    """CutMix augmentation during training (the identity at inference and on one image).

    With `alpha` drawn once per batch in `factor` (plus `1e-6`) and `l_i ~ Beta(alpha,
    alpha)` per image, image `i` receives the pixels of image `p(i)` (`p` a random
    permutation of the batch) in a rectangle covering the fraction `sqrt(1 - l_i)` of its
    width and of its height, at a uniform position. The `"labels"` of dict inputs are
    blended with the weight `1 - area / (height * width)` of the (real-valued) rectangle;
    `"segmentation_masks"` are cut and pasted like the images. Bounding boxes are not
    supported (as in Keras 3).

    Args:
        factor: A number `f` in `[0, 1]` (`alpha` in `[0, f]`) or a pair `(lower, upper)`.
        seed: Int seed of the layer's random generator.
        data_format: `"channels_last"` or `"channels_first"`.

    Examples:
        >>> layer = keras.layers.CutMix(seed=0)
        >>> images = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
        >>> labels = np.array([[1.0, 0.0], [0.0, 1.0]], "float32")  # one-hot
        >>> out = layer({"images": images, "labels": labels})
        >>> out["images"].shape, out["labels"].shape
        ((2, 8, 8, 3), (2, 2))
        >>> bool(np.allclose(out["labels"].sum(axis=-1), 1.0))  # blended labels still sum to 1
        True
    """

    def __init__(self, factor=1.0, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = unit_factor(self, "factor", factor)

    def _draw(self, images):
        shape = tuple(ops.shape(images))
        batch = shape[0]
        height, width = self._image_size(shape)
        alpha = ops.add(self._uniform((), *self.factor), 1e-6)
        weight = random.beta((batch,), alpha, alpha, dtype=self.compute_dtype, seed=self.generator)
        side = ops.sqrt(ops.subtract(1.0, weight))
        x0, x1 = random_span(self, batch, width, side)
        y0, y1 = random_span(self, batch, height, side)
        area = ops.multiply(ops.subtract(x1, x0), ops.subtract(y1, y0))
        return {
            "mask": rectangle_mask(self, shape, x0, x1, y0, y1),
            "weight": ops.subtract(1.0, ops.divide(area, float(height * width))),
            "permutation": self._permutation(batch),
        }

    def _augment(self, images, draws, interpolation):
        return ops.where(draws["mask"], permuted(images, draws["permutation"]), images)

    def _box_dict(self, bounding_boxes, draws, size, batched):
        raise NotImplementedError(
            f'Layer "{self.name}" (CutMix) does not support "bounding_boxes" inputs, as in Keras 3.'
        )

    def get_config(self):
        config = super().get_config()
        config["factor"] = list(self.factor)
        return config
