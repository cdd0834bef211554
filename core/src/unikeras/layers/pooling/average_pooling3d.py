"""`AveragePooling3D`: average pooling over 3-D inputs."""

from unikeras.layers.pooling.base_pooling import BasePooling


class AveragePooling3D(BasePooling):
    """Average pooling over `(batch, dim1, dim2, dim3, channels)` inputs (or
    channels_first); with `"same"` padding only positions inside the input count.

    Args:
        pool_size: An int or a tuple of 3 ints: the size of the pooling window (default 2).
        strides: An int or a tuple of 3 ints, or `None` (the default: `pool_size`): the step of the
            window.
        padding: `"valid"` (no padding, the default: output size `floor((size - pool_size) /
            strides) + 1`) or `"same"` (output size `ceil(size / strides)`).
        data_format: `"channels_last"` (inputs `(batch, dim1, dim2, dim3, channels)`) or
            `"channels_first"` (inputs `(batch, channels, dim1, dim2, dim3)`); `None`:
            `keras.config.image_data_format()`.
        name: Optional name of the layer.

    Examples:
        >>> x = np.arange(8.0, dtype="float32").reshape(1, 2, 2, 2, 1)
        >>> keras.layers.AveragePooling3D(2)(x)[..., 0]  # mean of 0..7
        array([[[[3.5]]]], dtype=float32)
        >>> keras.layers.AveragePooling3D(2, padding="same")(np.ones((1, 3, 4, 5, 2))).shape
        (1, 2, 2, 3, 2)
    """

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
