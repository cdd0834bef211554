"""Layers that wrap one engine's objects: `TorchModuleWrapper`, `JaxLayer`, `FlaxLayer`,
`TFSMLayer`.

The core declares each class (its name, arguments and documentation); the backend plugin of
its engine implements it as a subclass, returned by the optional hook `engine_layer(name)`.
Constructing one of these classes builds the active backend's subclass, or raises a
`ValueError` naming the backend to use when the active backend has none.
"""

import inspect

from unikeras.backend import registry
from unikeras.layers.layer import Layer


def engine_layer_class(name, backend_name):
    """The active backend's subclass implementing `keras.layers.<name>`, or a `ValueError`
    naming `backend_name`, the backend that has it."""
    hook = registry.optional_hook("engine_layer")
    cls = hook(name=name) if hook is not None else None
    if cls is None:
        raise ValueError(
            f"`keras.layers.{name}` is only available with the {backend_name} backend; the "
            f"active backend is {registry.backend()!r}. Select it with "
            f"`UNIKERAS_BACKEND={backend_name}` (install it with "
            f"`{registry.pip_hint(backend_name)}`)."
        )
    return cls


class _EngineLayer(Layer):
    """Base of the declared engine layers: constructing the declared class itself builds the
    active backend's implementation (a subclass)."""

    _backend_name = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        declared = next(
            (
                b
                for b in cls.__mro__[1:]
                if b.__dict__.get("_declared") and b.__name__ == cls.__name__
            ),
            None,
        )
        if declared is not None and not cls.__dict__.get("_declared", False):
            # A backend's implementation of the declared class of the same name is documented
            # and serialized as the public `keras.layers.<name>` (found by name when loading).
            cls.__module__ = declared.__module__
            if cls.__doc__ is None:
                cls.__doc__ = declared.__doc__

    def __new__(cls, *args, **kwargs):
        if cls.__dict__.get("_declared", False):
            cls = engine_layer_class(cls.__name__, cls._backend_name)
        return super().__new__(cls)

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        if not cls.__dict__.get("_declared", False):
            return super().from_config(config)
        impl = engine_layer_class(cls.__name__, cls._backend_name)
        params = inspect.signature(impl.from_config).parameters
        extra = {
            k: v
            for k, v in (("custom_objects", custom_objects), ("safe_mode", safe_mode))
            if k in params
        }
        return impl.from_config(config, **extra)


class TorchModuleWrapper(_EngineLayer):
    """Wraps a `torch.nn.Module` as a Keras layer (PyTorch backend only).

    The module's parameters become the layer's variables (sharing storage, so `fit` trains
    them and the module sees the updates); its buffers and parameters are saved through
    `state_dict()`. Other backends raise a `ValueError` naming the torch backend.

    Args:
        module: A `torch.nn.Module` (a lazy module must be initialized first, e.g. by
            calling it once).
        name: Optional layer name.
        output_shape: Optional output shape (with batch dimension) used for shape inference
            instead of running the module.
        **kwargs: Standard layer keyword arguments.

    Examples:
        On the PyTorch backend (the doctests run on the NumPy backend, so they skip it):

        >>> import torch  # doctest: +SKIP
        >>> layer = keras.layers.TorchModuleWrapper(torch.nn.Linear(3, 2))  # doctest: +SKIP
        >>> layer(np.ones((4, 3), "float32")).shape  # doctest: +SKIP
        torch.Size([4, 2])
        >>> len(layer.trainable_weights)  # weight and bias  # doctest: +SKIP
        2
    """

    _declared = True
    _backend_name = "torch"

    def __init__(self, module, name=None, output_shape=None, **kwargs):
        # The signature of the public class; the backend's subclass does the work.
        _EngineLayer.__init__(self, name=name, **kwargs)


class JaxLayer(_EngineLayer):
    """Wraps a pure JAX function (and its parameters) as a Keras layer (JAX backend only).

    Args:
        call_fn: The function of the layer. Its arguments are, by name: `params` (the
            trainable parameters, if any), `state` (non-trainable state, if any), `inputs`,
            `training` (optional) and `rng` (optional, a JAX random key). It returns the
            outputs, or `(outputs, new_state)` when it takes `state`.
        init_fn: Optional function creating `params` (or `(params, state)` when `call_fn`
            takes `state`) from `rng`, `inputs` (sample inputs) and optionally `training`.
        params: Optional initial trainable parameters (a pytree of arrays), instead of
            `init_fn`.
        state: Optional initial non-trainable state (a pytree of arrays).
        seed: Optional seed of the random keys passed as `rng`.
        native_serialization_platforms: Optional platforms (`"cpu"`, `"cuda"`, `"rocm"`,
            `"tpu"`) that Keras 3 compiles the function for when it converts it with
            `jax2tf` under its TensorFlow backend; unikeras runs `JaxLayer` on JAX only
            and keeps the value in the config. `None`: the default platform.
        **kwargs: Standard layer keyword arguments.

    Examples:
        On the JAX backend (the doctests run on the NumPy backend, so they skip it):

        >>> def call_fn(params, inputs):  # doctest: +SKIP
        ...     return inputs @ params["w"]
        >>> params = {"w": np.ones((3, 2), "float32")}
        >>> layer = keras.layers.JaxLayer(call_fn, params=params)  # doctest: +SKIP
        >>> layer(np.ones((1, 3), "float32"))  # doctest: +SKIP
        Array([[3., 3.]], dtype=float32)
    """

    _declared = True
    _backend_name = "jax"

    def __init__(
        self,
        call_fn,
        init_fn=None,
        params=None,
        state=None,
        seed=None,
        native_serialization_platforms=None,
        **kwargs,
    ):
        # The signature of the public class; the backend's subclass does the work.
        _EngineLayer.__init__(self, **kwargs)


class FlaxLayer(JaxLayer):
    """Wraps a Flax `linen.Module` as a Keras layer (JAX backend with `flax` installed).

    Args:
        module: A `flax.linen.Module` instance.
        method: Optional method of the module to call (default `__call__`): a name or a
            function.
        variables: Optional variables of the module (as `module.init` returns them).
        **kwargs: Standard layer keyword arguments (and `seed`).

    Examples:
        On the JAX backend with `flax` (the doctests run on the NumPy backend, so they skip it):

        >>> import flax.linen as nn  # doctest: +SKIP
        >>> class MLP(nn.Module):  # doctest: +SKIP
        ...     @nn.compact
        ...     def __call__(self, x):
        ...         return nn.Dense(4)(x)
        >>> layer = keras.layers.FlaxLayer(MLP())  # doctest: +SKIP
        >>> layer(np.ones((2, 3), "float32")).shape  # doctest: +SKIP
        (2, 4)
    """

    _declared = True
    _backend_name = "jax"

    def __init__(self, module, method=None, variables=None, **kwargs):
        # The signature of the public class; the backend's subclass does the work.
        _EngineLayer.__init__(self, **kwargs)


class TFSMLayer(_EngineLayer):
    """Reloads a TensorFlow SavedModel endpoint as a Keras layer (TensorFlow backend only).

    The SavedModel is loaded with `tf.saved_model.load`; its variables become the layer's
    (trainable ones trainable), and calling the layer calls the endpoint.

    Args:
        filepath: Path of the SavedModel directory.
        call_endpoint: Name of the endpoint called in inference (an attribute of the loaded
            object, or a key of its `signatures`).
        call_training_endpoint: Optional endpoint called with `training=True`.
        trainable: Whether the SavedModel's variables are trained.
        name: Optional layer name.
        dtype: Optional dtype policy.

    Examples:
        On the TensorFlow backend (the doctests run on the NumPy backend, so they skip it):

        >>> model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
        >>> model.export("/tmp/saved_model")  # doctest: +SKIP
        >>> layer = keras.layers.TFSMLayer("/tmp/saved_model", call_endpoint="serve")  # doctest: +SKIP
        >>> layer(np.ones((4, 3), "float32")).shape  # doctest: +SKIP
        TensorShape([4, 2])
    """

    _declared = True
    _backend_name = "tensorflow"

    def __init__(
        self,
        filepath,
        call_endpoint="serve",
        call_training_endpoint=None,
        trainable=True,
        name=None,
        dtype=None,
    ):
        # The signature of the public class; the backend's subclass does the work.
        _EngineLayer.__init__(self, trainable=trainable, name=name, dtype=dtype)
