"""Tensor-conversion rules shared by every backend's `convert.py`.

They decide dtypes on plain Python values and dtype names only; each backend maps the names to
its native dtypes and builds its own tensors.
"""

import importlib.util

import numpy as np

from unikeras.backend import dtypes, tree
from unikeras.backend.config import floatx
from unikeras.backend.variable import Variable

SCALARS = (bool, int, float, complex)
_BFLOAT16 = []  # the NumPy bfloat16 dtype (or None), found on first use


def has_bfloat16():
    """Whether NumPy bfloat16 is available (ml_dtypes installed), without importing it."""
    if _BFLOAT16:
        return _BFLOAT16[0] is not None
    return importlib.util.find_spec("ml_dtypes") is not None


def bfloat16_dtype():
    """The NumPy bfloat16 dtype from ml_dtypes, imported on first use (importing it costs
    0.3-3 s, so `import unikeras` does not), or None when ml_dtypes is not installed."""
    if not _BFLOAT16:
        try:
            import ml_dtypes
        except ImportError:  # pragma: no cover
            _BFLOAT16.append(None)
        else:
            _BFLOAT16.append(np.dtype(ml_dtypes.bfloat16))
    return _BFLOAT16[0]


def unwrap(x):
    """The value of a `Variable`; anything else is returned as is."""
    return x.value if isinstance(x, Variable) else x


def leaf_dtype(leaf):
    """The dtype to promote with for one leaf: its `dtype`, else its Python type (weak)."""
    dtype = getattr(leaf, "dtype", None)
    return dtype if dtype is not None else type(leaf)


def promotion_dtype(x, convert_to_tensor):
    """The dtype to promote `x` with in an op's result type.

    Tensors give theirs, Python scalars stay weak types (their Python type) and nested lists or
    tuples are not weak: they are converted with the backend's `convert_to_tensor` first.
    """
    dtype = getattr(x, "dtype", None)
    if dtype is not None:
        return dtype
    if isinstance(x, (list, tuple)):
        return convert_to_tensor(x).dtype
    return type(x)


def default_dtype(x, numpy_scalars=True):
    """The dtype name `convert_to_tensor` gives a value passed without a dtype.

    Args:
        x: the value: a list or tuple (its leaves promote together, an empty one is
            `floatx()`) or a Python scalar (weakly typed: `float` gives `floatx()`).
        numpy_scalars: whether NumPy scalars that subclass a Python scalar type (`np.float64`)
            count as Python scalars; if `False` they keep their own dtype (`None` here).

    Returns:
        A dtype name, or `None` where the value carries its own dtype.
    """
    if isinstance(x, (list, tuple)):
        leaves = tree.flatten(x)
        if not leaves:
            return floatx()
        return dtypes.result_type(*[leaf_dtype(v) for v in leaves])
    if isinstance(x, SCALARS) and (numpy_scalars or not isinstance(x, np.generic)):
        return dtypes.result_type(type(x))
    return None
