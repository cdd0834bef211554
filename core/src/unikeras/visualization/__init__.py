"""`keras.visualization`: drawing boxes and masks on images (NumPy + Pillow) and galleries
(matplotlib, imported only when a `plot_*` function is called)."""

from unikeras.visualization.draw_bounding_boxes import draw_bounding_boxes  # noqa: F401
from unikeras.visualization.draw_segmentation_masks import draw_segmentation_masks  # noqa: F401
from unikeras.visualization.plot_bounding_box_gallery import plot_bounding_box_gallery  # noqa: F401,E501
from unikeras.visualization.plot_image_gallery import plot_image_gallery  # noqa: F401
from unikeras.visualization.plot_segmentation_mask_gallery import (  # noqa: F401
    plot_segmentation_mask_gallery,
)
