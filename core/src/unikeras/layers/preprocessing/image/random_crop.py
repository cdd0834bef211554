"""`RandomCrop`: crops a random window of a fixed size in training."""

from unikeras import ops
from unikeras.layers.preprocessing.image.base import FixedSizeOutput, RandomImageLayer
from unikeras.random.seed_generator import make_default_seed


class RandomCrop(FixedSizeOutput, RandomImageLayer):
    """Crops a random `(height, width)` window in training, the same window for every
    image of a batch.

    At inference, and in training when the input is not larger than the target on both
    axes, the largest centred window with the target aspect ratio is resized (bilinear) to
    `(height, width)` instead.

    Args:
        height: Height of the output.
        width: Width of the output.
        seed: Int seed of the layer's random generator (`None`: a random one, kept in the
            config).
        data_format: `"channels_last"` or `"channels_first"`.
        bounding_box_format: (keyword) Format of the boxes of dict inputs (e.g. `"xyxy"`).

    Examples:
        >>> layer = keras.layers.RandomCrop(4, 4, seed=0)
        >>> images = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
        >>> layer(images).shape  # a random window (`training` defaults to True in a direct call)
        (2, 4, 4, 3)
        >>> layer(images, training=False).shape  # inference: the centre, resized
        (2, 4, 4, 3)
    """

    def __init__(self, height, width, seed=None, data_format=None, **kwargs):
        seed = make_default_seed() if seed is None else seed
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.height = height
        self.width = width

    def _transformation(self, images, training):
        in_height, in_width = self._image_size(tuple(ops.shape(images)))
        if training and in_height > self.height and in_width > self.width:
            return (
                self._start(in_height - self.height),
                self._start(in_width - self.width),
                self.height,
                self.width,
            )
        return self._aspect_window(in_height, in_width)

    def _start(self, room):
        """A random int32 offset in `[0, room]`."""
        return ops.cast(self._uniform((), 0.0, float(room + 1)), "int32")
