"""`RandomGrayscale`: turns a random share of the images into grayscale."""

from unikeras import ops
from unikeras.layers.preprocessing.image.base import RandomImageLayer
from unikeras.layers.preprocessing.image.base_color import RandomColorLayer


class RandomGrayscale(RandomColorLayer):
    """Randomly converts images to grayscale during training (the identity at inference).

    Each image is replaced, with probability `factor`, by its luma
    `0.2989 R + 0.5870 G + 0.1140 B` repeated over its channels; the others are unchanged.
    Bounding boxes and segmentation masks of dict inputs pass through unchanged.

    Args:
        factor: Probability in `[0, 1]` of converting each image. Defaults to `0.5`.
        data_format: `"channels_last"` or `"channels_first"`; `None` means
            `keras.config.image_data_format()`.
        seed: Int seed of the layer's random generator.

    Examples:
        >>> layer = keras.layers.RandomGrayscale(factor=1.0, seed=0)  # always convert
        >>> layer(np.array([[[[255.0, 0.0, 0.0]]]], "float32"))  # 0.2989 * 255
        array([[[[76.219505, 76.219505, 76.219505]]]], dtype=float32)
    """

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not 0 <= factor <= 1:
            raise ValueError(
                f'Layer "{self.name}": `factor` must be a number in [0, 1]. '
                f"Received: factor={factor!r}"
            )
        self.factor = factor

    def _factor_bounds(self):
        return 0.0, 1.0

    def _augment(self, images, draws, interpolation):
        gray = ops.image.rgb_to_grayscale(images, data_format=self.data_format)
        return ops.where(ops.less(draws, self.factor), gray, images)

    def get_config(self):
        # No `value_range` in Keras 3: skip the colour base's entries.
        config = RandomImageLayer.get_config(self)
        config["factor"] = self.factor
        return config
