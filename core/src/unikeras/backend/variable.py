"""The backend-neutral part of `keras.Variable`.

Each backend subclasses `Variable` (hook `variable_class`) to hold its engine's state; the
public `unikeras.Variable` is that subclass for the active backend.
"""

import threading

import numpy as np

from unikeras.backend import dtypes
from unikeras.backend import stateless_scope as _stateless
from unikeras.backend.name_scope import current_path
from unikeras.backend.keras_tensor import _ops  # the `unikeras.ops` namespace, bound by it
from unikeras.backend.registry import table


# How a new variable's value is placed on devices: `unikeras.distribution` installs its
# placement (layouts, meshes) with `set_variable_placement` when it is imported.
_PLACEMENT = [lambda variable, value: value]


def set_variable_placement(place):
    """Installs `place(variable, value) -> value`, called on every new variable's value.

    Args:
        place: The placement function of `keras.distribution`.
    """
    _PLACEMENT[0] = place


class _AutocastState(threading.local):
    scope = None


_AUTOCAST = _AutocastState()


class AutocastScope:
    """Context manager under which floating variables with `autocast=True` read as `dtype`.

    Layers of a mixed policy enter it around `call`, so `variable.value` (and every op given
    the variable) sees the weight in the compute dtype while the stored value stays in the
    variable dtype. The cast is an ordinary op, so gradients flow back to the stored value.

    Args:
        dtype: Floating dtype to read variables in; `None` turns autocasting off inside.
    """

    def __init__(self, dtype):
        if dtype is not None:
            dtype = dtypes.standardize_dtype(dtype)
            if not dtypes.is_float_dtype(dtype):
                raise ValueError(
                    "`AutocastScope` can only be used with a floating-point target dtype, "
                    f"such as 'float16'. Received: dtype={dtype}"
                )
        self.dtype = dtype
        self._outer = None

    def __enter__(self):
        self._outer = _AUTOCAST.scope
        _AUTOCAST.scope = self
        return self

    def __exit__(self, *exc_info):
        _AUTOCAST.scope = self._outer


def layer_autocast_scope(autocast, compute_dtype, variable_dtype):
    """The scope a layer's call runs in (Keras 3's rules), or `None` to keep the current one.

    Inside an autocasting layer, a sublayer that does not autocast (or computes in a
    non-float dtype) turns autocasting off, and one with another compute dtype switches to
    it; outside any scope, a layer whose compute and variable dtypes differ opens one.
    """
    current = _AUTOCAST.scope
    if current is not None:
        if not autocast or not dtypes.is_float_dtype(compute_dtype):
            return AutocastScope(None)
        if current.dtype != compute_dtype:
            return AutocastScope(compute_dtype)
        return None
    if compute_dtype != variable_dtype:
        return AutocastScope(compute_dtype)
    return None


def _autocast_dtype(variable):
    """The dtype `variable` reads as under the active scope, or `None` when not cast."""
    scope = _AUTOCAST.scope
    if (
        scope is None
        or scope.dtype is None
        or not variable.autocast
        or scope.dtype == variable._dtype
        or not dtypes.is_float_dtype(variable._dtype)
    ):
        return None
    return scope.dtype


def _autocasting(read):
    """Wraps a backend's `value` getter so reads under an `AutocastScope` are cast, and reads
    inside a `StatelessScope` see the scope's value (or, for a variable declared in the
    scope and not yet initialized, its initializer's output)."""

    def value(self):
        """The variable's current value as a tensor (cast to the compute dtype inside a
        layer's call under mixed precision)."""
        scope = _stateless._STATE.scope
        tensor = None if scope is None else scope.state_mapping.get(id(self))
        if tensor is None:
            if self._deferred_initializer is not None:
                tensor = self._deferred_initializer(self._shape, dtype=self._dtype)
            else:
                tensor = read(self)
        dtype = _autocast_dtype(self)
        return tensor if dtype is None else table.cast(tensor, dtype)

    value.__doc__ = read.__doc__ or value.__doc__
    return value


class Variable:
    """A mutable tensor: layer weights, optimizer slots, metric state.

    Args:
        initializer: An initial value (array-like) or a callable `initializer(shape, dtype)`
            (e.g. a `keras.initializers` object).
        shape: Required when `initializer` is a callable.
        dtype: dtype name; defaults to the value's dtype, or `floatx()` for callables.
        trainable: Whether gradients flow to it in training.
        autocast: Whether layers may cast it to their compute dtype.
        aggregation: Distributed aggregation (`"none"`, `"mean"`, `"sum"`,
            `"only_first_replica"`).
        synchronization: Distributed synchronization mode (`"auto"`, `"on_read"`, ...).
        name: Name; the variable's `path` adds the enclosing name scopes.
        layout: Optional `keras.distribution.TensorLayout` placing the variable; by
            default the active distribution's `get_variable_layout(variable)` gives it.
    """

    def __init__(
        self,
        initializer,
        shape=None,
        dtype=None,
        trainable=True,
        autocast=True,
        aggregation="none",
        synchronization="auto",
        name=None,
        layout=None,
    ):
        name = name or "variable"
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                f"Argument `name` must be a string without '/'. Received: name={name!r}"
            )
        self.name = name
        parent = current_path()
        self.path = f"{parent}/{name}" if parent else name
        self.trainable = bool(trainable)
        # Layers list their weights by this flag (as Keras 3 does), so freezing one variable
        # later (e.g. a LoRA base kernel) keeps the order of `get_weights`/`set_weights`.
        self._trainable_at_creation = bool(trainable)
        self.autocast = bool(autocast)
        self.aggregation = aggregation
        self.synchronization = synchronization
        self.regularizer = None
        self.constraint = None
        self._layout = layout  # a distribution layout; placement is the engine's default
        if callable(initializer):
            if shape is None:
                raise ValueError(f"Variable {self.path!r}: a callable initializer needs a `shape`.")
            self._dtype = dtypes.standardize_dtype(dtype)
            if _stateless._STATE.scope is not None:
                # Declared only: initialized when the outermost stateless scope exits.
                self._shape = self._validate_shape(shape)
                self._deferred_initializer = initializer
                _stateless.register_uninitialized_variable(self)
                return
            value = initializer(tuple(shape), dtype=self._dtype)
        else:
            if _stateless._STATE.scope is not None:
                raise ValueError(
                    f"Variable {self.path!r}: you are attempting to create a variable from a "
                    "value while in a stateless scope. This is disallowed. Make sure that all "
                    "variables are created before you start using your layer/model objects "
                    "(implement `build(self, input_shape)` on your layer), or create them "
                    "with `self.add_weight()` / a callable initializer and a `shape`."
                )
            value = initializer
            if dtype is None:
                # As Keras: the dtype of the value once converted (the backend's rules, so
                # NumPy float64 data gives float32 on JAX without x64, and 3 gives int32).
                value = table.convert_to_tensor(value)
                dtype = value.dtype
            self._dtype = dtypes.standardize_dtype(dtype)
        value = table.convert_to_tensor(value, dtype=self._dtype)
        if shape is not None and tuple(value.shape) != tuple(shape):
            raise ValueError(
                f"Variable {self.path!r}: initial value has shape {tuple(value.shape)}, "
                f"expected shape {tuple(shape)}."
            )
        self._shape = tuple(int(d) for d in value.shape)
        self._initialize(self._placed(value))

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Every backend's `value` getter gets the autocast rule, without each plugin
        # having to implement it.
        read = cls.__dict__.get("value")
        if isinstance(read, property):
            cls.value = property(_autocasting(read.fget))

    _deferred_initializer = None  # set while declared in a stateless scope, not initialized

    def _validate_shape(self, shape):
        shape = tuple(shape)
        if any(d is None for d in shape):
            raise ValueError(
                "Shapes used to initialize variables must be fully-defined (no `None` "
                f"dimensions). Received: shape={shape} for variable path={self.path!r}"
            )
        return tuple(int(d) for d in shape)

    def _deferred_initialize(self):
        """Gives a variable declared in a stateless scope its initializer's value."""
        if self._deferred_initializer is None:
            raise ValueError(f"Variable {self.path!r} is already initialized.")
        if _stateless._STATE.scope is not None:
            raise ValueError(
                f"Variable {self.path!r}: you are attempting to initialize a variable while "
                "in a stateless scope. This is disallowed. Make sure that all variables are "
                "initialized before you start using your layer/model objects."
            )
        initializer, self._deferred_initializer = self._deferred_initializer, None
        value = table.convert_to_tensor(
            initializer(self._shape, dtype=self._dtype), self._dtype, None
        )
        self._initialize(self._placed(value))

    def _placed(self, value):
        """`value` placed with this variable's layout under the active
        `keras.distribution` (unchanged when there is neither)."""
        return _PLACEMENT[0](self, value)

    # --- implemented by each backend -------------------------------------------------------
    def _initialize(self, value):
        raise NotImplementedError

    def _direct_assign(self, value):
        raise NotImplementedError

    @property
    def value(self):
        """The current value, as an engine tensor."""
        raise NotImplementedError

    # --- shared ----------------------------------------------------------------------------
    @property
    def shape(self):
        return self._shape

    @property
    def dtype(self):
        """The dtype: the stored one, or the compute dtype when autocast in a layer call."""
        return _autocast_dtype(self) or self._dtype

    @property
    def ndim(self):
        return len(self._shape)

    def numpy(self):
        """Returns the value as a NumPy array."""
        return table.convert_to_numpy(self.value)

    def assign(self, value):
        """Sets the value; the shape must match (dtype is cast to the variable's)."""
        value = table.convert_to_tensor(value, dtype=self._dtype)
        if tuple(value.shape) != self._shape:
            raise ValueError(
                f"Cannot assign a value of shape {tuple(value.shape)} to variable "
                f"{self.path!r} of shape {self._shape}."
            )
        scope = _stateless._STATE.scope
        if scope is not None:
            scope.add_update((self, value))  # captured by the scope, not applied
        else:
            self._direct_assign(value)
        return value

    def assign_add(self, value):
        """Adds `value` to the variable in place."""
        return self.assign(_ops().add(self.value, value))

    def assign_sub(self, value):
        """Subtracts `value` from the variable in place."""
        return self.assign(_ops().subtract(self.value, value))

    def __repr__(self):
        return (
            f"<Variable path={self.path}, shape={self._shape}, dtype={self._dtype}, "
            f"value={self.numpy()!r}>"
        )

    def __array__(self, dtype=None, copy=None):
        value = np.asarray(self.numpy())
        return value.astype(dtype) if dtype is not None else value

    def __len__(self):
        return self._shape[0]

    def __bool__(self):
        return bool(self.numpy())

    def __int__(self):
        return int(self.numpy())

    def __float__(self):
        return float(self.numpy())

    def __getitem__(self, key):
        return _ops().get_item(self.value, key)

    def __add__(self, other):
        return _ops().add(self.value, other)

    def __radd__(self, other):
        return _ops().add(other, self.value)

    def __sub__(self, other):
        return _ops().subtract(self.value, other)

    def __rsub__(self, other):
        return _ops().subtract(other, self.value)

    def __mul__(self, other):
        return _ops().multiply(self.value, other)

    def __rmul__(self, other):
        return _ops().multiply(other, self.value)

    def __truediv__(self, other):
        return _ops().true_divide(self.value, other)

    def __rtruediv__(self, other):
        return _ops().true_divide(other, self.value)

    def __pow__(self, other):
        return _ops().power(self.value, other)

    def __rpow__(self, other):
        return _ops().power(other, self.value)

    def __matmul__(self, other):
        return _ops().matmul(self.value, other)

    def __rmatmul__(self, other):
        return _ops().matmul(other, self.value)

    def __neg__(self):
        return _ops().negative(self.value)

    def __abs__(self):
        return _ops().absolute(self.value)

    def __eq__(self, other):
        # Elementwise, a tensor, as Keras 3's variables; a non-tensor operand (None, a
        # string, an object) compares by identity as Python's default does.
        if other is None or isinstance(other, str):
            return NotImplemented
        return _ops().equal(self.value, other)

    def __ne__(self, other):
        if other is None or isinstance(other, str):
            return NotImplemented
        return _ops().not_equal(self.value, other)

    def __lt__(self, other):
        return _ops().less(self.value, other)

    def __le__(self, other):
        return _ops().less_equal(self.value, other)

    def __gt__(self, other):
        return _ops().greater(self.value, other)

    def __ge__(self, other):
        return _ops().greater_equal(self.value, other)

    def __pos__(self):
        return self.value

    def __invert__(self):
        return self.value.__invert__()

    def __floordiv__(self, other):
        return _ops().floor_divide(self.value, other)

    def __rfloordiv__(self, other):
        return _ops().floor_divide(other, self.value)

    def __mod__(self, other):
        return _ops().mod(self.value, other)

    def __rmod__(self, other):
        return _ops().mod(other, self.value)

    def __and__(self, other):
        return _ops().logical_and(self.value, other)

    def __rand__(self, other):
        return _ops().logical_and(other, self.value)

    def __or__(self, other):
        return _ops().logical_or(self.value, other)

    def __ror__(self, other):
        return _ops().logical_or(other, self.value)

    def __xor__(self, other):
        return _ops().logical_xor(self.value, other)

    def __rxor__(self, other):
        return _ops().logical_xor(other, self.value)

    def __round__(self, ndigits=None):
        """`round(variable, ndigits)`: the value rounded to `ndigits` decimals, a tensor as
        Keras 3's `round(optimizer.learning_rate, 5)` gives."""
        return _ops().round(self.value, decimals=ndigits or 0)

    __hash__ = object.__hash__
