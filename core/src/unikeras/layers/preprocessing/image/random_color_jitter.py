"""`RandomColorJitter`: random brightness, contrast, saturation and hue in turn."""

from unikeras.layers.preprocessing.image.base import RandomImageLayer
from unikeras.layers.preprocessing.image.base_color import RandomColorLayer
from unikeras.layers.preprocessing.image.random_brightness import RandomBrightness
from unikeras.layers.preprocessing.image.random_contrast import RandomContrast
from unikeras.layers.preprocessing.image.random_hue import RandomHue
from unikeras.layers.preprocessing.image.random_saturation import RandomSaturation


class RandomColorJitter(RandomColorLayer):
    """Randomly adjusts brightness, contrast, saturation and hue, in that order, during
    training (the identity at inference). Each step is skipped when its factor is `None`
    and otherwise works as the layer of the same name with the same `value_range`; all
    draws come from this layer's generator.

    Args:
        value_range: `(low, high)` range of the input values. Defaults to `(0, 255)`.
        brightness_factor: `factor` of `RandomBrightness`, or `None`.
        contrast_factor: `factor` of `RandomContrast`, or `None`.
        saturation_factor: `factor` of `RandomSaturation`, or `None`.
        hue_factor: `factor` of `RandomHue`, or `None`.
        seed: Int seed of the layer's random generator.
        data_format: `"channels_last"` or `"channels_first"`.

    Examples:
        >>> layer = keras.layers.RandomColorJitter(brightness_factor=0.2, contrast_factor=0.2, seed=0)
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
        brightness_factor=None,
        contrast_factor=None,
        saturation_factor=None,
        hue_factor=None,
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        self.factors = {
            "brightness_factor": brightness_factor,
            "contrast_factor": contrast_factor,
            "saturation_factor": saturation_factor,
            "hue_factor": hue_factor,
        }
        steps = zip(
            (RandomBrightness, RandomContrast, RandomSaturation, RandomHue), self.factors.items()
        )
        # Errors name the step, e.g. "random_color_jitter_hue".
        self._steps = tuple(
            step(
                factor,
                value_range=self.value_range,
                data_format=self.data_format,
                dtype=self.dtype_policy,
                name=f"{self.name}_{arg[: -len('_factor')]}",
            )
            for step, (arg, factor) in steps
            if factor is not None
        )
        for step in self._steps:
            step.generator = self.generator

    def _draw(self, images):
        return [step._draw(images) for step in self._steps]

    def _augment(self, images, draws, interpolation):
        for step, draw in zip(self._steps, draws):
            images = step._augment(images, draw, interpolation)
        return images

    def get_config(self):
        config = RandomImageLayer.get_config(self)
        config.update(self.factors, value_range=list(self.value_range))
        return config
