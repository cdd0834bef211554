"""`Resizing`: resizes images to a fixed height and width."""

from unikeras import ops
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
    """

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0,
                 antialias=False, data_format=None, **kwargs):
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

    def call(self, inputs):
        return ops.image.resize(
            inputs, (self.height, self.width), interpolation=self.interpolation,
            antialias=self.antialias, crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio, fill_mode=self.fill_mode,
            fill_value=self.fill_value, data_format=self.data_format)

    def get_config(self):
        config = super().get_config()
        config.update({
            "interpolation": self.interpolation,
            "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
            "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "antialias": self.antialias,
        })
        return config
