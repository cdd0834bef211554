"""The hooks every backend implements: backend info, tensors, variables, layers, shapes.

Without `variable_class`, `layer_mixin` and `compute_output_spec` no layer can be built, and
without `convert_to_tensor`/`convert_to_numpy`/`is_tensor` no value can enter or leave the
backend; `trainer_mixin` says what `fit` does (here: a clear error, as this backend has no
gradients).
"""

import numpy

# A plugin imports the core's plugin API (`unikeras.backend.api`: hookimpl, dtypes, config,
# Variable, KerasTensor, tree, ...) and `unikeras.backend.common` (engine-neutral helpers),
# never the core's internals (tox env `lint` checks it with import-linter).
from unikeras.backend.api import Variable, dtypes, floatx, hookimpl, tree
from unikeras.backend.common import shape_probe

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
    name = dtypes.standardize_dtype(dtype)
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
    return dtypes.result_type(*[getattr(v, "dtype", None) or type(v) for v in leaves])


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
    # NumPy gives 0-d results of element-wise functions as scalars (`numpy.float32`).
    return isinstance(x, (xp.ndarray, xp.generic))


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


# Shape inference: the core's probe-and-merge (`shape_probe.output_spec`) runs `fn` twice, with
# two sizes standing in for the unknown (`None`) dimensions; the backend only says how to run
# it on concrete stand-ins of the `KerasTensor` inputs (here: zero arrays).
def _run_on_zeros(fn, args, kwargs, size):
    def zeros(spec):
        return xp.zeros(shape_probe.probe_shape(spec, size), dtype=native_dtype(spec.dtype))

    with numpy.errstate(all="ignore"):
        return shape_probe.call_on_concrete(fn, args, kwargs, zeros)


@hookimpl
def compute_output_spec(fn, args, kwargs):
    return shape_probe.output_spec(fn, args, kwargs, _run_on_zeros)


@hookimpl
def cast(x, dtype):
    return xp.astype(convert_to_tensor(x), native_dtype(dtype))


@hookimpl
def shape(x):
    return tuple(convert_to_tensor(x).shape)
