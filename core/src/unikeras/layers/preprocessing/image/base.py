"""Bases of the image preprocessing layers: image axes, rank checks, seeds, factor ranges."""

from unikeras import ops, random
from unikeras.backend import table
from unikeras.backend.common.image_args import aspect_box
from unikeras.backend.config import standardize_data_format
from unikeras.layers.input_spec import InputSpec, assert_input_compatibility
from unikeras.layers.layer import Layer
from unikeras.utils import bounding_boxes as bounding_boxes_utils


class ImageLayer(Layer):
    """Base of the layers that take rank-3 (one image) or rank-4 (a batch) images, or a
    dict `{"images": ..., "bounding_boxes": {"boxes": ..., "labels": ...},
    "segmentation_masks": ...}` whose boxes and masks are transformed like the images (the
    same random draw per sample; masks with nearest interpolation). Other keys pass through.

    Subclasses implement, on a batch (rank 4): `_transformation(images, training)` (the
    random draws, `None` for the identity), `_transform_images(images, transformation,
    interpolation=None)` (`None`: the layer's own interpolation) and
    `_transform_boxes(boxes, transformation, height, width)`: the moved xyxy boxes
    `(batch, N, 4)` of `(height, width)` images and the output `(height, width)`, or
    `None` when the boxes do not move. Moved boxes are clipped to the output image and
    boxes left without area get label `-1`, as in Keras 3.

    Args:
        bounding_box_format: Format of the input boxes (see
            `keras.utils.bounding_boxes.convert_format`); required for box inputs.
        data_format: `"channels_last"` (`(..., height, width, channels)`) or
            `"channels_first"` (`(..., channels, height, width)`); `None` means
            `keras.config.image_data_format()`.
    """

    def __init__(self, bounding_box_format=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.bounding_box_format = bounding_box_format
        self.input_spec = InputSpec(min_ndim=3, max_ndim=4)

    def __call__(self, inputs, *args, **kwargs):
        if not isinstance(inputs, dict):
            return super().__call__(inputs, *args, **kwargs)
        if "images" not in inputs:
            raise ValueError(
                f'Layer "{self.name}" ({type(self).__name__}): a dict input needs '
                f'an "images" entry. Received keys: {sorted(inputs)}'
            )
        assert_input_compatibility(self.input_spec, inputs["images"], self.name)
        # The spec describes the images alone, not every tensor of the dict.
        spec, self.input_spec = self.input_spec, None
        try:
            return super().__call__(inputs, *args, **kwargs)
        finally:
            self.input_spec = spec

    def compute_output_spec(self, inputs, *args, **kwargs):
        if isinstance(inputs, dict):
            return table.compute_output_spec(self.call, (inputs,) + args, kwargs)
        return super().compute_output_spec(inputs, *args, **kwargs)

    def call(self, inputs, training=True):
        if isinstance(inputs, dict):
            return self._call_dict(inputs, training)
        images = ops.cast(inputs, self.compute_dtype)
        return self._on_batch(
            lambda x: self._transform_images(x, self._transformation(x, training)), images
        )

    def _call_dict(self, data, training):
        images = ops.cast(data["images"], self.compute_dtype)
        batched = len(images.shape) == 4
        if not batched:
            images = ops.expand_dims(images, 0)
        transformation = self._transformation(images, training)
        unbatch = (lambda x: x) if batched else (lambda x: ops.squeeze(x, 0))
        outputs = dict(data)
        outputs["images"] = unbatch(self._transform_images(images, transformation))
        if "segmentation_masks" in data:
            masks = ops.cast(data["segmentation_masks"], self.compute_dtype)
            masks = masks if batched else ops.expand_dims(masks, 0)
            outputs["segmentation_masks"] = unbatch(self._transform_masks(masks, transformation))
        if "bounding_boxes" in data:
            outputs["bounding_boxes"] = self._box_dict(
                data["bounding_boxes"],
                transformation,
                self._image_size(tuple(images.shape)),
                batched,
            )
        if "labels" in data and batched and transformation is not None:
            outputs["labels"] = self._transform_labels(data["labels"], transformation)
        return outputs

    def _transform_labels(self, labels, transformation):
        """The `"labels"` entry of a batched dict input; unchanged unless a layer mixes
        samples."""
        return labels

    def _transformation(self, images, training):
        return None

    def _transform_masks(self, masks, transformation):
        return self._transform_images(masks, transformation, "nearest")

    def _box_dict(self, bounding_boxes, transformation, size, batched):
        if self.bounding_box_format is None:
            raise ValueError(
                f'Layer "{self.name}" ({type(self).__name__}) received "bounding_boxes" but '
                'has no `bounding_box_format`: pass e.g. `bounding_box_format="xyxy"` to '
                "the layer."
            )
        if not isinstance(bounding_boxes, dict) or not {"boxes", "labels"} <= set(bounding_boxes):
            raise ValueError(
                f'Layer "{self.name}": "bounding_boxes" must be a dict with keys "boxes" and '
                f'"labels". Received: {bounding_boxes!r}'
            )
        boxes = ops.cast(bounding_boxes["boxes"], "float32")
        labels = ops.convert_to_tensor(bounding_boxes["labels"])
        if len(boxes.shape) != (3 if batched else 2) or boxes.shape[-1] != 4:
            raise ValueError(
                f'Layer "{self.name}": boxes must have shape '
                f"{'(batch, num_boxes, 4)' if batched else '(num_boxes, 4)'} for "
                f"{'batched' if batched else 'unbatched'} images. "
                f"Received: boxes.shape={tuple(boxes.shape)}"
            )
        if not batched:
            boxes, labels = ops.expand_dims(boxes, 0), ops.expand_dims(labels, 0)
        fmt = self.bounding_box_format
        height, width = size
        moved = self._transform_boxes(
            bounding_boxes_utils.convert_format(boxes, fmt, "xyxy", height, width),
            transformation,
            height,
            width,
        )
        if moved is not None:
            moved, height, width = moved
            clipped = bounding_boxes_utils.clip_to_image_size(
                {"boxes": moved, "labels": labels}, height, width
            )
            boxes = bounding_boxes_utils.convert_format(
                clipped["boxes"], "xyxy", fmt, height, width
            )
            labels = clipped["labels"]
        if not batched:
            boxes, labels = ops.squeeze(boxes, 0), ops.squeeze(labels, 0)
        return dict(bounding_boxes, boxes=boxes, labels=labels)

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
        if self.bounding_box_format is not None:
            config["bounding_box_format"] = self.bounding_box_format
        return config


class FixedSizeOutput:
    """Mixin of the image layers whose outputs are `(self.height, self.width)` images."""

    def _resize_aspect_window(self, images, interpolation="bilinear"):
        """The largest centred window of `images` with the target aspect ratio, resized
        to the target size."""
        return ops.image.resize(
            images,
            (self.height, self.width),
            interpolation=interpolation,
            crop_to_aspect_ratio=True,
            data_format=self.data_format,
        )

    def _aspect_window(self, height, width):
        """`(top, left, height, width)` of the window `_resize_aspect_window` resizes."""
        box_h, box_w, top, left = aspect_box(height, width, self.height, self.width, True)
        return top, left, box_h, box_w

    def _window_boxes(self, boxes, window):
        """xyxy `boxes` moved into the frame of the `(top, left, height, width)` window of
        the input (numbers or scalar tensors) resized to the output size; with the output
        `(height, width)`."""
        top, left, height, width = (ops.cast(v, "float32") for v in window)
        offset = ops.stack([left, top, left, top])
        scale = ops.stack([self.width / width, self.height / height] * 2)
        return ops.multiply(ops.subtract(boxes, offset), scale), self.height, self.width

    def _transform_images(self, images, window, interpolation=None):
        """Crops `window` out of `images`, or resizes it (`interpolation`, default bilinear)
        when it is not of the output size."""
        top, left, height, width = window
        if (height, width) == (self.height, self.width):
            return self._crop(images, top, left, height, width)
        return self._resize_aspect_window(images, interpolation or "bilinear")

    def _transform_boxes(self, boxes, window, height, width):
        return self._window_boxes(boxes, window)

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

    Subclasses implement, on a batch (rank 4), `_draw(images)` (the random draws),
    `_augment(images, draws, interpolation)` and `_augment_boxes(boxes, draws, height,
    width)` (see `ImageLayer._transform_boxes`); one image is augmented as a batch of one.

    Args:
        seed: Int seed of the layer's `SeedGenerator`.
        bounding_box_format: As in `ImageLayer`.
        data_format: As in `ImageLayer`.
    """

    def __init__(self, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def _transformation(self, images, training):
        return self._draw(images) if training else None

    def _transform_images(self, images, transformation, interpolation=None):
        if transformation is None:
            return images
        return self._augment(images, transformation, interpolation)

    def _transform_boxes(self, boxes, transformation, height, width):
        if transformation is None:
            return None
        return self._augment_boxes(boxes, transformation, height, width)

    def _uniform(self, shape, lower, upper):
        """Uniform draws in `[lower, upper)` from the layer's generator."""
        return random.uniform(
            shape, minval=lower, maxval=upper, dtype=self.compute_dtype, seed=self.generator
        )

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
        isinstance(v, (int, float))
        and not isinstance(v, bool)
        and (low < v if low_open else low <= v)
        and v <= high
        for v in values
    )
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
