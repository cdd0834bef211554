"""OpenVINO backend: tensor conversion (hooks `convert_to_tensor`, `convert_to_numpy`,
`is_tensor`, `standardize_native_dtype`)."""

import numpy as np

from unikeras.backend.api import Variable as BaseVariable, dtypes, floatx, hookimpl, tree
from unikeras.backend.common import conversion

from unikeras_openvino.graph import OpenVINOTensor, dtype_of, graph_op, host_array, node, ov_type


@graph_op
def to_dtype(x, dtype):
    """`x` cast to `dtype` (the op `cast`)."""
    return node(x, dtypes.standardize_dtype(dtype))


def _default_dtype(x):
    """The dtype `convert_to_tensor` gives a value without one (Python scalars, lists)."""
    if isinstance(x, (list, tuple)):
        leaves = tree.flatten(x)
        return dtypes.result_type(*[dtype_of(v) for v in leaves]) if leaves else floatx()
    if isinstance(x, (bool, int, float)):
        return dtypes.result_type(type(x))
    return None


@hookimpl
def convert_to_tensor(x, dtype=None, sparse=None):
    if isinstance(x, BaseVariable):
        x = x.value
    if isinstance(x, OpenVINOTensor):
        if dtype is None or dtypes.standardize_dtype(dtype) == x.dtype:
            return x
        return to_dtype(x, dtype)
    if isinstance(x, str):
        raise TypeError("convert_to_tensor: the openvino backend has no string tensors.")
    if isinstance(x, (list, tuple)) and any(
        isinstance(v, (OpenVINOTensor, BaseVariable)) for v in tree.flatten(x)
    ):
        if any(
            getattr(v, "is_symbolic", False) or isinstance(v, BaseVariable) for v in tree.flatten(x)
        ):
            return _stack_values(x, dtype or _default_dtype(x))
        x = tree.map_structure(lambda v: host_array(v) if isinstance(v, OpenVINOTensor) else v, x)
    if dtype is None:
        dtype = _default_dtype(x)
    return OpenVINOTensor(data=host_array(x, dtype))


@graph_op
def _stack_values(x, dtype):
    return node(x, dtype)


@hookimpl
def convert_to_numpy(x):
    x = conversion.unwrap(x)
    if isinstance(x, OpenVINOTensor):
        return x.data
    return np.asarray(x)


@hookimpl
def is_tensor(x):
    return isinstance(x, OpenVINOTensor)


@hookimpl
def standardize_native_dtype(dtype):
    return ov_type(dtype)
