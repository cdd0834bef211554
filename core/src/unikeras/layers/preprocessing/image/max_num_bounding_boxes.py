"""`MaxNumBoundingBoxes`: pads or truncates the boxes of each image to a fixed number."""

from unikeras import ops
from unikeras.layers.preprocessing.image.base import ImageLayer


class MaxNumBoundingBoxes(ImageLayer):
    """Gives every image exactly `max_number` bounding boxes: the first `max_number` boxes
    are kept and missing ones are padded with `fill_value` (boxes and labels). Images and
    segmentation masks pass through (cast to the compute dtype).

    Args:
        max_number: The number of boxes per image of the outputs.
        fill_value: The padding value of the boxes and labels (default `-1`).
        bounding_box_format: (keyword) Format of the boxes; not needed, boxes are not
            converted.

    Examples:
        >>> layer = keras.layers.MaxNumBoundingBoxes(max_number=3, bounding_box_format="xyxy")
        >>> boxes = {"boxes": np.array([[[0, 0, 1, 1]]], "float32"), "labels": np.array([[1.0]])}
        >>> out = layer({"images": np.zeros((1, 4, 4, 3), "float32"), "bounding_boxes": boxes})
        >>> padded = out["bounding_boxes"]
        >>> padded["boxes"].shape
        (1, 3, 4)
        >>> padded["labels"]
        array([[ 1., -1., -1.]], dtype=float32)
    """

    def __init__(self, max_number, fill_value=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(max_number, bool) or not isinstance(max_number, int) or max_number < 1:
            raise ValueError(
                f'Layer "{self.name}": `max_number` must be a positive int. '
                f"Received: max_number={max_number!r}"
            )
        self.max_number = max_number
        self.fill_value = int(fill_value)

    def _transform_images(self, images, transformation, interpolation=None):
        return images

    def _box_dict(self, bounding_boxes, transformation, size, batched):
        if not isinstance(bounding_boxes, dict) or not {"boxes", "labels"} <= set(bounding_boxes):
            raise ValueError(
                f'Layer "{self.name}": "bounding_boxes" must be a dict with keys "boxes" and '
                f'"labels". Received: {bounding_boxes!r}'
            )
        box_axis = 1 if batched else 0
        out = dict(bounding_boxes)
        for key in ("boxes", "labels"):
            value = ops.convert_to_tensor(bounding_boxes[key])
            count = value.shape[box_axis]
            if count is None:
                raise ValueError(
                    f'Layer "{self.name}" needs a known number of boxes. '
                    f"Received: {key}.shape={tuple(value.shape)}"
                )
            if count > self.max_number:
                value = ops.take(value, ops.arange(self.max_number), axis=box_axis)
            elif count < self.max_number:
                pad = [[0, 0]] * len(value.shape)
                pad[box_axis] = [0, self.max_number - count]
                value = ops.pad(value, pad, constant_values=self.fill_value)
            out[key] = value
        return out

    def get_config(self):
        config = super().get_config()
        config.update({"max_number": self.max_number, "fill_value": self.fill_value})
        return config
