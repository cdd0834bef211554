"""`keras.quantizers`: quantizers, quantization configs and quantization functions."""

import inspect

from unikeras.quantizers.quantization_config import (  # noqa: F401
    AWQConfig,
    Float8QuantizationConfig,
    GPTQConfig,
    Int4QuantizationConfig,
    Int8QuantizationConfig,
    QuantizationConfig,
)
from unikeras.quantizers.quantizer import Quantizer  # noqa: F401
from unikeras.quantizers.quantizers import (  # noqa: F401
    AbsMaxQuantizer,
    abs_max_quantize,
    abs_max_quantize_grouped_with_zero_point,
    compute_float8_amax_history,
    compute_float8_scale,
    fake_quant_with_min_max_vars,
    pack_int4,
    quantize_and_dequantize,
    unpack_int4,
)

_ALIASES = {"abs_max_quantizer": AbsMaxQuantizer}


def serialize(initializer):
    """Returns the Keras config dict of a quantizer.

    Args:
        initializer: The quantizer to serialize (Keras 3's parameter name).

    Returns:
        A config dict.
    """
    from unikeras.saving import serialization

    return serialization.serialize_keras_object(initializer)


def deserialize(config, custom_objects=None):
    """Rebuilds a quantizer from `serialize()` output.

    Args:
        config: A dict from `serialize`.
        custom_objects: Optional dict mapping names to custom classes or functions.

    Returns:
        The quantizer.
    """
    from unikeras.saving import serialization

    return serialization._deserialize_object(config, custom_objects=custom_objects)


def get(identifier, **kwargs):
    """Returns a quantizer from a `Quantizer`, a class, a config dict or a name
    (`"abs_max_quantizer"`); `kwargs` go to the constructor of a class or name.

    Args:
        identifier: A `Quantizer` (returned as is), a quantizer class, a config dict, a name such as
            `"abs_max_quantizer"`, or `None`.

    Returns:
        A `Quantizer` instance, or `None` for `None`.

    Raises:
        ValueError: when `identifier` cannot be interpreted.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = _ALIASES.get(identifier) or globals().get(identifier)
    else:
        obj = identifier
    if inspect.isclass(obj) and issubclass(obj, Quantizer):
        obj = obj(**kwargs)
    if callable(obj):
        return obj
    raise ValueError(f"Could not interpret quantizer identifier: {identifier}")
