"""OpenVINO backend: backend info, tensor conversion, variables, symbolic shapes, core ops."""

import builtins

import numpy as np
import openvino as ov
import openvino.opset14 as ov_ops

from unikeras.backend import dtypes
from unikeras.backend.config import floatx
from unikeras.backend.hookspec import hookimpl
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.backend.variable import Variable as BaseVariable
from unikeras.utils import tree

from keras_openvino import config
from keras_openvino.graph import (STATE, SUPPORTED_DTYPES, OpenVINOTensor, const, dtype_of,
                                  graph_op, host_array, node, ov_type, partial_shape)

PRECISION_NAMES = {"f32": "float32", "bf16": "bfloat16", "f16": "float16"}


@hookimpl
def backend_info():
    return {
        "name": "openvino",
        "version": ov.__version__,
        "engine": "openvino",
        "training": False,
        "jit": True,
        "dtypes": list(SUPPORTED_DTYPES),
        "precision": PRECISION_NAMES[config.precision()],
        "device": config.device(),
        "notes": (
            f"inference only; compiled models run on {config.device()} with "
            f"INFERENCE_PRECISION_HINT={config.precision()} "
            "(set UNIKERAS_OPENVINO_PRECISION=f32|bf16|f16, UNIKERAS_OPENVINO_DEVICE)"
        ),
    }


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
        return cast(x, dtype)
    if isinstance(x, str):
        raise TypeError("convert_to_tensor: the openvino backend has no string tensors.")
    if isinstance(x, (list, tuple)) and any(isinstance(v, (OpenVINOTensor, BaseVariable))
                                            for v in tree.flatten(x)):
        if any(getattr(v, "is_symbolic", False) or isinstance(v, BaseVariable)
               for v in tree.flatten(x)):
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
    if isinstance(x, BaseVariable):
        x = x.value
    if isinstance(x, OpenVINOTensor):
        return x.data
    return np.asarray(x)


@hookimpl
def is_tensor(x):
    return isinstance(x, OpenVINOTensor)


@hookimpl
def standardize_native_dtype(dtype):
    return ov_type(dtype)


class OpenVINOVariable(BaseVariable):
    """A Variable holding a host array; inside a traced model call it reads as a graph
    Parameter, so compiled models take the current weights as inputs on every run."""

    def _initialize(self, value):
        self._value = OpenVINOTensor(data=np.array(host_array(value), copy=True))

    def _direct_assign(self, value):
        self._value = OpenVINOTensor(data=np.array(host_array(value), copy=True))

    @property
    def value(self):
        if STATE.variables is not None:
            return OpenVINOTensor(output=node(self))
        return self._value


@hookimpl
def variable_class():
    return OpenVINOVariable


@hookimpl
def layer_mixin():
    return object


@hookimpl
def trainer_mixin():
    from keras_openvino.trainer import OpenVINOTrainer  # imports unikeras.utils: load lazily

    return OpenVINOTrainer


# --------------------------------------------------------------------------------------------
# Symbolic shape inference: a graph on Parameters with dynamic dimensions, else zeros
# --------------------------------------------------------------------------------------------

_PROBE_SIZES = (83, 89)  # two unlikely sizes stand in for unknown dimensions


def _spec_of(leaf):
    if isinstance(leaf, OpenVINOTensor):
        return KerasTensor(leaf.shape, dtype=leaf.dtype)
    if isinstance(leaf, (np.ndarray, np.generic)):
        return KerasTensor(leaf.shape, dtype=dtypes.standardize_dtype(leaf.dtype))
    if isinstance(leaf, (bool, int, float)):
        return KerasTensor((), dtype=dtypes.result_type(type(leaf)))
    return leaf


def _traced(fn, args, kwargs):
    def make(leaf):
        if isinstance(leaf, KerasTensor):
            shape = ov.PartialShape([-1 if d is None else d for d in leaf.shape])
            return OpenVINOTensor(output=ov_ops.parameter(shape, ov_type(leaf.dtype)).output(0))
        return leaf

    a, k = tree.map_structure(make, (args, kwargs))
    return tree.map_structure(_spec_of, fn(*a, **k))


def _on_zeros(fn, args, kwargs, size):
    def make(leaf):
        if isinstance(leaf, KerasTensor):
            shape = tuple(size if d is None else d for d in leaf.shape)
            return OpenVINOTensor(data=np.zeros(shape, np.dtype(leaf.dtype)))
        return leaf

    a, k = tree.map_structure(make, (args, kwargs))
    return fn(*a, **k)


@hookimpl
def compute_output_spec(fn, args, kwargs):
    try:
        return _traced(fn, args, kwargs)
    except Exception:  # the function needs values (or concrete shapes): run it on zeros
        pass
    has_unknown = any(isinstance(leaf, KerasTensor) and None in leaf.shape
                      for leaf in tree.flatten((args, kwargs)))
    first = _on_zeros(fn, args, kwargs, _PROBE_SIZES[0])
    if not has_unknown:
        return tree.map_structure(_spec_of, first)
    second = _on_zeros(fn, args, kwargs, _PROBE_SIZES[1])

    def merge(a, b):
        spec = _spec_of(a)
        if isinstance(spec, KerasTensor):
            shape = tuple(None if da != db else da for da, db in zip(spec.shape, np.shape(b)))
            spec = KerasTensor(shape, dtype=spec.dtype)
        return spec

    return tree.map_structure(merge, first, second)


# --------------------------------------------------------------------------------------------
# Core ops
# --------------------------------------------------------------------------------------------


@hookimpl
@graph_op
def cast(x, dtype):
    return node(x, dtypes.standardize_dtype(dtype))


@hookimpl
def shape(x):
    if isinstance(x, (OpenVINOTensor, BaseVariable)):
        return tuple(x.shape)
    return tuple(np.shape(x))


def int_const(values):
    """An int64 Constant (for axes, shapes, indices)."""
    return const(np.asarray(values, dtype=np.int64))


@hookimpl
@graph_op
def get_item(x, key):
    x = node(x)
    key = key if isinstance(key, tuple) else (key,)
    if len(key) == 1 and _is_index_array(key[0]):
        return _gather_rows(x, key[0])
    if not key:
        return x
    parts = [_key_part(k) for k in key]
    begin, end, stride, begin_mask, end_mask, new_axis, shrink, ellipsis = zip(*parts)
    return ov_ops.strided_slice(x, int_const(begin), int_const(end), int_const(stride),
                                list(begin_mask), list(end_mask), list(new_axis),
                                list(shrink), list(ellipsis))


def _key_part(k):
    """(begin, end, stride, begin_mask, end_mask, new_axis, shrink, ellipsis) of one entry."""
    if k is None:
        return 0, 0, 1, 0, 0, 1, 0, 0
    if k is Ellipsis:
        return 0, 0, 1, 0, 0, 0, 0, 1
    if isinstance(k, builtins.slice):
        step = 1 if k.step is None else _int(k.step)
        return (_bound(k.start), _bound(k.stop), step, int(k.start is None),
                int(k.stop is None), 0, 0, 0)
    index = _int(k)
    return index, index + 1, 1, 0, int(index == -1), 0, 1, 0


def _is_index_array(k):
    if isinstance(k, (list, np.ndarray, OpenVINOTensor, BaseVariable, ov.Output)):
        return True
    return False


def _gather_rows(x, index):
    index = node(index)
    if index.get_element_type() == ov.Type.boolean:
        raise NotImplementedError(
            "`get_item` with a boolean mask is not implemented by the unikeras backend "
            "'openvino' (its output shape depends on the values)."
        )
    return ov_ops.gather(x, index, int_const(0))


def _int(value):
    return int(host_array(value)) if not isinstance(value, int) else value


def _bound(value):
    return 0 if value is None else _int(value)


@hookimpl
@graph_op
def stop_gradient(variable):
    return node(variable)


@hookimpl
def unstack(x, num=None, axis=0):
    x = convert_to_tensor(x)
    size = x.shape[axis]
    if num is not None and num != size:
        raise ValueError(
            f"unstack: `num` ({num}) must equal the size of axis {axis} ({size})."
        )
    index = (builtins.slice(None),) * (axis % x.ndim)
    return [get_item(x, index + (i,)) for i in range(size)]


@hookimpl
def cond(pred, true_fn, false_fn):
    if isinstance(pred, OpenVINOTensor) and pred.is_symbolic:
        raise NotImplementedError(
            "`cond` on a value computed inside a compiled model is not implemented by the "
            "unikeras backend 'openvino'."
        )
    return true_fn() if bool(convert_to_numpy(pred)) else false_fn()


@hookimpl
@graph_op
def slice(inputs, start_indices, shape):
    x = node(inputs)
    starts = np.asarray(host_array(start_indices)).reshape(-1).astype(np.int64)
    sizes = np.asarray(shape, np.int64)
    dims = np.asarray(partial_shape(x), np.int64)
    starts = np.clip(starts, 0, np.maximum(dims - sizes, 0))
    return ov_ops.slice(x, int_const(starts), int_const(starts + sizes), int_const(
        np.ones_like(starts)))

