"""`keras.utils`: helpers for users (nested structures live in `unikeras.utils.tree`)."""
