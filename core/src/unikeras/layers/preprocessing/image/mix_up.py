"""`MixUp`: blends each image (and its labels) with another image of the batch."""

from unikeras import ops, random
from unikeras.layers.preprocessing.image.base import RandomImageLayer


def permuted(x, permutation):
    """`x` with its batch reordered by `permutation`."""
    return ops.take(x, permutation, axis=0)


class MixingLayer(RandomImageLayer):
    """Base of the layers that mix each sample with the sample `permutation[i]` of a random
    permutation of the batch; the `"labels"` of dict inputs are blended with the weights
    `draws["weight"]` (`(batch,)`) of the sample itself."""

    def _transform_labels(self, labels, draws):
        labels = ops.cast(labels, self.compute_dtype)
        weight = ops.reshape(draws["weight"], (-1,) + (1,) * (len(labels.shape) - 1))
        return ops.add(
            ops.multiply(weight, labels),
            ops.multiply(ops.subtract(1.0, weight), permuted(labels, draws["permutation"])),
        )

    def _permutation(self, batch):
        return random.shuffle(ops.arange(batch, dtype="int32"), seed=self.generator)


class MixUp(MixingLayer):
    """MixUp augmentation during training (the identity at inference).

    Each image `i` of a batch becomes `w_i x_i + (1 - w_i) x_p(i)`, with `p` a random
    permutation of the batch and `w_i ~ Beta(alpha, alpha)`. The `"labels"` and
    `"segmentation_masks"` of dict inputs are blended alike; the `"bounding_boxes"` of image
    `i` gain those of image `p(i)` (appended along the box axis, with their labels).

    Args:
        alpha: Positive concentration of the Beta distribution of the weights.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: Int seed of the layer's random generator.

    Examples:
        >>> layer = keras.layers.MixUp(alpha=0.2, seed=0)
        >>> images = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
        >>> labels = np.array([[1.0, 0.0], [0.0, 1.0]], "float32")  # one-hot
        >>> out = layer({"images": images, "labels": labels})
        >>> out["images"].shape, out["labels"].shape
        ((2, 8, 8, 3), (2, 2))
        >>> bool(np.allclose(out["labels"].sum(axis=-1), 1.0))  # blended labels still sum to 1
        True
    """

    def __init__(self, alpha=0.2, data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or alpha <= 0:
            raise ValueError(
                f'Layer "{self.name}": `alpha` must be a positive number. Received: alpha={alpha!r}'
            )
        self.alpha = alpha

    def _draw(self, images):
        batch = ops.shape(images)[0]
        # Keras 3's draw order: the permutation, then the weights.
        permutation = self._permutation(batch)
        weight = random.beta(
            (batch,), self.alpha, self.alpha, dtype=self.compute_dtype, seed=self.generator
        )
        return {"permutation": permutation, "weight": weight}

    def _augment(self, images, draws, interpolation):
        weight = ops.reshape(ops.cast(draws["weight"], images.dtype), (-1, 1, 1, 1))
        return ops.add(
            ops.multiply(weight, images),
            ops.multiply(ops.subtract(1.0, weight), permuted(images, draws["permutation"])),
        )

    def _box_dict(self, bounding_boxes, draws, size, batched):
        out = super()._box_dict(bounding_boxes, None, size, batched)
        if draws is None:
            return out
        boxes, labels = out["boxes"], out["labels"]
        if batched:
            boxes = ops.concatenate([boxes, permuted(boxes, draws["permutation"])], axis=1)
            labels = ops.concatenate([labels, permuted(labels, draws["permutation"])], axis=1)
        else:  # a batch of one mixes with itself
            boxes = ops.concatenate([boxes, boxes], axis=0)
            labels = ops.concatenate([labels, labels], axis=0)
        return dict(out, boxes=boxes, labels=labels)

    def get_config(self):
        config = super().get_config()
        config["alpha"] = self.alpha
        return config
