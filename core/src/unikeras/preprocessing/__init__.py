"""`keras.preprocessing`: the legacy namespace examples still import (`image`, `sequence` and the
dataset builders, the same functions as in `keras.utils`)."""

from unikeras.preprocessing import image, sequence  # noqa: F401
from unikeras.utils.image_dataset_utils import image_dataset_from_directory  # noqa: F401
from unikeras.utils.text_dataset_utils import text_dataset_from_directory  # noqa: F401
from unikeras.utils.timeseries_dataset_utils import timeseries_dataset_from_array  # noqa: F401
