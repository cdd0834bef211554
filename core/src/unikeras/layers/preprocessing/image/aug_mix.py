"""`AugMix`: mixes several chains of random augmentations with the original images."""

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


class AugMix(RandomImageLayer):
    """AugMix data augmentation during training (the identity at inference).

    Per call, `num_chains` chains of `chain_depth` steps are formed; each step applies one
    augmentation picked at random (or none) among `RandomShear`, `RandomTranslation`,
    `RandomRotation`, `RandomPosterization`, `Solarization`, `AutoContrast`, `Equalization`
    and, with `all_ops=True`, `RandomBrightness`, `RandomColorDegeneration`,
    `RandomContrast`, `RandomSharpness`, all with the strength range `factor`
    (`RandomPosterization` with `max(1, int(8 * upper))` bits); the same picks serve the
    whole batch, each augmentation drawing its own random values per step. The chains'
    outputs are averaged with Dirichlet(`alpha`) weights and blended with the input by a
    Beta(`alpha`, `alpha`) weight `w`: `w * images + (1 - w) * mixed`, clipped to
    `value_range`. Segmentation masks of dict inputs are mixed the same way (colour steps
    leave them unchanged); bounding boxes pass through unchanged, as in Keras 3.

    Args:
        value_range: `(low, high)` range of the input values. Defaults to `(0, 255)`.
        num_chains: Number of augmentation chains mixed. Defaults to `3`.
        chain_depth: Number of steps of each chain (each may pick no augmentation).
            Defaults to `3`.
        factor: Strength: a number `f` in `[0, 1]` (the range `[0, f]`) or a pair
            `(lower, upper)`. Defaults to `0.3`.
        alpha: Concentration of the Dirichlet and Beta distributions. Defaults to `1.0`.
        all_ops: Whether the four colour augmentations above are included. Defaults to
            `True`.
        interpolation: `"bilinear"` (default) or `"nearest"` (geometric augmentations).
        seed: Int seed of the layer's random generator.
        data_format: `"channels_last"` or `"channels_first"`.

    Examples:
        >>> layer = keras.layers.AugMix(seed=0)
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
        num_chains=3,
        chain_depth=3,
        factor=0.3,
        alpha=1.0,
        all_ops=True,
        interpolation="bilinear",
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.value_range = value_range_pair(self, value_range)
        for arg, value in (("num_chains", num_chains), ("chain_depth", chain_depth)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(
                    f'Layer "{self.name}": `{arg}` must be a positive int. '
                    f"Received: {arg}={value!r}"
                )
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or alpha <= 0:
            raise ValueError(
                f'Layer "{self.name}": `alpha` must be a positive number. Received: alpha={alpha!r}'
            )
        check_choice(self, "interpolation", interpolation, INTERPOLATIONS)
        self.num_chains = num_chains
        self.chain_depth = chain_depth
        self.factor = unit_factor(self, "factor", factor)
        self.alpha = alpha
        self.all_ops = all_ops
        self.interpolation = interpolation
        common = {"data_format": data_format}
        colour = dict(common, value_range=self.value_range)
        factor = list(self.factor)
        # Own seeds per augmentation: the same seed everywhere would correlate their draws.
        seeds = iter([None] * 11 if seed is None else range(seed + 1, seed + 12))
        self.augmentations = [
            RandomShear(factor, factor, interpolation=interpolation, seed=next(seeds), **common),
            RandomTranslation(
                factor, factor, interpolation=interpolation, seed=next(seeds), **common
            ),
            RandomRotation(factor, interpolation=interpolation, seed=next(seeds), **common),
            RandomPosterization(max(1, int(8 * self.factor[1])), seed=next(seeds), **colour),
            Solarization(factor, factor, seed=next(seeds), **colour),
            AutoContrast(**colour),
            Equalization(**colour),
        ]
        if all_ops:
            self.augmentations += [
                RandomBrightness(factor, seed=next(seeds), **colour),
                RandomColorDegeneration(factor, seed=next(seeds), **colour),
                RandomContrast(factor, seed=next(seeds), **colour),
                RandomSharpness(factor, seed=next(seeds), **colour),
            ]

    def _draw(self, images):
        count = len(self.augmentations)
        # Pick `count` means "no augmentation at this step".
        picks = random.randint(
            (self.num_chains, self.chain_depth), 0, count + 1, seed=self.generator
        )
        gamma = random.gamma(
            (self.num_chains,), self.alpha, dtype=self.compute_dtype, seed=self.generator
        )
        concrete = _concrete(picks)
        # Eager calls draw for the picked augmentations only; traced ones for all of them.
        steps = [
            [
                [
                    layer._transformation(images, True)
                    if concrete is None or concrete[c][d] == k
                    else None
                    for k, layer in enumerate(self.augmentations)
                ]
                for d in range(self.chain_depth)
            ]
            for c in range(self.num_chains)
        ]
        return {
            "picks": picks,
            "concrete_picks": concrete,
            "chain_weights": ops.divide(gamma, ops.sum(gamma)),
            "weight": random.beta(
                (), self.alpha, self.alpha, dtype=self.compute_dtype, seed=self.generator
            ),
            "steps": steps,
        }

    def _mix(self, x, draws, transform):
        """Mixes the chains of `x`; `transform(layer, x, t)` applies one augmentation."""
        picks = draws["concrete_picks"]
        mixed = ops.zeros_like(x)
        for c in range(self.num_chains):
            chained = x
            for d in range(self.chain_depth):
                step = zip(self.augmentations, draws["steps"][c][d])
                if picks is not None:  # eager: run only the picked augmentation
                    k = picks[c][d]
                    if k < len(self.augmentations):
                        chained = transform(self.augmentations[k], chained, draws["steps"][c][d][k])
                    continue
                for k, (layer, t) in enumerate(step):
                    chained = ops.where(
                        ops.equal(draws["picks"][c, d], k), transform(layer, chained, t), chained
                    )
            mixed = ops.add(mixed, ops.multiply(chained, draws["chain_weights"][c]))
        weight = draws["weight"]
        return ops.add(ops.multiply(weight, x), ops.multiply(1.0 - weight, mixed))

    def _augment(self, images, draws, interpolation):
        mixed = self._mix(images, draws, lambda layer, x, t: layer._transform_images(x, t))
        return ops.clip(mixed, *self.value_range)

    def _transform_masks(self, masks, draws):
        if draws is None:
            return masks
        return self._mix(masks, draws, lambda layer, x, t: layer._transform_masks(x, t))

    def _augment_boxes(self, boxes, draws, height, width):
        return None

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "value_range": list(self.value_range),
                "num_chains": self.num_chains,
                "chain_depth": self.chain_depth,
                "factor": list(self.factor),
                "alpha": self.alpha,
                "all_ops": self.all_ops,
                "interpolation": self.interpolation,
            }
        )
        return config


def _concrete(picks):
    """The picks as nested Python ints when they hold values (eager execution), else
    `None` (inside a traced or compiled step, where every augmentation is computed and the
    picked one selected)."""
    try:
        return ops.convert_to_numpy(picks).tolist()
    except Exception:  # noqa: BLE001 - tracers and graph tensors have no value to read
        return None
