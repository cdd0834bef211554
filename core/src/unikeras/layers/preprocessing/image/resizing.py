"""`Resizing`: resizes images to a fixed height and width."""

from unikeras import ops
from unikeras.backend.common.image_args import aspect_pads
from unikeras.layers.preprocessing.image.base import FixedSizeOutput, ImageLayer, check_choice

INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5")


class Resizing(FixedSizeOutput, ImageLayer):
    """Resizes images to `(height, width)` with `ops.image.resize`.

    Args:
        height: Height of the output.
        width: Width of the output.
        interpolation: `"bilinear"`, `"nearest"`, `"bicubic"`, `"lanczos3"` or
            `"lanczos5"`.
        crop_to_aspect_ratio: Resize the largest centred window with the target aspect
            ratio (no distortion).
        pad_to_aspect_ratio: Pad the short side evenly to the target aspect ratio first
            (no distortion).
        fill_mode: Padding mode of `pad_to_aspect_ratio`; only `"constant"`.
        fill_value: Padding value of `pad_to_aspect_ratio`.
        antialias: Widen the filter when downsampling.
        data_format: `"channels_last"` or `"channels_first"`.
        bounding_box_format: (keyword) Format of the boxes of dict inputs (e.g. `"xyxy"`);
            boxes are scaled (and shifted by the crop or padding) with the images.

    Examples:
        >>> x = np.arange(4.0, dtype="float32").reshape(1, 2, 2, 1)
        >>> keras.layers.Resizing(4, 4, interpolation="nearest")(x)[0, ..., 0]
        array([[0., 0., 1., 1.],
               [0., 0., 1., 1.],
               [2., 2., 3., 3.],
               [2., 2., 3., 3.]], dtype=float32)
        >>> keras.layers.Resizing(3, 5)(np.zeros((2, 8, 8, 3), "float32")).shape
        (2, 3, 5, 3)
    """

    def __init__(
        self,
        height,
        width,
        interpolation="bilinear",
        crop_to_aspect_ratio=False,
        pad_to_aspect_ratio=False,
        fill_mode="constant",
        fill_value=0.0,
        antialias=False,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        check_choice(self, "interpolation", interpolation, INTERPOLATIONS)
        check_choice(self, "fill_mode", fill_mode, ("constant",))
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError(
                f'Layer "{self.name}": only one of `crop_to_aspect_ratio` and '
                "`pad_to_aspect_ratio` can be True."
            )
        self.height = height
        self.width = width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)

    def _transformation(self, images, training):
        """The `(top, left, height, width)` window of the input that fills the output
        (outside the input when padding)."""
        height, width = self._image_size(tuple(ops.shape(images)))
        if self.crop_to_aspect_ratio:
            return self._aspect_window(height, width)
        if self.pad_to_aspect_ratio:
            (top, _), (left, _) = aspect_pads(height, width, self.height, self.width)
            return -top, -left, height + 2 * top, width + 2 * left
        return 0, 0, height, width

    def _transform_images(self, images, window, interpolation=None):
        return ops.image.resize(
            images,
            (self.height, self.width),
            interpolation=interpolation or self.interpolation,
            antialias=self.antialias,
            crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )

    def _transform_boxes(self, boxes, window, height, width):
        moved, height, width = self._window_boxes(boxes, window)
        # As in Keras 3, padding boxes (all 0 or all -1) stay all 0.
        padding = ops.logical_or(
            ops.all(ops.equal(boxes, 0.0), axis=-1, keepdims=True),
            ops.all(ops.equal(boxes, -1.0), axis=-1, keepdims=True),
        )
        return ops.where(padding, ops.zeros_like(moved), moved), height, width

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "interpolation": self.interpolation,
                "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
                "fill_mode": self.fill_mode,
                "fill_value": self.fill_value,
                "antialias": self.antialias,
            }
        )
        return config
