"""The TensorFlow backend plugin of unikeras (`UNIKERAS_BACKEND=tensorflow`).

Every op of the unikeras contract is written with TensorFlow ops (`tf.math`, `tf.linalg`,
`tf.signal`, `tf.image`, `tf.nn`), so ops run eagerly and trace inside `tf.function`.
TensorFlow promotes no dtypes by itself: every op casts its operands to the Keras 3 result
type (`unikeras.backend.dtypes.result_type`) first. Variables are `tf.Variable`s and layers
are trackable, so `tf.train.Checkpoint(model=model)` saves and restores a model's weights.
"""

from unikeras.backend.api import plugin_modules, register_tree_node
from unikeras.backend.common.autograph import keep_unikeras_unconverted


def _register_tree_nodes():
    """Makes `keras.tree` see through the list/dict wrappers TensorFlow's tracking puts
    around containers assigned to layer attributes, as Keras does."""
    try:
        from tensorflow.python.trackable.data_structures import ListWrapper, _DictWrapper
    except ImportError:  # pragma: no cover - a TensorFlow without these (private) classes
        return

    def dict_items(d):
        keys = sorted(d.keys())
        return [d[k] for k in keys], keys, keys

    register_tree_node(
        ListWrapper, lambda x: (list(x), None), lambda _, children: ListWrapper(list(children))
    )
    register_tree_node(
        _DictWrapper, dict_items, lambda keys, children: _DictWrapper(dict(zip(keys, children)))
    )


_register_tree_nodes()
# AutoGraph leaves unikeras' code alone, as it leaves Keras' (tf.data maps, tf.functions).
keep_unikeras_unconverted()

#: Read by the unikeras registry without importing this package (keep it a dict literal).
unikeras_plugin_info = {
    "pip_name": "unikeras-tf",
    "priority": 20,
    "training": True,
    "jit": True,
    "export_formats": ["tf_saved_model", "onnx"],
    "required_hooks": ["trainer_mixin"],
}

unikeras_plugins = plugin_modules(__name__)
