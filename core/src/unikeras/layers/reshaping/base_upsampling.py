"""`BaseUpSampling`: repeats the entries of each spatial axis, behind `UpSampling1D/2D/3D`."""

from unikeras import ops
from unikeras.backend.config import standardize_data_format
from unikeras.layers.convolutional.conv_utils import spatial_axes, standardize_tuple
from unikeras.layers.input_spec import InputSpec
from unikeras.layers.layer import Layer


class BaseUpSampling(Layer):
    """Nearest-neighbour upsampling: each entry of spatial axis `i` is repeated `size[i]`
    times.

    Args:
        rank: Number of spatial axes.
        size: int or tuple of `rank` ints, the upsampling factors.
        data_format: `"channels_last"` or `"channels_first"` (`None`: the global default).
    """

    def __init__(self, rank, size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.size = standardize_tuple(size, rank, "size")
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)

    @property
    def _spatial_axes(self):
        return spatial_axes(self.data_format, self.rank)

    def call(self, inputs):
        for axis, factor in zip(self._spatial_axes, self.size):
            inputs = ops.repeat(inputs, factor, axis=axis)
        return inputs

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, factor in zip(self._spatial_axes, self.size):
            shape[axis] = None if shape[axis] is None else shape[axis] * factor
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config.update({"size": self.size, "data_format": self.data_format})
        return config
