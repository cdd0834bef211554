"""The hooks every backend implements: backend info, tensors, variables, layers, shapes.

Without `variable_class`, `layer_mixin` and `compute_output_spec` no layer can be built, and
without `convert_to_tensor`/`convert_to_numpy`/`is_tensor` no value can enter or leave the
backend; `trainer_mixin` says what `fit` does (here: a clear error, as this backend has no
gradients).
"""

import numpy

from unikeras.backend import KerasTensor, floatx, hookimpl, result_type, standardize_dtype
from unikeras.backend.stateless_scope import StatelessScope
from unikeras.backend.symbolic_scope import SymbolicScope
from unikeras.backend.variable import Variable
from unikeras.utils import tree

#: The array library, used only through the Array API standard. Swap in another compliant
#: namespace (and its conversion from NumPy) to make a backend for it.
xp = numpy

#: The dtypes this backend has: the Array API's real and boolean dtypes plus float16.
DTYPES = (
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float16",
    "float32",
    "float64",
)


def native_dtype(dtype):
    """The array library's dtype for a unikeras dtype name (or any dtype-like)."""
    name = standardize_dtype(dtype)
    if name not in DTYPES:
        raise TypeError(f"The arrayapi backend has no {name!r} dtype. Supported: {DTYPES}.")
    return getattr(xp, name)


@hookimpl
def backend_info():
    return {
        "name": "arrayapi",
        "version": xp.__version__,
        "engine": "numpy",
        "training": False,
        "jit": False,
        "dtypes": list(DTYPES),
        "notes": "example plugin: NumPy through the Array API, inference only",
    }


def _default_dtype(x):
    """The dtype of a value without one: Python scalars and (nested) lists of them."""
    leaves = tree.flatten(x) if isinstance(x, (list, tuple)) else [x]
    if not leaves:
        return floatx()
    return result_type(*[getattr(v, "dtype", None) or type(v) for v in leaves])


@hookimpl
def convert_to_tensor(x, dtype=None, sparse=None):
    if isinstance(x, Variable):
        x = x.value
    if dtype is None and not hasattr(x, "dtype"):
        dtype = _default_dtype(x)
    if dtype is None:
        return xp.asarray(x)
    return xp.asarray(x, dtype=native_dtype(dtype))


@hookimpl
def convert_to_numpy(x):
    if isinstance(x, Variable):
        x = x.value
    return numpy.asarray(x)  # with another library: `numpy.from_dlpack(x)`


@hookimpl
def is_tensor(x):
    return isinstance(x, xp.ndarray)


@hookimpl
def standardize_native_dtype(dtype):
    return native_dtype(dtype)


class ArrayVariable(Variable):
    """A Variable holding an array; the core's `Variable` does the rest."""

    def _initialize(self, value):
        self._value = xp.asarray(value, copy=True)

    def _direct_assign(self, value):
        self._value = xp.asarray(value)

    @property
    def value(self):
        return self._value


@hookimpl
def variable_class():
    return ArrayVariable


@hookimpl
def layer_mixin():
    return object  # layers need nothing from this library


class InferenceOnlyTrainer:
    """No gradients here: `fit` raises; `predict` and `evaluate` use the core's steps."""

    def train_step(self, data):
        raise RuntimeError(
            "The unikeras backend 'arrayapi' is inference only: it cannot compute gradients, "
            "so `fit`/`train_on_batch` cannot train this model. Train on a training backend "
            "(e.g. `pip install unikeras-jax`, UNIKERAS_BACKEND=jax) and load the saved model "
            "here."
        )


@hookimpl
def trainer_mixin():
    return InferenceOnlyTrainer


# Shape inference: run `fn` on zero arrays, twice with two different sizes standing in for
# the unknown (`None`) dimensions; a dimension that differs between the runs is unknown.
_PROBE_SIZES = (83, 89)


def _zeros_for(structure, size):
    def make(leaf):
        if isinstance(leaf, KerasTensor):
            shape = tuple(size if d is None else d for d in leaf.shape)
            return xp.zeros(shape, dtype=native_dtype(leaf.dtype))
        return leaf

    return tree.map_structure(make, structure)


def _spec(leaf, other=None):
    if not isinstance(leaf, (xp.ndarray, xp.generic)):
        return leaf
    shape = tuple(leaf.shape)
    if other is not None:
        shape = tuple(a if a == b else None for a, b in zip(shape, other.shape))
    return KerasTensor(shape, dtype=standardize_dtype(leaf.dtype))


@hookimpl
def compute_output_spec(fn, args, kwargs):
    has_unknown = any(
        isinstance(leaf, KerasTensor) and None in leaf.shape
        for leaf in tree.flatten((args, kwargs))
    )
    # Stateless: variables created inside get real values afterwards, assignments are not
    # applied; symbolic: layers know they are being traced.
    with StatelessScope(), SymbolicScope(), numpy.errstate(all="ignore"):
        first = fn(*_zeros_for(args, _PROBE_SIZES[0]), **_zeros_for(kwargs, _PROBE_SIZES[0]))
        if not has_unknown:
            return tree.map_structure(_spec, first)
        second = fn(*_zeros_for(args, _PROBE_SIZES[1]), **_zeros_for(kwargs, _PROBE_SIZES[1]))
    return tree.map_structure(_spec, first, second)


@hookimpl
def cast(x, dtype):
    return xp.astype(convert_to_tensor(x), native_dtype(dtype))


@hookimpl
def shape(x):
    return tuple(convert_to_tensor(x).shape)
