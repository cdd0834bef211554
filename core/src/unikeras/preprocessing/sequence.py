"""`keras.preprocessing.sequence`: `pad_sequences`."""

from unikeras.utils.sequence_utils import pad_sequences  # noqa: F401
