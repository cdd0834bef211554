"""Backend-neutral dtype names and Keras 3's type promotion rules.

Dtypes are plain strings (`"float32"`, `"int8"`, `"bool"`, ...). Promotion follows the
JAX-style lattice that Keras 3 documents for `keras.backend.result_type`: Python scalars are
"weak" (they adopt the other operand's dtype), `int32 + float32 -> float32` (NumPy would give
float64), and a weak result resolves to the precision of `floatx()`.
"""

import functools

from unikeras.backend import config

FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")
INT_TYPES = ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64")
COMPLEX_TYPES = ("complex64", "complex128")
ALLOWED_DTYPES = FLOAT_TYPES + INT_TYPES + COMPLEX_TYPES + ("bool", "string")

_ALIASES = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "int": "int32",
    "long": "int64",
    "bool_": "bool",
    "str": "string",
    "object": "string",
    "float8_e4m3fn": "float8_e4m3fn",
}

# Python scalar types are weak: they take the dtype of the tensor they meet.
_WEAK = {bool: "bool", int: "int", float: "float", complex: "complex"}

_LATTICE = {
    "bool": ("int",),
    "uint8": ("int16", "uint16"),
    "uint16": ("int32", "uint32"),
    "uint32": ("int64", "uint64"),
    "uint64": ("float",),
    "int": ("uint8", "int8"),
    "int8": ("int16",),
    "int16": ("int32",),
    "int32": ("int64",),
    "int64": ("float",),
    "float": ("bfloat16", "float16", "complex"),
    "bfloat16": ("float32",),
    "float16": ("float32",),
    "float32": ("float64", "complex64"),
    "float64": ("complex128",),
    "complex": ("complex64",),
    "complex64": ("complex128",),
    "complex128": (),
}


def _upper_bounds():
    bounds = {}

    def visit(node):
        if node not in bounds:
            found = {node}
            for parent in _LATTICE[node]:
                found |= visit(parent)
            bounds[node] = frozenset(found)
        return bounds[node]

    for node in _LATTICE:
        visit(node)
    return bounds


_UPPER = _upper_bounds()


_MISSING = object()


def _memoize(function):
    """`function` (of hashable arguments) memoized in a plain dict: `torch.compile` traces a
    dict lookup silently, where it warns on every `functools.lru_cache` it meets."""
    cache = {}

    @functools.wraps(function)
    def memoized(*args):
        value = cache.get(args, _MISSING)
        if value is _MISSING:
            value = cache[args] = function(*args)
        return value

    memoized.cache_clear = cache.clear
    return memoized


@_memoize
def _standardize_str(name):
    name = name.lower()
    if name.startswith("torch."):
        name = name[len("torch.") :]
    if name.startswith("<dtype: '"):  # repr of tf.DType
        name = name[len("<dtype: '") : -2]
    name = _ALIASES.get(name, name)
    if name.rstrip("0123456789") in ("str", "bytes"):  # NumPy text dtypes: "str64", "bytes8"
        return "string"
    if name not in ALLOWED_DTYPES and not name.startswith("float8"):
        raise ValueError(f"Invalid dtype: {name!r}. Expected one of {list(ALLOWED_DTYPES)}")
    return name


_STANDARDIZED = {}  # (type of dtype, dtype) -> name; the type keeps np.float64 != float apart


def standardize_dtype(dtype):
    """Returns the canonical string name of `dtype`.

    Args:
        dtype: `None` (meaning `floatx()`), a string, a Python type, a NumPy dtype, or an
            engine dtype object (anything with a `name` attribute or a `torch.` prefix).

    Returns:
        A string such as `"float32"`.
    """
    if dtype is None:
        return config.floatx()
    if dtype is int or (dtype.__class__ is str and dtype == "int"):
        return python_int_dtype()
    cls = dtype.__class__
    if cls is not str:
        name = getattr(dtype, "name", None)
        if name.__class__ is str:
            # Dtype objects with a name (np.dtype, tf.DType) are memoized by it: a tf.DType
            # key in the memo (a tf.data pipeline ran) made torch.compile break its graph
            # at every dtype lookup, as Dynamo cannot hash one.
            dtype, cls = name, str
    key = (cls, dtype)
    try:
        return _STANDARDIZED[key]
    except KeyError:
        name = _STANDARDIZED[key] = _standardize(dtype)
        return name
    except TypeError:  # unhashable
        return _standardize(dtype)


_PYTHON_INT = {}  # backend name -> what `"int"` / `int` stand for there


def python_int_dtype():
    """What the dtype `"int"` (or the Python type `int`) stands for on the active backend, as
    Keras 3's `standardize_dtype`: `"int64"` on TensorFlow, `"int32"` elsewhere. A backend
    declares it as `backend_info()["counter_dtype"]` (default `"int32"`).

    Returns:
        A dtype name.
    """
    from unikeras.backend.registry import backend, table

    name = backend()
    found = _PYTHON_INT.get(name)
    if found is None:
        found = _PYTHON_INT[name] = table.backend_info().get("counter_dtype", "int32")
    return found


def _standardize(dtype):
    if dtype in _WEAK:
        return {"int": "int32", "float": "float32", "complex": "complex64"}.get(
            _WEAK[dtype], _WEAK[dtype]
        )
    if isinstance(dtype, str):
        return _standardize_str(dtype)
    name = getattr(dtype, "name", None)
    if isinstance(name, str):
        return _standardize_str(name)
    if hasattr(dtype, "dtype"):  # a NumPy scalar type such as np.float32
        return _standardize_str(str(dtype.dtype) if not isinstance(dtype, type) else dtype.__name__)
    if isinstance(dtype, type):
        return _standardize_str(dtype.__name__)
    return _standardize_str(str(dtype))


def is_float_dtype(dtype):
    """Returns whether `dtype` is a floating dtype.

    The floating dtypes are `bfloat16`, `float16`, `float32`, `float64` and `float8_*`.

    Args:
        dtype: A dtype name or dtype object.

    Returns:
        A bool.
    """
    return standardize_dtype(dtype).startswith(("float", "bfloat"))


def is_int_dtype(dtype):
    """Returns whether `dtype` is a signed or unsigned integer dtype.

    Args:
        dtype: A dtype name or dtype object.

    Returns:
        A bool.
    """
    return standardize_dtype(dtype) in INT_TYPES


def is_complex_dtype(dtype):
    """True for complex dtypes."""
    return standardize_dtype(dtype) in COMPLEX_TYPES


def _least_upper_bound(nodes):
    common = frozenset.intersection(*(_UPPER[n] for n in nodes))
    for candidate in common:
        if all(other in _UPPER[candidate] for other in common):
            return candidate
    raise ValueError(f"No common dtype for {sorted(nodes)}")


def _weak_resolved(node):
    precision = config.floatx()[-2:]
    if node == "float":
        return config.floatx()
    if node == "int":
        return "int" + ("32" if precision in ("16", "32") else precision)
    if node == "complex":
        return "complex128" if precision == "64" else "complex64"
    return node


def _dtype_and_weak(value):
    if value is None:
        return config.floatx(), False
    weak = _WEAK.get(value) if isinstance(value, type) else None
    if weak is not None:
        return weak, True
    if isinstance(value, (bool, int, float, complex)) and not hasattr(value, "dtype"):
        return _WEAK[type(value)], True
    return standardize_dtype(value), False


@_memoize
def _result_type_cached(dtypes, weaks, floatx):
    if len(dtypes) == 1:
        out, out_weak = dtypes[0], weaks[0]
    elif len(set(dtypes)) == 1 and not all(weaks):
        out, out_weak = dtypes[0], False
    else:
        nodes = set(dtypes)
        out = _least_upper_bound(nodes)
        out_weak = out in ("int", "float", "complex")
    if out_weak or out in ("int", "float", "complex"):
        out = _weak_resolved(out)
    return out


def result_type(*dtypes):
    """Returns the dtype that results from combining `dtypes` under Keras 3 promotion.

    Args:
        *dtypes: dtype names or objects; Python types `int`/`float`/`bool` (or Python scalar
            values) count as weak types; `None` counts as `floatx()`.

    Returns:
        A dtype string.
    """
    if not dtypes:
        return config.floatx()
    pairs = [_dtype_and_weak(d) for d in dtypes]
    names = tuple(p[0] for p in pairs)
    weaks = tuple(p[1] for p in pairs)
    for name in names:
        if name == "string":
            if len(set(names)) == 1:
                return "string"
            raise ValueError(f"Cannot promote string with other dtypes: {list(names)}")
        if name.startswith("float8"):
            raise ValueError(f"There is no implicit conversion from {name} to another dtype.")
    return _result_type_cached(names, weaks, config.floatx())


def matmul_result_type(dtype1, dtype2):
    """The dtype of `matmul(x1, x2)` for operands of `dtype1` and `dtype2`, as Keras 3's.

    Two int8 operands give int32 (the product accumulates wider); any other pair gives its
    promoted dtype (`result_type`), bool and narrow integers included.

    Args:
        dtype1: The first operand's dtype.
        dtype2: The second operand's dtype.

    Returns:
        A dtype name.
    """
    if standardize_dtype(dtype1) == "int8" and standardize_dtype(dtype2) == "int8":
        return "int32"
    return result_type(dtype1, dtype2)
