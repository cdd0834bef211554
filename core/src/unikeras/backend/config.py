"""Global settings: float type, epsilon, image data format (Keras 3's `keras.config`)."""

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"


def floatx():
    """Returns the default float type, as a string (e.g. `"float32"`).

    Returns:
        The dtype name, a string such as `"float32"`.
    """
    return _FLOATX


def set_floatx(value):
    """Sets the default float type.

    Args:
        value: One of `"bfloat16"`, `"float16"`, `"float32"`, `"float64"`.
    """
    global _FLOATX
    accepted = {"bfloat16", "float16", "float32", "float64"}
    if value not in accepted:
        raise ValueError(f"Unknown `floatx` value: {value!r}. Expected one of {sorted(accepted)}")
    _FLOATX = str(value)


def epsilon():
    """Returns the fuzz factor used in numeric expressions (default `1e-7`).

    Returns:
        A Python float.
    """
    return _EPSILON


def set_epsilon(value):
    """Sets the fuzz factor used in numeric expressions.

    Args:
        value: The new fuzz factor (a float).
    """
    global _EPSILON
    _EPSILON = float(value)


def image_data_format():
    """Returns the default image data format: `"channels_last"` or `"channels_first"`.

    Returns:
        The string `"channels_last"` or `"channels_first"`.
    """
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    """Sets the default image data format (`"channels_last"` or `"channels_first"`).

    Args:
        data_format: `"channels_last"` or `"channels_first"`.

    Raises:
        ValueError: For `None` or another value.
    """
    global _IMAGE_DATA_FORMAT
    if data_format is None:
        raise ValueError("The `data_format` argument must not be None.")
    _IMAGE_DATA_FORMAT = standardize_data_format(data_format)


def standardize_data_format(data_format):
    """Returns `data_format`, or the global default when it is `None`, validated."""
    if data_format is None:
        return _IMAGE_DATA_FORMAT
    data_format = str(data_format).lower()
    if data_format not in {"channels_first", "channels_last"}:
        raise ValueError(
            "The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
            f"Received: data_format={data_format!r}"
        )
    return data_format
