"""`keras.layers.Layer`: state (weights), computation (`call`), config, symbolic calls.

`Layer` inherits first from the active backend's mixin (hook `layer_mixin`: `object` for most
backends, a `torch.nn.Module` mixin for PyTorch), composed once unikeras' own modules are
complete and the backend plugin is loaded (`unikeras._composition`).
"""

import functools
import inspect
import threading
import warnings

from unikeras import constraints, dtype_policies, initializers, regularizers
from unikeras.backend import dtypes
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.backend.name_scope import current_path, name_scope
from unikeras.backend.registry import foreign_graph_backend, graph_scope, optional_hook, table
from unikeras.backend.variable import layer_autocast_scope
from unikeras.layers.input_spec import assert_input_compatibility
from unikeras.ops.node import Node
from unikeras.ops.operation import Operation, any_symbolic
from unikeras.backend import tree
from unikeras import variables
from unikeras.variables import BaseVariable

_context = threading.local()
_DTypePolicyMap = dtype_policies.DTypePolicyMap


def _call_context():
    if not hasattr(_context, "training"):
        _context.training = []
    return _context.training


_BASE_KWARGS = {"input_shape", "input_dim", "batch_input_shape", "batch_size", "weights"}


class _CallSignature:
    """What a `call` method accepts, computed once per class."""

    def __init__(self, call):
        params = inspect.signature(call).parameters
        self.names = list(params)
        self.training = "training" in params
        self.mask = "mask" in params
        self.var_kwargs = any(p.kind is p.VAR_KEYWORD for p in params.values())
        # The name of the first input, so that `layer(inputs=x)` / `layer(logits=x, ...)`
        # (every input given by keyword) is called as Keras 3 does, with it first.
        self.first_input = next(
            (
                name
                for name, p in params.items()
                if name != "self" and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            ),
            None,
        )
        self.training_default = params["training"].default if self.training else None
        if self.training_default is inspect.Parameter.empty:
            self.training_default = None


def _is_layer_state(value):
    from unikeras.random.seed_generator import SeedGenerator

    return isinstance(value, (Layer, BaseVariable, SeedGenerator))


def _same_value(value):
    """The core default of the optional `variable_snapshot` hook: no copy is needed when
    assignments give a variable a new tensor."""
    return value


_CALL_SIGNATURES = {}  # Layer subclass -> its `_CallSignature`
_BUILD_WITHOUT_SHAPE = {}  # Layer subclass -> whether its `build` takes no argument


def _build_takes_no_shape(cls):
    """Whether `cls.build` is `def build(self):` (no shape argument), which Keras 3 calls
    without arguments."""
    result = _BUILD_WITHOUT_SHAPE.get(cls)
    if result is None:
        try:
            parameters = list(inspect.signature(cls.build).parameters.values())[1:]
        except (TypeError, ValueError):
            parameters = [None]
        result = _BUILD_WITHOUT_SHAPE[cls] = not parameters
    return result


class Layer(Operation):
    """The base class of all layers.

    Subclasses create weights in `__init__` or `build(input_shape)` with `add_weight`, compute
    in `call(inputs, ...)`, and describe themselves in `get_config`.

    Args:
        activity_regularizer: Optional regularizer applied to the layer's output.
        trainable: Whether the layer's variables are updated in training.
        dtype: Dtype policy or dtype name (`None`: the global policy).
        autocast: Whether floating inputs are cast to the compute dtype.
        name: Name of the layer (unique default derived from the class name).

    Examples:
        >>> class Scale(keras.layers.Layer):
        ...     def build(self, input_shape):
        ...         self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")
        ...
        ...     def call(self, inputs):
        ...         return 2.0 * inputs * self.w
        >>> layer = Scale()
        >>> layer(np.array([[1.0, 2.0]], "float32"))
        array([[2., 4.]], dtype=float32)
        >>> layer.trainable_weights[0].shape
        (2,)
    """

    #: The backend's layer mixin (hook `layer_mixin`), set when unikeras composes its classes
    #: with the loaded backend; its `__init__` runs first.
    _backend_mixin = object

    def __init__(
        self,
        *,
        activity_regularizer=None,
        trainable=True,
        dtype=None,
        autocast=True,
        name=None,
        **kwargs,
    ):
        unknown = set(kwargs) - _BASE_KWARGS
        if unknown:
            raise ValueError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: {sorted(unknown)}"
            )
        mixin = Layer._backend_mixin
        if mixin is not object:
            mixin.__init__(self)
        Operation.__init__(self, name=name)
        # Where the layer's own variables come from, in the order it started tracking them
        # (Keras 3's weight order): `(variable, True)` for `add_weight`, `(value, False)` for
        # an attribute holding variables (a variable, or a list/tuple/dict that may hold some).
        self._variable_sources = []
        self._tracked = []
        # Sublayers and variables in the order the layer first tracked them (Keras 3's
        # `_layers` / variables order): an item appended to a tracked list or dict later
        # takes its place when the layer next tracks something (or lists its state).
        self._tracking_order = []
        self._own_variables = []
        self._losses = []
        self.built = False
        self._trainable = bool(trainable)
        self._dtype_policy = dtype_policies.get(dtype)
        self.autocast = autocast
        self.activity_regularizer = _regularizer(activity_regularizer)
        self.input_spec = None
        self.supports_masking = getattr(self, "supports_masking", False)
        self._build_shapes = None
        input_shape = kwargs.get("input_shape")
        if kwargs.get("input_dim") is not None:
            input_shape = (kwargs["input_dim"],)
        if kwargs.get("batch_input_shape") is not None:
            self._batch_input_shape = tuple(kwargs["batch_input_shape"])
        elif input_shape is not None:
            self._batch_input_shape = (kwargs.get("batch_size"),) + tuple(input_shape)
        else:
            self._batch_input_shape = None
        self._initial_weights = kwargs.get("weights")

    # --- attribute tracking ------------------------------------------------------------
    def __setattr__(self, name, value):
        if not name.startswith("_") or name == "_layers":
            tracked = self.__dict__.get("_tracked")
            if tracked is not None:
                if isinstance(value, (list, dict)):
                    self._untrack_stateless(self.__dict__.get(name))
                # An empty list or dict is tracked too: `self.blocks = []` and then
                # `self.blocks.append(layers.Dense(4))` gives the layer its sublayer, as
                # Keras 3's tracked containers do.
                if _is_layer_state(value) or (
                    isinstance(value, (list, tuple, dict))
                    and ((not value and not isinstance(value, tuple)) or _contains_state(value))
                ):
                    tracked.append(value)
                    if not isinstance(value, Layer):
                        self.__dict__["_variable_sources"].append((value, False))
                    self._note_tracking_order()
        super().__setattr__(name, value)

    def _note_tracking_order(self, *extra):
        """Records the sublayers and variables the tracked attributes hold (then `extra`)
        that were not tracked yet, in order: items appended to a tracked list/dict since the
        last call come before whatever the layer tracks next, as in Keras 3.

        Returns:
            The ids of everything the tracked attributes hold now.
        """
        order = self.__dict__.setdefault("_tracking_order", [])
        known = {id(leaf) for leaf in order}  # (not kept: a deep copy has new ids)
        reachable = set()
        for value in self.__dict__.get("_tracked", ()):
            for leaf in _leaves(value):
                reachable.add(id(leaf))
                if id(leaf) not in known and isinstance(leaf, (Layer, BaseVariable)):
                    if leaf is not self:
                        known.add(id(leaf))
                        order.append(leaf)
        for leaf in extra:
            if id(leaf) not in known:
                order.append(leaf)
        return reachable

    def _untrack_stateless(self, old):
        """Stops tracking a list/dict an attribute held that holds no state (so an attribute
        re-assigned an empty list at every call does not grow the tracked set)."""
        if isinstance(old, (list, dict)) and not _contains_state(old):
            tracked = self.__dict__["_tracked"]
            if any(t is old for t in tracked):
                self.__dict__["_tracked"] = [t for t in tracked if t is not old]
                sources = self.__dict__["_variable_sources"]
                self.__dict__["_variable_sources"] = [s for s in sources if s[0] is not old]

    def _sublayers(self):
        """Direct sublayers, in the order they were first tracked (Keras 3's order)."""
        reachable = self._note_tracking_order()
        return [
            leaf
            for leaf in self.__dict__["_tracking_order"]
            if isinstance(leaf, Layer) and id(leaf) in reachable
        ]

    @property
    def layers(self):
        """Direct sublayers."""
        return self._sublayers()

    def _flatten_layers(self, include_self=True, recursive=True):
        """The layer (with `include_self`) and its sublayers, each once, in Keras 3's order
        (a sublayer's own sublayers right after it, the last first): the private Keras 3
        helper keras.io examples call (float8_training_and_inference_with_transformer)."""
        result = [self] if include_self else []
        seen = {id(self)}
        pending = list(reversed(self._sublayers()))
        while pending:
            layer = pending.pop()
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            result.append(layer)
            if recursive:
                pending.extend(layer._sublayers())
        return result

    # --- weights ----------------------------------------------------------------------
    def add_weight(
        self,
        shape=None,
        initializer=None,
        dtype=None,
        trainable=True,
        autocast=True,
        regularizer=None,
        constraint=None,
        aggregation="none",
        overwrite_with_gradient=False,
        name=None,
    ):
        """Creates a weight variable owned by this layer.

        Args:
            shape: Shape tuple (default `()`).
            initializer: Initializer object or name (default `"glorot_uniform"` for floats,
                `"zeros"` otherwise).
            dtype: dtype (default: the layer's variable dtype). `"int"` (or `int`) is
                Keras 3's integer width for the backend: `int64` on TensorFlow, `int32`
                elsewhere (a counter such as `Normalization`'s `count`).
            trainable: Whether the variable is trained.
            autocast: Whether it is cast to the compute dtype in `call`.
            regularizer: Optional regularizer added to the layer's losses.
            constraint: Optional constraint applied after optimizer updates.
            aggregation: Distributed aggregation mode.
            overwrite_with_gradient: Whether the optimizer overwrites it with its gradient.
            name: Variable name.

        Returns:
            The `Variable`.
        """
        shape = () if shape is None else tuple(shape)
        if dtype is int or (dtype.__class__ is str and dtype == "int"):
            dtype = _int_dtype()
        dtype = dtypes.standardize_dtype(dtype or self.variable_dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtypes.is_float_dtype(dtype) else "zeros"
        initializer = initializers.get(initializer)
        # a variable added outside any scope after the build (`model.quantize(...)`) gets
        # the layer's full path ("model/block/dense/kernel_scale"), as in Keras 3
        path = self.__dict__.get("_path") or ""
        parent = path.rpartition("/")[0] if not current_path() else ""
        with name_scope(self.name, override_parent=parent or None):
            variable = variables.Variable(
                initializer,
                shape=shape,
                dtype=dtype,
                trainable=trainable,
                autocast=autocast,
                aggregation=aggregation,
                name=name,
            )
        variable.regularizer = _regularizer(regularizer)
        variable.constraint = _constraint(constraint)
        variable.overwrite_with_gradient = overwrite_with_gradient
        if not self.trainable:  # a frozen layer's new weights are frozen (Keras 3)
            variable.trainable = False
        self._own_variables.append(variable)
        self.__dict__["_variable_sources"].append((variable, True))
        self._note_tracking_order(variable)
        return variable

    def _own_weights(self):
        """This layer's variables in the order it started tracking them, as Keras 3 orders
        them: `add_weight` and attribute assignment (`self.v = keras.Variable(...)` in
        `__init__` comes before the weights `build` adds); a variable tracked twice keeps its
        first place. An `add_weight` variable counts while it is in `_own_variables` (a
        quantized layer drops its float kernel from there)."""
        own = self._own_variables
        owned = {id(v) for v in own}
        result, seen = [], set()
        reachable = self._note_tracking_order()
        added = {id(v) for v, is_added in self.__dict__.get("_variable_sources", ()) if is_added}
        for leaf in self.__dict__["_tracking_order"]:
            if isinstance(leaf, BaseVariable) and (
                id(leaf) in reachable or (id(leaf) in added and id(leaf) in owned)
            ):
                seen.add(id(leaf))
                result.append(leaf)
        for value, added in self.__dict__.get("_variable_sources", ()):
            if added:
                if id(value) in owned and id(value) not in seen:
                    seen.add(id(value))
                    result.append(value)
                continue
            for leaf in _leaves(value):
                if isinstance(leaf, BaseVariable) and id(leaf) not in seen:
                    seen.add(id(leaf))
                    result.append(leaf)
        if not owned <= seen:  # appended to `_own_variables` directly (an engine's wrapper)
            previous = None
            for v in own:
                if id(v) not in seen:
                    seen.add(id(v))
                    at = 0 if previous is None else _position(result, previous) + 1
                    result.insert(at, v)
                previous = v
        return result

    @property
    def weights(self):
        """All weights: this layer's (those created trainable first, as Keras 3 orders them),
        then each sublayer's, deduplicated."""
        own = self._own_weights()
        created = [getattr(v, "_trainable_at_creation", v.trainable) for v in own]
        result = [v for v, t in zip(own, created) if t] + [v for v, t in zip(own, created) if not t]
        seen = {id(v) for v in result}
        for layer in self._sublayers():
            for v in layer.weights:
                if id(v) not in seen:
                    seen.add(id(v))
                    result.append(v)
        return result

    @property
    def trainable_weights(self):
        """Weights updated in training (none when `trainable` is False)."""
        if not self.trainable:
            return []
        own = [v for v in self._own_weights() if v.trainable]
        seen = {id(v) for v in own}
        for layer in self._sublayers():
            for v in layer.trainable_weights:
                if id(v) not in seen:
                    seen.add(id(v))
                    own.append(v)
        return own

    @property
    def non_trainable_weights(self):
        """Weights not updated by the optimizer."""
        trainable = {id(v) for v in self.trainable_weights}
        return [v for v in self.weights if id(v) not in trainable]

    def _seed_states(self):
        """State variables of the random seed generators this layer (or a sublayer) owns."""
        from unikeras.random.seed_generator import SeedGenerator

        states = [
            leaf.state
            for value in self.__dict__.get("_tracked", ())
            for leaf in _leaves(value)
            if isinstance(leaf, SeedGenerator)
        ]
        for layer in self._sublayers():
            states.extend(layer._seed_states())
        return states

    @property
    def variables(self):
        """All state: weights plus random seed generator states (not saved as weights)."""
        return self.weights + self._seed_states()

    @property
    def trainable_variables(self):
        """The layer's trainable weights (`trainable_weights`)."""
        return self.trainable_weights

    @property
    def non_trainable_variables(self):
        """Non-trainable weights plus seed generator states: the state a compiled step
        threads through besides the trained weights."""
        return self.non_trainable_weights + self._seed_states()

    @property
    def trainable(self):
        """Whether the layer's weights are updated in training (setting it applies to every
        sublayer)."""
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        # as Keras 3: the weights created trainable follow the flag (a torch parameter's
        # requires_grad with them, so a frozen layer's eager outputs carry no autograd graph)
        for v in self._own_weights():
            if getattr(v, "_trainable_at_creation", False):
                v.trainable = self._trainable
        for layer in self._sublayers():
            layer.trainable = value

    def get_weights(self):
        """Returns the weights' values as a list of NumPy arrays."""
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights):
        """Sets the weights from a list of arrays (same order and shapes as `get_weights`)."""
        variables = self.weights
        if len(weights) != len(variables):
            raise ValueError(
                f'Layer "{self.name}": set_weights expected a list of {len(variables)} '
                f"arrays, received {len(weights)}."
            )
        for variable, value in zip(variables, weights):
            if tuple(getattr(value, "shape", ())) != tuple(variable.shape):
                raise ValueError(
                    f'Layer "{self.name}": weight {variable.path!r} has shape '
                    f"{tuple(variable.shape)}, but the provided array has shape "
                    f"{tuple(getattr(value, 'shape', ()))}."
                )
        for variable, value in zip(variables, weights):
            variable.assign(value)

    def count_params(self):
        """Total number of scalars in the layer's weights."""
        total = 0
        for v in self.weights:
            size = 1
            for d in v.shape:
                size *= d
            total += size
        return total

    # --- dtypes -----------------------------------------------------------------------
    @property
    def dtype_policy(self):
        """The layer's `DTypePolicy` (a `DTypePolicyMap` given as `dtype` is returned as is;
        the layer then uses the map's policy for its `path`)."""
        return self.__dict__["_dtype_policy"]

    @dtype_policy.setter
    def dtype_policy(self, value):
        policy = dtype_policies.get(value)
        current = self.__dict__.get("_dtype_policy")
        path = self.path
        if isinstance(current, dtype_policies.DTypePolicyMap) and path:
            if path in current:
                del current[path]
            current[path] = policy
        else:
            self._dtype_policy = policy

    @property
    def path(self):
        """The layer's path (`"model/block/dense"`: the name scopes it was built in), or
        `None` before it is built."""
        return self.__dict__.get("_path")

    def _policy(self):
        """The layer's own policy: with a `DTypePolicyMap`, the map's entry for its path."""
        policy = self.__dict__["_dtype_policy"]
        if policy.__class__ is _DTypePolicyMap:
            return policy._entry(self.__dict__.get("_path"))
        return policy

    # The dtype properties are read several times per call: they inline `_policy` (one class
    # test; a map resolves a path once, see `DTypePolicyMap._entry`).
    @property
    def dtype(self):
        """The variable dtype of the layer's policy."""
        policy = self.__dict__["_dtype_policy"]
        if policy.__class__ is _DTypePolicyMap:
            policy = policy._entry(self.__dict__.get("_path"))
        return policy.variable_dtype

    @property
    def compute_dtype(self):
        """The dtype the layer computes in (its dtype policy's `compute_dtype`)."""
        policy = self.__dict__["_dtype_policy"]
        if policy.__class__ is _DTypePolicyMap:
            policy = policy._entry(self.__dict__.get("_path"))
        return policy.compute_dtype

    @property
    def variable_dtype(self):
        """The dtype of the layer's weights (its dtype policy's `variable_dtype`)."""
        policy = self.__dict__["_dtype_policy"]
        if policy.__class__ is _DTypePolicyMap:
            policy = policy._entry(self.__dict__.get("_path"))
        return policy.variable_dtype

    # --- losses -----------------------------------------------------------------------
    def add_loss(self, loss):
        """Adds a loss tensor (e.g. a regularization term) computed in `call`."""
        from unikeras.backend.stateless_scope import get_stateless_scope

        scope = get_stateless_scope()
        if scope is not None:  # Keras: collected by the scope when asked, else dropped
            if scope.collect_losses:
                scope.add_loss(loss)
            return
        self._losses.append(loss)

    @property
    def losses(self):
        """Losses added in the last call plus weight regularization terms."""
        result = list(self._losses)
        for v in self._own_weights():
            if v.regularizer is not None:
                result.append(v.regularizer(v.value))
        for layer in self._sublayers():
            result.extend(layer.losses)
        return result

    def _clear_losses(self):
        self._losses = []
        for layer in self._sublayers():
            layer._clear_losses()

    # --- building -----------------------------------------------------------------------
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # As in Keras, a subclass' `build` runs in the layer's name scope and marks the layer
        # built (with its build shapes recorded), however it is called: by the first call,
        # or directly by the user (`layer.build(shape)`, or a parent's `build`).
        build = cls.__dict__.get("build")
        if build is not None and not getattr(build, "_wraps_build", False):
            cls.build = _build_wrapper(build)

    def build(self, input_shape):
        """Creates the layer's weights for inputs of `input_shape` (override in subclasses).

        The default, for layers without a `build` of their own, builds the sublayers by
        running `call` symbolically on inputs of `input_shape` (statelessly: the sublayers'
        weights get real values afterwards), so `model.build((None, 4))` on a subclassed
        model creates its weights.

        Args:
            input_shape: Shape tuple (or nested structure of shape tuples) of the input.
        """
        if (
            input_shape is not None
            and type(self).build is Layer.build
            and any(not layer.built for layer in self._sublayers())
        ):
            self._build_by_symbolic_call(input_shape)
        if input_shape is not None and self._build_shapes is None:
            self._build_shapes = input_shape
        self._finish_build()

    def _build_by_symbolic_call(self, input_shape):
        """Runs `call` on KerasTensors of `input_shape` so the sublayers build themselves."""
        try:
            specs = _specs_from_shapes(input_shape, dtypes.standardize_dtype(None))
        except (TypeError, ValueError):
            return
        scope = layer_autocast_scope(self.autocast, self.compute_dtype, self.variable_dtype)
        try:
            with name_scope(self.name):
                if scope is not None:
                    with scope:
                        table.compute_output_spec(self.call, (specs,), {})
                else:
                    table.compute_output_spec(self.call, (specs,), {})
        except Exception as e:  # noqa: BLE001 - Keras warns and leaves building to the call
            warnings.warn(
                f"Layer '{self.name}' looks like it has unbuilt state, but it could not be "
                f"built by calling it symbolically on inputs of shape {input_shape}: {e}. "
                "Call the layer on real data first, or implement `build(self, input_shape)` "
                "creating its weights (and building its sublayers).",
                stacklevel=3,
            )

    def _finish_build(self):
        """Marks the layer built and sets the initial `weights=` given to the constructor."""
        if not self.built:  # attribute writes can be costly on a layer mixin: once only
            self.built = True
        if self._initial_weights is not None:
            weights, self._initial_weights = self._initial_weights, None
            self.set_weights(weights)

    def build_from_config(self, config):
        """Builds from `get_build_config()` output (used when loading models)."""
        if config and not self.built:
            shape = config.get("input_shape")
            if shape is not None:
                with name_scope(self.name):
                    self.build(_to_shape(shape))
                self.built = True

    def get_build_config(self):
        """Returns the input shapes the layer was built with (`{"input_shape": ...}`), or None.

        Saved with the model so loading can build the layer before its weights are restored.
        """
        if self._build_shapes is not None:
            return {"input_shape": self._build_shapes}
        return None

    # --- saving protocol (Keras 3's): what `model.save` / `load_model` store per layer -----
    def _saved_variables(self):
        own = self._own_weights()
        return [v for v in own if v.trainable] + [v for v in own if not v.trainable]

    def save_own_variables(self, store):
        """Saves the layer's own variables (not its sublayers') into `store`.

        The default stores them under keys `"0"`, `"1"`, ..., trainable ones first, in
        creation order. Override (with `load_own_variables`) to control what is saved.

        Args:
            store: Dict-like mapping string keys to arrays.
        """
        for i, variable in enumerate(self._saved_variables()):
            store[str(i)] = variable

    def load_own_variables(self, store):
        """Loads the values written by `save_own_variables` from `store`.

        Every value is checked (count and shapes) before any variable is assigned.

        Args:
            store: Dict-like mapping string keys to arrays.

        Raises:
            ValueError: naming the layer, when the stored values do not match.
        """
        variables = self._saved_variables()
        if len(store.keys()) != len(variables):
            missing = " (the weights file has no entry for it)" if not len(store.keys()) else ""
            raise ValueError(
                f"Layer '{self.name}' expected {len(variables)} variables, but received "
                f"{len(store.keys())} variables during loading{missing}. Expected: "
                f"{[v.name for v in variables]}"
            )
        values = [store[str(i)] for i in range(len(variables))]
        for i, (variable, value) in enumerate(zip(variables, values)):
            if tuple(value.shape) != tuple(variable.shape):
                raise ValueError(
                    f"Layer '{self.name}': variable {i} ({variable.path!r}) has shape "
                    f"{tuple(variable.shape)}, the file holds shape {tuple(value.shape)}."
                )
        for variable, value in zip(variables, values):
            variable.assign(value)

    def save_assets(self, dir_path):
        """Writes files the layer needs besides its variables (e.g. a vocabulary) into
        `dir_path`, a folder of its own stored under `assets/` in the `.keras` file. The
        default writes nothing."""

    def load_assets(self, dir_path):
        """Reads the files `save_assets` wrote; `dir_path` is the layer's folder (`None`
        when the file has none for it). The default reads nothing."""

    def _maybe_build(self, args):
        if self.built:
            return
        shapes = (
            tree.map_structure(lambda x: tuple(x.shape) if hasattr(x, "shape") else None, args[0])
            if args
            else None
        )
        self._build_shapes = shapes
        if type(self).build is Layer.build:
            # No `build` of its own: the call about to run builds any sublayers.
            with name_scope(self.name, caller=self):
                self.__dict__["_path"] = current_path()
            self._finish_build()
            return
        with name_scope(self.name):
            if _build_takes_no_shape(type(self)):
                self.build()  # `def build(self):` (keras.io classification_with_grn_and_vsn)
            else:
                self.build(shapes)
        self._finish_build()

    # --- calling ------------------------------------------------------------------------
    @classmethod
    def _signature(cls):
        # Cached per class in a module dict, not on the class: `torch.compile` breaks its
        # graph on reading a class `__dict__` once the trace has written any dict.
        sig = _CALL_SIGNATURES.get(cls)
        if sig is None:
            sig = _CALL_SIGNATURES[cls] = _CallSignature(cls.call)
        return sig

    def _convert_inputs(self, x):
        def convert(leaf):
            if leaf is None or isinstance(leaf, KerasTensor):
                return leaf
            if (
                not table.is_tensor(leaf)
                and not hasattr(leaf, "__array__")
                and not isinstance(leaf, (list, BaseVariable))
            ):
                return leaf
            if getattr(getattr(leaf, "dtype", None), "kind", None) in ("U", "S", "O"):
                return leaf  # NumPy strings stay on the host, for the string layers
            if isinstance(leaf, BaseVariable):
                leaf = leaf.value
            elif not table.is_tensor(leaf):
                leaf = table.convert_to_tensor(leaf)
            compute = self.compute_dtype
            if (
                self.autocast
                and dtypes.is_float_dtype(leaf.dtype)
                and dtypes.standardize_dtype(leaf.dtype) != compute
            ):
                leaf = table.cast(leaf, compute)
            return leaf

        return convert(x) if not tree.is_nested(x) else tree.map_structure(convert, x)

    def __call__(self, *args, **kwargs):
        if not args:
            first = self._signature().first_input
            if first is None or first not in kwargs:
                raise ValueError(f'Layer "{self.name}" must be called with at least one input.')
            args = (kwargs.pop(first),)
        if foreign_graph_backend(args[0]) is not None:  # e.g. inside a tf.data pipeline
            with graph_scope(foreign_graph_backend(args[0])):
                return self.__call__(*args, **kwargs)
        args = (self._convert_inputs(args[0]),) + args[1:]
        assert_input_compatibility(self.input_spec, args[0], self.name)
        # A graph node keeps `training` only when given explicitly: otherwise each run of the
        # model resolves it from the model's own call.
        explicit_training = kwargs.get("training") is not None
        signature = self._signature()
        context = _call_context()
        if signature.training:
            training = kwargs.get("training")
            if training is None:
                # Keras 3's order: explicit, else the enclosing call's (when it resolved to a
                # value), else the default of this layer's `call` (`True` for the
                # augmentation layers, so `Sequential([RandomFlip(...)])(x)` flips).
                training = context[-1] if context else None
                if training is None:
                    training = signature.training_default
            kwargs["training"] = training
        else:
            training = (
                kwargs.pop("training", None) if not signature.var_kwargs else kwargs.get("training")
            )
            if training is None and context:
                training = context[-1]
        if signature.mask and kwargs.get("mask") is None and self.supports_masking:
            masks = [getattr(x, "_keras_mask", None) for x in tree.flatten(args[0])]
            if any(m is not None for m in masks):
                kwargs["mask"] = masks[0] if len(masks) == 1 else masks
        elif not signature.mask and not signature.var_kwargs:
            kwargs.pop("mask", None)
        # The first call of a layer without a `build` of its own builds its sublayers: in the
        # layer's name scope, so their variable paths start with its name (as in Keras 3).
        names = None if self.built else name_scope(self.name, caller=self)
        self._maybe_build(args)
        scope = layer_autocast_scope(self.autocast, self.compute_dtype, self.variable_dtype)
        if scope is not None:
            scope.__enter__()
        if names is not None:
            names.__enter__()
        context.append(training)
        try:
            if any_symbolic(args, kwargs):
                outputs = self.compute_output_spec(*args, **kwargs)
                node_kwargs = (
                    kwargs
                    if explicit_training
                    else {k: v for k, v in kwargs.items() if k != "training"}
                )
                Node(self, args, node_kwargs, outputs)
            else:
                if self._losses:  # attribute writes can be costly on a layer mixin
                    self._losses = []
                if self._remat_mode is None:
                    outputs = self.call(*args, **kwargs)
                else:  # created in a `keras.RematScope`
                    from unikeras.backend.device import rematerialized_call

                    outputs = rematerialized_call(self, args, kwargs)
                if self.activity_regularizer is not None:
                    self._add_activity_losses(outputs)
        finally:
            context.pop()
            if names is not None:
                names.__exit__()
            if scope is not None:
                scope.__exit__()
        self._set_output_mask(args, kwargs, outputs)
        return outputs

    def _add_activity_losses(self, outputs):
        """Adds the activity regularizer's penalty of each output tensor as a loss, divided by
        the output's batch size (its first dimension) as Keras 3 does, so the penalty's
        strength does not depend on the batch size."""
        from unikeras import ops

        for out in tree.flatten(outputs):
            if not table.is_tensor(out):
                continue
            loss = self.activity_regularizer(out)
            if len(out.shape) > 0:
                batch_size = ops.cast(ops.shape(out)[0], dtype=ops.dtype(loss))
                loss = ops.divide_no_nan(loss, batch_size)
            self.add_loss(loss)

    def _set_output_mask(self, args, kwargs, outputs):
        if not self.supports_masking and type(self).compute_mask is Layer.compute_mask:
            return
        previous_mask = kwargs.get("mask")
        if previous_mask is None:  # a call without a `mask` argument: the inputs' own masks
            masks = [getattr(x, "_keras_mask", None) for x in tree.flatten(args[0])]
            if any(m is not None for m in masks):
                previous_mask = masks[0] if len(masks) == 1 else masks
        mask = self.compute_mask(args[0], previous_mask)
        if mask is None:
            return
        for out, m in zip(
            tree.flatten(outputs),
            tree.flatten(mask)
            if isinstance(mask, (list, tuple))
            else [mask] * len(tree.flatten(outputs)),
        ):
            try:
                out._keras_mask = m
            except AttributeError:
                pass

    def compute_mask(self, inputs, previous_mask):
        """Returns the output mask: passes the input mask through when masking is supported."""
        return previous_mask if self.supports_masking else None

    def call(self, *args, **kwargs):
        """The layer's forward computation; subclasses override it.

        Args:
            *args: The inputs (a tensor or a nested structure of tensors).
            **kwargs: Call arguments such as `training` and `mask` when the layer takes them.

        Returns:
            The output tensor(s).
        """
        raise NotImplementedError(f'Layer "{self.name}" ({type(self).__name__}) has no `call`.')

    def compute_output_shape(self, *args, **kwargs):
        """Returns the output shape for given input shapes (override when known cheaply)."""
        raise NotImplementedError

    def compute_output_spec(self, *args, **kwargs):
        """Returns the output KerasTensor(s) for symbolic inputs, without computing values.

        Uses `compute_output_shape` when the layer overrides it, else runs `call` on the
        backend's stand-in tensors.
        """
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            shapes = tree.map_structure(
                lambda x: tuple(x.shape) if isinstance(x, KerasTensor) else x, args[0]
            )
            out_shape = self.compute_output_shape(shapes)
            return _spec_from_shape(out_shape, self.compute_dtype)
        return table.compute_output_spec(self.call, args, kwargs)

    def stateless_call(
        self, trainable_variables, non_trainable_variables, *args, return_losses=False, **kwargs
    ):
        """Runs `call` with the given variable values instead of the stored ones.

        Returns `(outputs, non_trainable_variables)` (plus losses when `return_losses`),
        leaving the layer's own variables untouched; used by compiled train steps.
        """
        trainable = self.trainable_variables
        non_trainable = self.non_trainable_variables
        if len(trainable_variables) != len(trainable) or len(non_trainable_variables) != len(
            non_trainable
        ):
            raise ValueError(
                f'Layer "{self.name}": stateless_call expected {len(trainable)} trainable and '
                f"{len(non_trainable)} non-trainable values, received "
                f"{len(trainable_variables)} and {len(non_trainable_variables)}."
            )
        # A backend whose variables are written in place copies them (`variable_snapshot`).
        snapshot = optional_hook("variable_snapshot") or _same_value
        saved = [snapshot(v.value) for v in trainable + non_trainable]
        try:
            for v, value in zip(trainable, trainable_variables):
                v._direct_assign(value)
            for v, value in zip(non_trainable, non_trainable_variables):
                v._direct_assign(value)
            outputs = self(*args, **kwargs)
            new_non_trainable = [snapshot(v.value) for v in non_trainable]
            losses = self.losses
        finally:
            for v, value in zip(trainable + non_trainable, saved):
                v._direct_assign(value)
        if return_losses:
            return outputs, new_non_trainable, losses
        return outputs, new_non_trainable

    # --- graph accessors ------------------------------------------------------------------
    @property
    def input(self):
        """The symbolic input of the layer's first call."""
        return self._node_tensors("input_tensors")

    @property
    def output(self):
        """The symbolic output of the layer's first call."""
        return self._node_tensors("outputs")

    def _node_tensors(self, attr):
        if not self._inbound_nodes:
            raise AttributeError(f'Layer "{self.name}" has never been called on a KerasTensor.')
        tensors = getattr(self._inbound_nodes[0], attr)
        return tensors[0] if len(tensors) == 1 else tensors

    # --- config ---------------------------------------------------------------------------
    def get_config(self):
        """Returns the layer's constructor arguments as a JSON-able dict."""
        base = {"name": self.name, "trainable": self.trainable}
        policy = self.dtype_policy
        base["dtype"] = dtype_policies.serialize(policy)
        if self._batch_input_shape is not None:
            base["batch_shape"] = list(self._batch_input_shape)
        init_params = set(inspect.signature(type(self).__init__).parameters) - {
            "self",
            "args",
            "kwargs",
            "name",
            "trainable",
            "dtype",
            "autocast",
            "activity_regularizer",
        }
        if init_params and type(self).get_config is Layer.get_config:
            raise NotImplementedError(
                f"Layer {type(self).__name__} has constructor arguments {sorted(init_params)} "
                "but does not override `get_config()`; implement it to make the layer "
                "serializable."
            )
        return base

    @classmethod
    def from_config(cls, config):
        """Creates a layer from `get_config()` output."""
        config = dict(config)
        batch_shape = config.pop("batch_shape", None)
        if batch_shape is not None:
            config["batch_input_shape"] = batch_shape
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = dtype_policies.get(config["dtype"])
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"

    # torch.nn.Module and other mixins may define __hash__/__eq__; layers are identities.
    __hash__ = object.__hash__

    def __eq__(self, other):
        return self is other


def _build_wrapper(build):
    """Wraps a subclass' `build` (see `Layer.__init_subclass__`)."""

    @functools.wraps(build)
    def wrapper(self, *args, **kwargs):
        state = self.__dict__
        if state.get("_building"):  # a subclass' build calling `super().build(...)`
            return build(self, *args, **kwargs)
        state["_building"] = True
        try:
            with name_scope(self.name):
                state["_path"] = current_path()
                result = build(self, *args, **kwargs)
        finally:
            state["_building"] = False
        if len(args) == 1 and not kwargs and args[0] is not None:
            self._build_shapes = args[0]
        self._finish_build()
        return result

    wrapper._wraps_build = True
    return wrapper


def _specs_from_shapes(shape, dtype):
    """KerasTensors for a shape tuple, or a list/tuple/dict of them."""
    if isinstance(shape, dict):
        return {k: _specs_from_shapes(v, dtype) for k, v in shape.items()}
    if isinstance(shape, (list, tuple)) and all(d is None or isinstance(d, int) for d in shape):
        return KerasTensor(tuple(shape), dtype=dtype)
    if isinstance(shape, (list, tuple)):
        return type(shape)(_specs_from_shapes(s, dtype) for s in shape)
    raise TypeError(f"Expected a shape tuple, received {shape!r}.")


def _int_dtype():
    """Keras 3's dtype for `dtype="int"` variables on the active backend (its
    `PYTHON_DTYPES_MAP`: int64 on TensorFlow, int32 elsewhere), which the backend declares as
    `backend_info()["counter_dtype"]` (default `"int32"`), as for the optimizer's counters."""
    return table.backend_info().get("counter_dtype", "int32")


def _position(values, value):
    """The index of `value` in `values` by identity (a variable's `==` is elementwise)."""
    return next(i for i, v in enumerate(values) if v is value)


def _leaves(value):
    if isinstance(value, (list, tuple, dict)):
        return tree.flatten(value)
    return [value]


def _contains_state(container):
    return any(_is_layer_state(v) for v in _leaves(container))


def _to_shape(shape):
    if isinstance(shape, list) and shape and isinstance(shape[0], (list, tuple, dict)):
        return [_to_shape(s) for s in shape]
    if isinstance(shape, dict):
        return {k: _to_shape(v) for k, v in shape.items()}
    return tuple(shape) if shape is not None else None


def _spec_from_shape(shape, dtype):
    if isinstance(shape, tuple) and all(d is None or isinstance(d, int) for d in shape):
        return KerasTensor(shape, dtype=dtype)
    if isinstance(shape, dict):
        return {k: _spec_from_shape(v, dtype) for k, v in shape.items()}
    return [_spec_from_shape(s, dtype) for s in shape]


def _regularizer(value):
    if value is None:
        return None

    return regularizers.get(value)


def _constraint(value):
    if value is None:
        return None

    return constraints.get(value)
