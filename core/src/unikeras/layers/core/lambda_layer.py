"""`Lambda`: wraps an arbitrary expression as a layer.

A Python lambda or a locally defined function cannot be found again by name, so `get_config`
stores its marshalled bytecode (base64), as Keras 3 does. Loading such a config executes that
code, so `from_config` refuses it unless `safe_mode=False` is passed or
`unikeras.config.enable_unsafe_deserialization()` was called. Bytecode only loads on the
Python version that wrote it.
"""

import base64
import builtins
import inspect
import marshal
import sys
import types

from unikeras import config as keras_config
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.backend.registry import table
from unikeras.layers.layer import Layer
from unikeras.saving import serialization
from unikeras.backend import tree

_BYTECODE = "__lambda__"


class Lambda(Layer):
    """Wraps an arbitrary function of tensors as a `Layer` object.

    Meant for stateless, simple expressions (`lambda x: x ** 2`); variables created inside
    `function` are not tracked, so subclass `Layer` for anything with state.

    Args:
        function: The function to evaluate, called as `function(inputs, **arguments)`
            (also given `mask` and `training` when its signature accepts them).
        output_shape: Expected output shape without the batch axis (a tuple, or a nested
            structure of them), or a function of the full input shape returning the full
            output shape. `None`: inferred by running `function` symbolically.
        mask: A mask tensor, or a function `(inputs, mask) -> mask`; `None` means no masking.
        arguments: Optional dict of keyword arguments passed to `function`.

    Examples:
        >>> keras.layers.Lambda(lambda x: x**2)(np.array([[1.0, 3.0]], "float32"))
        array([[1., 9.]], dtype=float32)
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise ValueError(
                f'Layer "{self.name}": `function` must be callable. Received: function={function!r}'
            )
        self.function = function
        self.arguments = arguments or {}
        self.mask = mask
        self.supports_masking = mask is not None
        self._output_shape = _tuples(output_shape)
        params = _parameters(function)
        self._fn_takes_mask = "mask" in params
        self._fn_takes_training = "training" in params
        self.built = True

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_takes_mask:
            kwargs["mask"] = mask
        if self._fn_takes_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, previous_mask):
        if callable(self.mask):
            return self.mask(inputs, previous_mask)
        return self.mask

    def compute_output_spec(self, inputs, mask=None, training=None):
        if self._output_shape is None:
            return table.compute_output_spec(
                self.call, (inputs,), {"mask": mask, "training": training}
            )
        shapes = tree.map_structure(lambda x: tuple(x.shape), inputs)
        output_shape = self.compute_output_shape(shapes)
        return _map_shapes(lambda s: KerasTensor(s, dtype=self.compute_dtype), output_shape)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            spec = self.compute_output_spec(
                _map_shapes(lambda s: KerasTensor(s, dtype=self.compute_dtype), input_shape)
            )
            return tree.map_structure(lambda x: tuple(x.shape), spec)
        if callable(self._output_shape):
            return _tuples(self._output_shape(input_shape))
        # Flattening a structure of shape tuples gives the first input's batch size first.
        batch = tree.flatten(input_shape)[0] if input_shape else None
        return _map_shapes(lambda s: (batch,) + s, self._output_shape)

    def get_config(self):
        config = super().get_config()
        config["function"] = _serialize_function(self.function)
        if self._output_shape is not None:
            config["output_shape"] = (
                _serialize_function(self._output_shape)
                if callable(self._output_shape)
                else self._output_shape
            )
        if self.mask is not None:
            config["mask"] = (
                _serialize_function(self.mask)
                if callable(self.mask)
                else serialization.serialize_keras_object(self.mask)
            )
        config["arguments"] = serialization.serialize_keras_object(self.arguments)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        """Rebuilds the layer; refuses stored bytecode unless unsafe loading is allowed."""
        config = dict(config)
        allowed = safe_mode is False or not keras_config.in_safe_mode()
        for key in ("function", "output_shape", "mask"):
            value = config.get(key)
            if isinstance(value, dict) and value.get("class_name") == _BYTECODE:
                if not allowed:
                    raise ValueError(
                        f"Requested the deserialization of a `Lambda` layer whose `{key}` is "
                        "a Python lambda or local function, stored as bytecode. Loading it "
                        "executes that code, which can run arbitrary code from the file, so "
                        "it is disallowed by default. If you trust the source of this "
                        "config, pass `safe_mode=False` to the loading function or call "
                        "`unikeras.config.enable_unsafe_deserialization()`."
                    )
                config[key] = _load_bytecode(value["config"])
            elif isinstance(value, dict) and "class_name" in value:
                config[key] = serialization._deserialize_object(
                    value, custom_objects=custom_objects, safe_mode=safe_mode is not False
                )
        if config.get("arguments"):
            config["arguments"] = {
                k: _deserialize_value(v, custom_objects) for k, v in config["arguments"].items()
            }
        return super().from_config(config)


def _deserialize_value(value, custom_objects):
    """Rebuilds serialized objects in `value`; plain values (strings too) stay as they are."""
    if isinstance(value, dict) and "class_name" in value:
        return serialization._deserialize_object(value, custom_objects=custom_objects)
    if isinstance(value, list):
        return [_deserialize_value(v, custom_objects) for v in value]
    if isinstance(value, dict):
        return {k: _deserialize_value(v, custom_objects) for k, v in value.items()}
    return value


def _parameters(function):
    try:
        return inspect.signature(function).parameters
    except (TypeError, ValueError):
        return {}


def _map_shapes(fn, shapes):
    """Applies `fn` to each shape tuple of a nested structure of shapes."""
    if _is_shape(shapes):
        return fn(shapes)
    if isinstance(shapes, dict):
        return {k: _map_shapes(fn, v) for k, v in shapes.items()}
    return [_map_shapes(fn, s) for s in shapes]


def _is_shape(value):
    return isinstance(value, tuple) and all(d is None or isinstance(d, int) for d in value)


def _tuples(shape):
    """Converts lists in a (nested) shape, e.g. from JSON, to tuples."""
    if shape is None or callable(shape) or isinstance(shape, int):
        return shape
    if isinstance(shape, dict):
        return {k: _tuples(v) for k, v in shape.items()}
    if all(d is None or isinstance(d, int) for d in shape):
        return tuple(shape)
    return [_tuples(s) for s in shape]


def _findable_by_name(function):
    """Whether `function` is registered or defined at module level, so it is stored by name
    (loading it then needs it registered, public, or in `custom_objects`)."""
    if getattr(function, "_registered_name", None):
        return True
    qualname = getattr(function, "__qualname__", "")
    return "<locals>" not in qualname and "<lambda>" not in qualname


def _serialize_function(function):
    if inspect.isfunction(function) and not _findable_by_name(function):
        return {"class_name": _BYTECODE, "config": _dump_bytecode(function)}
    return serialization.serialize_keras_object(function)


def _dump_bytecode(function):
    closure = function.__closure__
    return {
        "code": base64.b64encode(marshal.dumps(function.__code__)).decode("ascii"),
        "defaults": serialization.serialize_keras_object(function.__defaults__),
        "closure": serialization.serialize_keras_object(
            None if closure is None else tuple(c.cell_contents for c in closure)
        ),
        "module": function.__module__,
    }


def _load_bytecode(config):
    code = marshal.loads(base64.b64decode(config["code"]))
    defaults = serialization._deserialize_object(config.get("defaults"))
    closure = serialization._deserialize_object(config.get("closure"))
    if closure is not None:
        closure = tuple(types.CellType(value) for value in closure)
    # Globals: those of the defining module when it is already imported (nothing is
    # imported here), so names such as `ops` used in the body resolve as they did.
    module = sys.modules.get(config.get("module") or "")
    namespace = dict(vars(module)) if module is not None else {"__builtins__": builtins}
    return types.FunctionType(
        code, namespace, code.co_name, None if defaults is None else tuple(defaults), closure
    )
