"""`keras.export`: `ExportArchive`, for writing TensorFlow SavedModel artifacts."""

from unikeras.export.saved_model import ExportArchive  # noqa: F401
