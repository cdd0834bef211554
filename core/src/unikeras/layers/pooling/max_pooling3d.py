"""`MaxPooling3D`: max pooling over 3-D inputs."""

from unikeras.layers.pooling.base_pooling import BasePooling


class MaxPooling3D(BasePooling):
    """Max pooling over `(batch, dim1, dim2, dim3, channels)` inputs (or channels_first):
    the largest value of each window.

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
        >>> keras.layers.MaxPooling3D(2)(x)[..., 0]
        array([[[[7.]]]], dtype=float32)
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
            pool_mode="max",
            padding=padding,
            data_format=data_format,
            name=name,
            **kwargs,
        )
