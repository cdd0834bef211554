"""`RandAugment`: applies `num_ops` augmentations picked at random from a fixed list."""

from unikeras import ops, random
from unikeras.layers.preprocessing.image.auto_contrast import AutoContrast
from unikeras.layers.preprocessing.image.base import RandomImageLayer, check_choice
from unikeras.layers.preprocessing.image.base_affine import INTERPOLATIONS
from unikeras.layers.preprocessing.image.color_utils import unit_factor, value_range_pair
from unikeras.layers.preprocessing.image.equalization import Equalization
from unikeras.layers.preprocessing.image.random_brightness import RandomBrightness
from unikeras.layers.preprocessing.image.random_color_degeneration import (
    RandomColorDegeneration,
)
from unikeras.layers.preprocessing.image.random_contrast import RandomContrast
from unikeras.layers.preprocessing.image.random_posterization import RandomPosterization
from unikeras.layers.preprocessing.image.random_rotation import RandomRotation
from unikeras.layers.preprocessing.image.random_sharpness import RandomSharpness
from unikeras.layers.preprocessing.image.random_shear import RandomShear
from unikeras.layers.preprocessing.image.random_translation import RandomTranslation
from unikeras.layers.preprocessing.image.solarization import Solarization


class RandAugment(RandomImageLayer):
    """RandAugment during training (the identity at inference).

    Each call picks `num_ops` augmentations (with repetition, one pick for the whole batch)
    among, in this order: `RandomShear`, `RandomTranslation`, `RandomRotation`,
    `RandomBrightness`, `RandomColorDegeneration`, `RandomContrast`, `RandomSharpness`,
    `RandomPosterization`, `Solarization`, `AutoContrast` and `Equalization`, all built with
    the same `factor` range (`RandomPosterization` with `max(1, int(8 * upper))` bits), and
    applies them in turn. Each augmentation draws its random values once per call (an
    augmentation picked twice repeats the same draw, as in Keras 3). Bounding boxes and
    segmentation masks of dict inputs follow the geometric augmentations.

    Args:
        value_range: `(low, high)` range of the input values.
        num_ops: Number of augmentations applied per call.
        factor: Strength: a number `f` in `[0, 1]` (the range `[0, f]`) or a pair
            `(lower, upper)`.
        interpolation: `"bilinear"` or `"nearest"` (geometric augmentations).
        seed: Int seed of the layer's random generator.
        data_format: `"channels_last"` or `"channels_first"`.

    Examples:
        >>> layer = keras.layers.RandAugment(num_ops=2, factor=0.5, seed=0)
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
        value_range=(0, 255),
        num_ops=2,
        factor=0.5,
        interpolation="bilinear",
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.value_range = value_range_pair(self, value_range)
        if isinstance(num_ops, bool) or not isinstance(num_ops, int) or num_ops < 0:
            raise ValueError(
                f'Layer "{self.name}": `num_ops` must be a non-negative int. '
                f"Received: num_ops={num_ops!r}"
            )
        self.num_ops = num_ops
        self.factor = unit_factor(self, "factor", factor)
        check_choice(self, "interpolation", interpolation, INTERPOLATIONS)
        self.interpolation = interpolation
        common = {"data_format": data_format}
        colour = dict(common, value_range=self.value_range)
        factor = list(self.factor)
        # Own seeds per augmentation: the same seed everywhere would correlate their draws.
        seeds = iter([None] * 9 if seed is None else range(seed + 1, seed + 10))
        self.augmentations = [
            RandomShear(factor, factor, interpolation=interpolation, seed=next(seeds), **common),
            RandomTranslation(
                factor, factor, interpolation=interpolation, seed=next(seeds), **common
            ),
            RandomRotation(factor, interpolation=interpolation, seed=next(seeds), **common),
            RandomBrightness(factor, seed=next(seeds), **colour),
            RandomColorDegeneration(factor, seed=next(seeds), **colour),
            RandomContrast(factor, seed=next(seeds), **colour),
            RandomSharpness(factor, seed=next(seeds), **colour),
            RandomPosterization(max(1, int(8 * self.factor[1])), seed=next(seeds), **colour),
            Solarization(factor, factor, seed=next(seeds), **colour),
            AutoContrast(**colour),
            Equalization(**colour),
        ]

    def _draw(self, images):
        picks = random.randint((self.num_ops,), 0, len(self.augmentations), seed=self.generator)
        return {
            "picks": picks,
            "transforms": [layer._transformation(images, True) for layer in self.augmentations],
        }

    def _apply(self, x, draws, transform):
        """`x` through the picked augmentations; `transform(layer, x, t)` applies one."""
        for i in range(self.num_ops):
            for k, (layer, t) in enumerate(zip(self.augmentations, draws["transforms"])):
                x = ops.where(ops.equal(draws["picks"][i], k), transform(layer, x, t), x)
        return x

    def _augment(self, images, draws, interpolation):
        return self._apply(images, draws, lambda layer, x, t: layer._transform_images(x, t))

    def _transform_masks(self, masks, draws):
        if draws is None:
            return masks
        return self._apply(masks, draws, lambda layer, x, t: layer._transform_masks(x, t))

    def _augment_boxes(self, boxes, draws, height, width):
        def move(layer, x, t):
            moved = layer._transform_boxes(x, t, height, width)
            return x if moved is None else moved[0]

        return self._apply(boxes, draws, move), height, width

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "value_range": list(self.value_range),
                "num_ops": self.num_ops,
                "factor": list(self.factor),
                "interpolation": self.interpolation,
            }
        )
        return config
