"""`keras.legacy`: Keras 2 compatibility namespaces (`keras.legacy.saving`)."""

from unikeras.legacy import saving

__all__ = ["saving"]
