"""`CenterCrop`: crops the centre of images to a fixed size."""

from unikeras import ops
from unikeras.layers.preprocessing.image.base import FixedSizeOutput, ImageLayer


class CenterCrop(FixedSizeOutput, ImageLayer):
    """Crops the central `(height, width)` window of images.

    An image smaller than the target on either axis is instead cropped to the largest
    centred window with the target aspect ratio and resized (bilinear) to the target.

    Args:
        height: Height of the output.
        width: Width of the output.
        data_format: `"channels_last"` or `"channels_first"`.
    """

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = height
        self.width = width

    def call(self, inputs):
        inputs = ops.cast(inputs, self.compute_dtype)
        in_height, in_width = self._image_size(tuple(ops.shape(inputs)))
        if in_height >= self.height and in_width >= self.width:
            top, left = (in_height - self.height) // 2, (in_width - self.width) // 2
            return self._on_batch(
                lambda x: self._crop(x, top, left, self.height, self.width), inputs)
        return self._resize_aspect_window(inputs)

