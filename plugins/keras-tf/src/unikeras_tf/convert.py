"""TensorFlow backend: dtypes and tensor conversion (hooks `convert_to_tensor`,
`convert_to_numpy`, `is_tensor`, `standardize_native_dtype`)."""

import builtins

import numpy as np
import tensorflow as tf

from unikeras.backend.api import Variable as BaseVariable, dtypes, hookimpl, tree
from unikeras.backend.common import conversion

_SCALARS = (bool, int, float, complex)
_TF_DTYPES = {}


def to_tf_dtype(dtype):
    """Returns the `tf.DType` for a unikeras dtype name (or any dtype object)."""
    found = _TF_DTYPES.get(dtype) if isinstance(dtype, str) else None
    if found is None:
        found = tf.as_dtype(dtypes.standardize_dtype(dtype))
        if isinstance(dtype, str):
            _TF_DTYPES[dtype] = found
    return found


def dtype_name(x):
    """The standardized dtype name of a tensor (or of anything with a `dtype`)."""
    return dtypes.standardize_dtype(x.dtype)


def dtype_of(x):
    """The dtype to promote with: tensors give theirs, Python scalars stay weak types."""
    dtype = getattr(x, "dtype", None)  # the common case, without a further call
    return dtype if dtype is not None else conversion.promotion_dtype(x, convert_to_tensor)


def _default_dtype(x):
    """The dtype name `convert_to_tensor` gives a value without one (Python scalars, lists)."""
    return conversion.default_dtype(x, numpy_scalars=False)


def dims(x):
    """The shape of tensor `x` as a list: ints where known statically, scalar int32 tensors
    where the size is only known at run time (inside `tf.function`)."""
    static = x.shape.as_list()
    if None not in static:
        return static
    dynamic = tf.shape(x)
    return [d if d is not None else dynamic[i] for i, d in enumerate(static)]


def _is_native(x):
    return isinstance(x, (tf.Tensor, tf.Variable))


@hookimpl
def convert_to_tensor(x, dtype=None, sparse=None):
    if dtype is None and _is_native(x):  # the most common call first: a tensor, no dtype
        return x
    if dtype is not None:
        dtype = to_tf_dtype(dtype)
    if isinstance(x, BaseVariable):
        x = x.value
    if isinstance(x, tf.SparseTensor) and not sparse:
        x = tf.sparse.to_dense(x)
    if _is_native(x) or isinstance(x, tf.SparseTensor):
        return x if dtype is None or x.dtype == dtype else tf.cast(x, dtype)
    if dtype is None:
        name = _default_dtype(x)
        dtype = None if name is None else to_tf_dtype(name)
    if isinstance(x, (list, tuple)) and builtins.any(
        _is_native(v) or isinstance(v, BaseVariable) for v in tree.flatten(x)
    ):
        if not x:
            return tf.zeros((0,), dtype)
        return tf.stack([convert_to_tensor(v, dtype) for v in x])
    if isinstance(x, (str, bytes)):
        return tf.constant(x)
    # Host data (NumPy arrays, Python scalars and lists) enters TensorFlow here.
    array = np.asarray(x)
    if array.dtype == object:
        return tf.constant(array.astype(str) if dtype is None else array, dtype=dtype)
    if dtype is not None and dtype != tf.string:
        array = array.astype(dtype.as_numpy_dtype)
    return tf.constant(array, dtype=dtype)


@hookimpl
def convert_to_numpy(x):
    x = conversion.unwrap(x)
    if isinstance(x, tf.SparseTensor):
        x = tf.sparse.to_dense(x)
    if _is_native(x):
        return np.asarray(x.numpy())
    return np.asarray(x)


@hookimpl
def is_tensor(x):
    return isinstance(x, (tf.Tensor, tf.Variable, tf.SparseTensor))


@hookimpl
def standardize_native_dtype(dtype):
    return to_tf_dtype(dtype)
