"""`AveragePooling3D`: average pooling over 3-D inputs."""

from unikeras.layers.pooling.base_pooling import BasePooling


class AveragePooling3D(BasePooling):
    """Average pooling over `(batch, dim1, dim2, dim3, channels)` inputs (or
    channels_first); with `"same"` padding only positions inside the input count.
    Arguments as in `BasePooling`."""

    def __init__(
        self,
        pool_size=(2, 2, 2),
        strides=None,
        padding="valid",
        data_format=None,
        name=None,
        **kwargs,
    ):
        super().__init__(
            pool_size,
            strides,
            pool_dimensions=3,
            pool_mode="average",
            padding=padding,
            data_format=data_format,
            name=name,
            **kwargs,
        )
