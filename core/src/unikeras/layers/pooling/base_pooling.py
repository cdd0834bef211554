"""`BasePooling`: windowed max / average pooling over 1, 2 or 3 spatial axes."""

from unikeras import ops
from unikeras.backend.config import standardize_data_format
from unikeras.layers.convolutional.conv_utils import (
    spatial_output_shape,
    standardize_padding,
    standardize_tuple,
    with_channels,
)
from unikeras.layers.input_spec import InputSpec
from unikeras.layers.layer import Layer

_POOL_OPS = {"max": ops.max_pool, "average": ops.average_pool}


class BasePooling(Layer):
    """Pooling with a `pool_size` window moved by `strides` (default: `pool_size`).

    Args:
        pool_size: int or tuple of `pool_dimensions` ints.
        strides: int, tuple, or `None` (`pool_size`).
        pool_dimensions: Number of spatial axes.
        pool_mode: `"max"` or `"average"`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"` (`None`: the global default).
    """

    def __init__(
        self,
        pool_size,
        strides,
        pool_dimensions,
        pool_mode="max",
        padding="valid",
        data_format=None,
        name=None,
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        self.pool_size = standardize_tuple(pool_size, pool_dimensions, "pool_size")
        strides = pool_size if strides is None else strides
        self.strides = standardize_tuple(strides, pool_dimensions, "strides")
        self.pool_mode = pool_mode
        self.padding = standardize_padding(padding)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)

    def call(self, inputs):
        return _POOL_OPS[self.pool_mode](
            inputs, self.pool_size, self.strides, self.padding, self.data_format
        )

    def compute_output_shape(self, input_shape):
        spatial = spatial_output_shape(
            self,
            input_shape,
            self.pool_size,
            self.strides,
            (1,) * len(self.pool_size),
            self.padding,
        )
        channels = input_shape[-1 if self.data_format == "channels_last" else 1]
        return with_channels(self, input_shape[0], spatial, channels)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "pool_size": self.pool_size,
                "padding": self.padding,
                "strides": self.strides,
                "data_format": self.data_format,
            }
        )
        return config
