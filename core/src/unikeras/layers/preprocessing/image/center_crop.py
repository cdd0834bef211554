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
        bounding_box_format: (keyword) Format of the boxes of dict inputs (e.g. `"xyxy"`).

    Examples:
        >>> x = np.arange(16.0, dtype="float32").reshape(1, 4, 4, 1)
        >>> keras.layers.CenterCrop(2, 2)(x)[0, ..., 0]
        array([[ 5.,  6.],
               [ 9., 10.]], dtype=float32)
    """

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = height
        self.width = width

    def _transformation(self, images, training):
        in_height, in_width = self._image_size(tuple(ops.shape(images)))
        if in_height >= self.height and in_width >= self.width:
            return (
                (in_height - self.height) // 2,
                (in_width - self.width) // 2,
                self.height,
                self.width,
            )
        return self._aspect_window(in_height, in_width)
