"""Keeps TensorFlow's AutoGraph from converting unikeras' own code.

AutoGraph rewrites the Python of every function a `tf.function` or a `tf.data` map calls,
unless the function's module is on its list of modules left alone; `keras` is on that list,
`unikeras` is not. Without this, a layer called inside `dataset.map(...)` (e.g. the
data-augmentation `Sequential` of the keras.io image examples) had its whole call graph
converted: slow, and converted library code failed at random in parallel maps
("tf___dtype_and_weak() takes 1 positional argument but 4 were given").
"""

import sys

#: The top-level packages AutoGraph must leave alone: the core and the bundled plugins.
PACKAGES = ("unikeras", "unikeras_jax", "unikeras_torch", "unikeras_tf", "unikeras_openvino")


def keep_unikeras_unconverted():
    """Adds unikeras' packages to AutoGraph's do-not-convert rules, as TensorFlow lists
    `keras`; does nothing until TensorFlow is imported (it never imports TensorFlow).

    Returns:
        Whether the rules are in place.
    """
    if "tensorflow" not in sys.modules:
        return False
    try:
        from tensorflow.python.autograph.core import config
    except ImportError:  # pragma: no cover - a TensorFlow without AutoGraph's config
        return False
    rules = tuple(config.CONVERSION_RULES)
    present = {getattr(rule, "_prefix", None) for rule in rules}
    missing = [name for name in PACKAGES if name not in present]
    if missing:
        config.CONVERSION_RULES = tuple(config.DoNotConvert(name) for name in missing) + rules
    return True
