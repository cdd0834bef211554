"""Host-side data handling for the preprocessing layers: strings and `adapt` batches.

Engines other than TensorFlow cannot hold strings, so string inputs (lists, NumPy `str`,
`bytes` or `object` arrays, `tf.string` tensors) stay on the host as NumPy arrays of Python
`str` and the layers turn them into integer/float backend tensors.
"""

import itertools

import numpy as np

from unikeras.backend.keras_tensor import KerasTensor
from unikeras.backend.registry import table


def _first_leaf(x):
    while isinstance(x, (list, tuple)) and x:
        x = x[0]
    return x


def is_string_like(x):
    """Whether `x` holds strings: a str/bytes, a (nested) list of them, a NumPy text or
    object array, or a string tensor of an engine (e.g. `tf.string`)."""
    if isinstance(x, KerasTensor):
        return x.dtype == "string"
    if isinstance(x, (str, bytes)):
        return True
    if isinstance(x, (list, tuple)):
        return isinstance(_first_leaf(x), (str, bytes))
    dtype = getattr(x, "dtype", None)
    if isinstance(dtype, np.dtype):
        return dtype.kind in "USO"
    return getattr(dtype, "name", None) == "string"


def _decode(value, encoding):
    return value.decode(encoding) if isinstance(value, bytes) else str(value)


def to_host_strings(x, encoding="utf-8"):
    """`x` (see `is_string_like`) as a NumPy `object` array of Python `str`."""
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
        x = x.numpy()
    array = np.asarray(x, dtype=object)
    flat = [_decode(v, encoding) for v in array.reshape(-1)]
    result = np.empty(len(flat), dtype=object)
    result[:] = flat
    return result.reshape(array.shape)


def is_tf_graph_tensor(x):
    """Whether `x` is a symbolic `tf.Tensor` of a TensorFlow graph (a `tf.data` map or a
    `tf.function`), whose values the host cannot read while the graph is being built."""
    cls = type(x)
    return (
        cls.__module__.startswith("tensorflow")
        and cls.__name__ != "EagerTensor"
        and hasattr(x, "graph")
    )


def call_in_tf_graph(host_call, inputs, dtype, shape):
    """Runs `host_call` (a layer's host computation) on the values of the graph tensor
    `inputs` when the graph runs, as Keras 3's TensorFlow-based layers run inside
    `tf.data` pipelines: a `tf.numpy_function` returning a `dtype` tensor of static `shape`
    (a tuple with `None` for unknown dimensions)."""
    import tensorflow as tf  # only reached inside a TensorFlow graph

    def run(values):
        return np.asarray(to_host_array(host_call(values)), dtype=dtype)

    outputs = tf.numpy_function(run, [inputs], tf.as_dtype(dtype), stateful=False)
    outputs.set_shape(shape)
    return outputs


def to_host_array(x):
    """`x` (a tensor of any engine, a list or an array) as a NumPy array."""
    if isinstance(x, np.ndarray):
        return x
    if table.is_tensor(x):
        return np.asarray(table.convert_to_numpy(x))
    if hasattr(x, "numpy"):
        return np.asarray(x.numpy())
    return np.asarray(x)


def adapt_batches(data, steps=None, lists_are_data=True):
    """The batches `adapt` reads from `data`: a `tf.data.Dataset` or any iterable of
    batches (up to `steps` of them), or one batch (an array, a tensor, or a list/tuple when
    `lists_are_data`; else a list is a sequence of batches)."""
    single = (list, tuple, np.ndarray, str, bytes) if lists_are_data else (np.ndarray,)
    if (
        isinstance(data, single)
        or table.is_tensor(data)
        or not hasattr(data, "__iter__")
        or getattr(data, "dtype", None) is not None
    ):
        return [data]
    if hasattr(data, "as_numpy_iterator"):  # tf.data.Dataset
        data = data.take(steps) if steps is not None else data
        return data.as_numpy_iterator()
    return itertools.islice(data, steps)
