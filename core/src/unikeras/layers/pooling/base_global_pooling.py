"""`BaseGlobalPooling`: reduces all spatial axes with a mean or a max."""

from unikeras.backend.config import standardize_data_format
from unikeras.layers.input_spec import InputSpec
from unikeras.layers.layer import Layer


class BaseGlobalPooling(Layer):
    """Global pooling: `_reduce` (e.g. `ops.mean`) over the `_pool_dimensions` spatial axes.

    Subclasses set the class attributes `_pool_dimensions` and `_reduce`.

    Args:
        data_format: `"channels_last"` or `"channels_first"` (`None`: the global default).
        keepdims: Whether the spatial axes are kept with size 1.
    """

    _pool_dimensions = None
    _reduce = None

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.keepdims = keepdims
        self.input_spec = InputSpec(ndim=self._pool_dimensions + 2)

    @property
    def _spatial_axes(self):
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + self._pool_dimensions))

    def call(self, inputs):
        return self._reduce(inputs, axis=self._spatial_axes, keepdims=self.keepdims)

    def compute_output_shape(self, input_shape):
        spatial = set(self._spatial_axes)
        if self.keepdims:
            return tuple(1 if i in spatial else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in spatial)

    def get_config(self):
        config = super().get_config()
        config.update({"data_format": self.data_format, "keepdims": self.keepdims})
        return config
