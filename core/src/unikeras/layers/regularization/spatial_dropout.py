"""`SpatialDropout1D/2D/3D`: dropout of whole feature maps (channels)."""

from unikeras.backend.config import standardize_data_format
from unikeras.layers.input_spec import InputSpec
from unikeras.layers.regularization.dropout import Dropout


class BaseSpatialDropout(Dropout):
    """Dropout whose keep mask is shared over all spatial positions of a channel."""

    _rank = None

    def __init__(self, rate, seed=None, data_format=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self._rank + 2)

    def _noise_shape(self, inputs):
        shape = tuple(inputs.shape)
        if self.data_format == "channels_first":
            return shape[:2] + (1,) * self._rank
        return (shape[0],) + (1,) * self._rank + (shape[-1],)

    def get_config(self):
        config = super().get_config()
        del config["noise_shape"]
        config["data_format"] = self.data_format
        return config


class SpatialDropout1D(BaseSpatialDropout):
    """Drops whole channels of `(batch, steps, channels)` inputs in training.

    Args:
        rate: Fraction of the channels to drop, in `[0, 1]`.
        seed: Int seed of the layer's random generator.

    Examples:
        >>> layer = keras.layers.SpatialDropout1D(0.5, seed=1)
        >>> y = np.asarray(layer(np.ones((1, 4, 3), "float32"), training=True))
        >>> bool(np.all(y == y[:, :1]))  # a channel is dropped or kept everywhere
        True
        >>> set(np.unique(y).tolist()) <= {0.0, 2.0}  # kept values scaled by 1 / (1 - rate)
        True
    """

    _rank = 1

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(rate, seed=seed, data_format="channels_last", **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["data_format"]
        return config


class SpatialDropout2D(BaseSpatialDropout):
    """Drops whole channels of 4-D inputs in training.

    Args:
        rate: Fraction of the channels to drop, in `[0, 1]`.
        data_format: `"channels_last"` or `"channels_first"` (default: the global setting).
        seed: Int seed of the layer's random generator.

    Examples:
        >>> layer = keras.layers.SpatialDropout2D(0.5, seed=1)
        >>> y = np.asarray(layer(np.ones((1, 2, 2, 3), "float32"), training=True))
        >>> bool(np.all(y == y[:, :1, :1]))  # a channel is dropped or kept everywhere
        True
        >>> set(np.unique(y).tolist()) <= {0.0, 2.0}  # kept values scaled by 1 / (1 - rate)
        True
    """

    _rank = 2

    def __init__(self, rate, data_format=None, seed=None, **kwargs):
        super().__init__(rate, seed=seed, data_format=data_format, **kwargs)


class SpatialDropout3D(BaseSpatialDropout):
    """Drops whole channels of 5-D inputs in training.

    Args:
        rate: Fraction of the channels to drop, in `[0, 1]`.
        data_format: `"channels_last"` or `"channels_first"` (default: the global setting).
        seed: Int seed of the layer's random generator.

    Examples:
        >>> layer = keras.layers.SpatialDropout3D(0.5, seed=1)
        >>> y = np.asarray(layer(np.ones((1, 2, 2, 2, 3), "float32"), training=True))
        >>> bool(np.all(y == y[:, :1, :1, :1]))  # a channel is dropped or kept everywhere
        True
        >>> set(np.unique(y).tolist()) <= {0.0, 2.0}  # kept values scaled by 1 / (1 - rate)
        True
    """

    _rank = 3

    def __init__(self, rate, data_format=None, seed=None, **kwargs):
        super().__init__(rate, seed=seed, data_format=data_format, **kwargs)
