"""Bases of the image preprocessing layers: image axes, rank checks, seeds, factor ranges."""

from unikeras import ops, random
from unikeras.backend.config import standardize_data_format
from unikeras.layers.input_spec import InputSpec
from unikeras.layers.layer import Layer


class ImageLayer(Layer):
    """Base of the layers that take rank-3 (one image) or rank-4 (a batch) images.

    Args:
        data_format: `"channels_last"` (`(..., height, width, channels)`) or
            `"channels_first"` (`(..., channels, height, width)`); `None` means
            `keras.config.image_data_format()`.
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(min_ndim=3, max_ndim=4)

    def _spatial_axes(self, rank):
        """`(height_axis, width_axis)` of images of `rank`."""
        first = rank - 3 if self.data_format == "channels_last" else rank - 2
        return first, first + 1

    def _image_size(self, shape):
        """`(height, width)` of images of `shape`."""
        height_axis, width_axis = self._spatial_axes(len(shape))
        return shape[height_axis], shape[width_axis]

    @staticmethod
    def _on_batch(fn, images):
        """Applies `fn` (batch in, batch out) to a batch or to one image."""
        if len(images.shape) == 4:
            return fn(images)
        return ops.squeeze(fn(ops.expand_dims(images, 0)), 0)

    def _crop(self, images, top, left, height, width):
        """The `(height, width)` window at `(top, left)` (ints or int scalar tensors) of a
        batch of images."""
        shape = tuple(ops.shape(images))
        if self.data_format == "channels_last":
            starts, size = [0, top, left, 0], (shape[0], height, width, shape[3])
        else:
            starts, size = [0, 0, top, left], (shape[0], shape[1], height, width)
        if not all(isinstance(s, int) for s in starts):
            starts = ops.stack([ops.cast(s, "int32") for s in starts])
        return ops.slice(images, starts, size)

    def _check_rank(self, shape):
        if len(shape) not in (3, 4):
            raise ValueError(
                f'Layer "{self.name}" ({type(self).__name__}) expected images of rank 3 '
                f"(unbatched) or 4 (batched). Received: inputs.shape={tuple(shape)}"
            )

    def _resized_shape(self, input_shape, height, width):
        """`input_shape` with the image size replaced by `(height, width)`."""
        self._check_rank(input_shape)
        shape = list(input_shape)
        height_axis, width_axis = self._spatial_axes(len(shape))
        shape[height_axis], shape[width_axis] = height, width
        return tuple(shape)

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config


class FixedSizeOutput:
    """Mixin of the image layers whose outputs are `(self.height, self.width)` images."""

    def _resize_aspect_window(self, images):
        """The largest centred window of `images` with the target aspect ratio, resized
        (bilinear) to the target size."""
        return ops.image.resize(images, (self.height, self.width), crop_to_aspect_ratio=True,
                                data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        return self._resized_shape(input_shape, self.height, self.width)

    def get_config(self):
        config = super().get_config()
        config.update({"height": self.height, "width": self.width})
        return config


class RandomImageLayer(ImageLayer):
    """Base of the random augmentation layers: active only when called with
    `training=True` (the default of a direct call, as in Keras 3); the identity (cast to the
    compute dtype) otherwise.

    Subclasses implement `_augment(images)` on a batch (rank 4); one image is augmented as
    a batch of one.

    Args:
        seed: Int seed of the layer's `SeedGenerator`.
        data_format: As in `ImageLayer`.
    """

    def __init__(self, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def call(self, inputs, training=True):
        inputs = ops.cast(inputs, self.compute_dtype)
        if not training:
            return inputs
        return self._on_batch(self._augment, inputs)

    def _uniform(self, shape, lower, upper):
        """Uniform draws in `[lower, upper)` from the layer's generator."""
        return random.uniform(shape, minval=lower, maxval=upper, dtype=self.compute_dtype,
                              seed=self.generator)

    def get_config(self):
        config = super().get_config()
        config["seed"] = self.seed
        return config


def factor_range(layer, arg, factor, low, high, low_open=False, symmetric=True):
    """Checks a Keras factor argument (a number or two numbers in `[low, high]`, or
    `(low, high]` when `low_open`) and returns its sorted `(lower, upper)` pair.

    A single number `f` gives `(-|f|, |f|)` when `symmetric`, else `(f, f)`.
    """
    values = list(factor) if isinstance(factor, (list, tuple)) else [factor]
    valid = len(values) in (1, 2) and all(
        isinstance(v, (int, float)) and not isinstance(v, bool)
        and (low < v if low_open else low <= v) and v <= high for v in values)
    if not valid:
        interval = f"{'(' if low_open else '['}{low}, {high}]"
        raise ValueError(
            f'Layer "{layer.name}": `{arg}` must be a number or a list of two numbers in '
            f"{interval}. Received: {arg}={factor!r}"
        )
    if len(values) == 2:
        lower, upper = sorted(values)
    elif symmetric:
        lower, upper = -abs(values[0]), abs(values[0])
    else:
        lower = upper = values[0]
    return float(lower), float(upper)


def check_choice(layer, arg, value, choices):
    """Checks that argument `arg` of `layer` is one of `choices`."""
    if value not in choices:
        raise ValueError(
            f'Layer "{layer.name}": `{arg}` must be one of {list(choices)}. '
            f"Received: {arg}={value!r}"
        )
