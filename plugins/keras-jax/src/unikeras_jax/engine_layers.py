"""JAX implementations of Keras 3's engine layers `JaxLayer` and `FlaxLayer`, returned by
the hook `engine_layer` (`unikeras_jax.layers`); imported on first use, once `unikeras.layers`
exists."""

import inspect

import jax
import jax.numpy as jnp
import numpy as np

from unikeras import layers as _layers
from unikeras import tree
from unikeras.backend.api import KerasTensor, draw_seed, dtypes
from unikeras.random import SeedGenerator
from unikeras import saving as serialization


def _signature_arguments(fn, fn_name, allowed, required, layer_name):
    params = inspect.signature(fn).parameters
    for name in params:
        if name not in allowed:
            raise ValueError(
                f'Layer "{layer_name}": argument `{name}` of `{fn_name}` is not '
                f"supported; `{fn_name}` may take the arguments {sorted(allowed)}."
            )
    missing = [name for name in required if name not in params]
    if missing:
        raise ValueError(
            f'Layer "{layer_name}": `{fn_name}` must take the argument(s) '
            f"{missing}. Received a function with arguments {list(params)}."
        )
    return list(params)


def _is_array(value):
    return isinstance(value, (jax.Array, np.ndarray, np.generic)) or hasattr(value, "__jax_array__")


class JaxLayer(_layers.JaxLayer):
    # Documented and serialized as the declared `keras.layers.JaxLayer` (`_EngineLayer`).
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
        # Explicitly the public class's: in `FlaxLayer`'s MRO, `super()` is not it.
        _layers.JaxLayer.__init__(
            self, call_fn, init_fn, params, state, seed, native_serialization_platforms, **kwargs
        )
        self.call_fn = call_fn
        self.init_fn = init_fn
        self.seed = seed
        self.native_serialization_platforms = native_serialization_platforms
        self.call_fn_arguments = _signature_arguments(
            call_fn,
            "call_fn",
            {"params", "state", "rng", "inputs", "training"},
            ["inputs"],
            self.name,
        )
        self.call_fn_has_params = "params" in self.call_fn_arguments
        self.call_fn_has_state = "state" in self.call_fn_arguments
        if init_fn is not None:
            self.init_fn_arguments = _signature_arguments(
                init_fn, "init_fn", {"rng", "inputs", "training"}, ["inputs"], self.name
            )
        if (
            init_fn is None
            and params is None
            and state is None
            and (self.call_fn_has_params or self.call_fn_has_state)
        ):
            raise ValueError(
                f'Layer "{self.name}": `init_fn`, `params` and `state` cannot all '
                "be `None` when `call_fn` takes a `params` or a `state` argument."
            )
        self.seed_generator = SeedGenerator(seed) if "rng" in self.call_fn_arguments else None
        self.params = None
        self.state = None
        self._set_values(params, state)
        if params is not None or state is not None:
            self.built = True

    # Structures of variables stay out of attribute tracking (the variables are tracked
    # through `_own_variables`), so JAX's own pytrees pass through untouched.
    def _create_variables(self, values, trainable):
        def create(value):
            if _is_array(value) or isinstance(value, (bool, int, float)):
                array = jnp.asarray(value)
                dtype = dtypes.standardize_dtype(array.dtype)
                return self.add_weight(
                    shape=array.shape,
                    initializer=lambda shape, dtype=None, a=array: a,
                    dtype=None if dtypes.is_float_dtype(dtype) else dtype,
                    trainable=trainable,
                    name="param" if trainable else "state",
                )
            return value

        return jax.tree_util.tree_map(create, values)

    def _set_values(self, params, state):
        self.__dict__["params"] = (
            None if params is None else self._create_variables(params, trainable=True)
        )
        self.__dict__["state"] = (
            None if state is None else self._create_variables(state, trainable=False)
        )

    def __setattr__(self, name, value):
        if name in ("params", "state"):
            self.__dict__[name] = value
            return
        super().__setattr__(name, value)

    def _init_rng(self):
        return jnp.asarray(draw_seed(None))

    def _call_rng(self, training):
        return jnp.asarray(self.seed_generator.next()) if training else None

    def _spec_rng(self, training):
        return jax.random.PRNGKey(0) if training else None

    def _initialize(self, input_shape):
        def sample(shape):
            return jnp.ones([1 if d is None else d for d in shape])

        inputs = _map_shapes(sample, input_shape)
        args = []
        for name in self.init_fn_arguments:
            if name == "rng":
                args.append(self._init_rng())
            elif name == "inputs":
                args.append(inputs)
            else:
                args.append(True)
        result = self.init_fn(*args)
        params, state = result if self.call_fn_has_state else (result, None)
        self._set_values(params, state)

    def build(self, input_shape):
        if (
            self.params is None
            and self.state is None
            and (self.call_fn_has_params or self.call_fn_has_state)
        ):
            self._initialize(input_shape)
        self.built = True

    def _values(self, structure):
        return jax.tree_util.tree_map(
            lambda v: v.value if hasattr(v, "_direct_assign") else v, structure
        )

    def _apply(self, params, state, rng, inputs, training):
        args = []
        for name in self.call_fn_arguments:
            args.append(
                {
                    "params": params,
                    "state": state,
                    "rng": rng,
                    "inputs": inputs,
                    "training": training,
                }[name]
            )
        if self.call_fn_has_state:
            return self.call_fn(*args)
        return self.call_fn(*args), None

    def call(self, inputs, training=False):
        rng = self._call_rng(training) if self.seed_generator is not None else None
        outputs, new_state = self._apply(
            self._values(self.params), self._values(self.state), rng, inputs, training
        )
        if self.call_fn_has_state and new_state is not None:

            def assign(value, variable):
                if not hasattr(variable, "assign"):
                    raise ValueError(
                        f'Layer "{self.name}": structure mismatch: the state '
                        "returned by `call_fn` does not match the structure of "
                        "the state at initialization time."
                    )
                variable.assign(value)

            jax.tree_util.tree_map(assign, new_state, self.state)
        return outputs

    def compute_output_spec(self, inputs, training=False):
        # Pure: the state `call_fn` returns is dropped and no seed is drawn.
        params, state = self._values(self.params), self._values(self.state)
        rng = self._spec_rng(training) if self.seed_generator is not None else None

        def run(x):
            return self._apply(params, state, rng, x, training)[0]

        return _spec(run, inputs)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "call_fn": serialization.serialize_keras_object(self.call_fn),
                "init_fn": serialization.serialize_keras_object(self.init_fn),
                "native_serialization_platforms": self.native_serialization_platforms,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["call_fn"] = serialization.deserialize_keras_object(config["call_fn"])
        config["init_fn"] = serialization.deserialize_keras_object(config["init_fn"])
        return cls(**config)


def _map_shapes(fn, shapes):
    if isinstance(shapes, dict):
        return {k: _map_shapes(fn, v) for k, v in shapes.items()}
    if isinstance(shapes, (list, tuple)) and shapes and isinstance(shapes[0], (list, tuple)):
        return type(shapes)(_map_shapes(fn, s) for s in shapes)
    return fn(shapes)


def _spec(fn, inputs):
    """Output KerasTensors of the pure `fn(inputs)`; `None` dims found with two probe sizes."""

    def shapes_with(size):
        def struct(leaf):
            if isinstance(leaf, KerasTensor):
                shape = tuple(size if d is None else d for d in leaf.shape)
                return jax.ShapeDtypeStruct(shape, jnp.dtype(leaf.dtype))
            return leaf

        return jax.eval_shape(fn, tree.map_structure(struct, inputs))

    first = shapes_with(83)
    second = shapes_with(89)

    def merge(a, b):
        shape = tuple(None if da != db else da for da, db in zip(a.shape, b.shape))
        return KerasTensor(shape, dtype=dtypes.standardize_dtype(a.dtype))

    return jax.tree_util.tree_map(merge, first, second)


class FlaxLayer(_layers.FlaxLayer, JaxLayer):
    # Documented and serialized as the declared `keras.layers.FlaxLayer` (`_EngineLayer`).
    def __init__(self, module, method=None, variables=None, **kwargs):
        try:
            from flax.linen import DenyList
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise ImportError(
                "`keras.layers.FlaxLayer` requires Flax. Install it with `pip install flax`."
            ) from error
        self.module = module
        self.method = getattr(module, method) if isinstance(method, str) else method
        # Every collection but "params" may change in a call (batch statistics, ...).
        mutable = DenyList(["params"])
        forward = self.method or module.__call__
        takes_training = "training" in inspect.signature(forward).parameters

        def apply(params, state, rng, inputs, **extra):
            return module.apply(
                _merge(params, state),
                inputs,
                rngs=rng,
                method=self.method,
                mutable=mutable,
                **extra,
            )

        def init(rng, inputs, **extra):
            return _split(module.init(rng, inputs, method=self.method, **extra))

        if takes_training:

            def call_fn(params, state, rng, inputs, training):
                return apply(params, state, rng, inputs, training=training)

            def init_fn(rng, inputs, training):
                return init(rng, inputs, training=training)
        else:

            def call_fn(params, state, rng, inputs):
                return apply(params, state, rng, inputs)

            def init_fn(rng, inputs):
                return init(rng, inputs)

        params, state = _split(variables)
        JaxLayer.__init__(
            self, call_fn=call_fn, init_fn=init_fn, params=params, state=state, **kwargs
        )

    def _init_rng(self):
        return {"params": jnp.asarray(draw_seed(None)), "dropout": jnp.asarray(draw_seed(None))}

    def _call_rng(self, training):
        return {"dropout": jnp.asarray(self.seed_generator.next())} if training else {}

    def _spec_rng(self, training):
        return {"dropout": jax.random.PRNGKey(0)} if training else {}

    def get_config(self):
        method = self.method
        if getattr(method, "__self__", None) is self.module:
            method = method.__name__  # a method of the module is saved by name
        config = super().get_config()
        config.pop("call_fn")
        config.pop("init_fn")
        config.update(
            {
                "module": serialization.serialize_keras_object(self.module),
                "method": serialization.serialize_keras_object(method),
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["module"] = serialization.deserialize_keras_object(config["module"])
        if isinstance(config.get("method"), dict):
            config["method"] = serialization.deserialize_keras_object(config["method"])
        return cls(**config)


def _merge(params, state):
    """Flax variables from the layer's `params` (`{"params": ...}`) and state collections."""
    return {**(params or {}), **(state or {})}


def _split(variables):
    """`(params, state)` of Flax `variables`: `{"params": ...}` and the other collections."""
    if variables is None:
        return None, None
    variables = dict(variables)
    params = {"params": variables.pop("params")} if "params" in variables else {}
    return params, variables


CLASSES = {"JaxLayer": JaxLayer, "FlaxLayer": FlaxLayer}
