"""PyTorch backend: dtypes, the device new tensors go to, and tensor conversion (hooks
`convert_to_tensor`, `convert_to_numpy`, `is_tensor`, `standardize_native_dtype`)."""

import builtins

import numpy as np
import torch

from unikeras.backend.api import Variable as BaseVariable, dtypes, hookimpl, tree
from unikeras.backend.common import conversion

#: Where new tensors are created: the first GPU when there is one.
DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")

_TENSOR = torch.Tensor
_SCALARS = (bool, int, float, complex)
_TORCH_DTYPES = {}
_NAMES = {}

#: Dtypes most torch kernels lack (only copies, views and a few ops exist): ops compute in
#: int64 and cast back.
NARROW_UNSIGNED = (torch.uint16, torch.uint32, torch.uint64)


def to_torch_dtype(dtype):
    """Returns the torch dtype for a unikeras dtype name (or any dtype object)."""
    if isinstance(dtype, torch.dtype):
        return dtype
    found = _TORCH_DTYPES.get(dtype)
    if found is None:
        name = dtypes.standardize_dtype(dtype)
        if name == "string":
            raise ValueError("The torch backend has no string tensors.")
        found = getattr(torch, name)
        try:
            _TORCH_DTYPES[dtype] = found
        except TypeError:  # unhashable dtype object
            pass
    return found


def dtype_name(dtype):
    """The unikeras name of a torch dtype (cached)."""
    name = _NAMES.get(dtype)
    if name is None:
        name = _NAMES[dtype] = dtypes.standardize_dtype(dtype)
    return name


def dtype_of(x):
    """The dtype to promote with: tensors give theirs, Python scalars stay weak types."""
    dtype = getattr(x, "dtype", None)  # the common case, without a further call
    return dtype if dtype is not None else conversion.promotion_dtype(x, convert_to_tensor)


def _default_dtype(x):
    """The dtype `convert_to_tensor` gives a value without one (Python scalars, lists)."""
    name = conversion.default_dtype(x)
    return None if name is None else to_torch_dtype(name)


_ON_CPU = DEVICE.type == "cpu"
#: NumPy dtype kinds `torch.from_numpy` takes as they are (bool, ints, floats, complex).
_PLAIN_KINDS = frozenset("biufc")


def _from_numpy(array, dtype):
    if (
        array.__class__ is np.ndarray
        and _ON_CPU
        and array.dtype.kind in _PLAIN_KINDS
        and array.flags.c_contiguous
        and array.flags.writeable
    ):  # the common batch: shared with the tensor, no copy, no device move
        try:
            tensor = torch.from_numpy(array)
        except TypeError:  # a dtype torch lacks (e.g. float128)
            pass
        else:
            return tensor if dtype is None or tensor.dtype is dtype else tensor.to(dtype)
    array = np.asarray(array)
    if array.dtype.name == "bfloat16" and array.dtype == conversion.bfloat16_dtype():
        tensor = torch.from_numpy(np.ascontiguousarray(array).view(np.uint16)).view(torch.bfloat16)
    elif array.dtype == object:
        raise TypeError("convert_to_tensor: the torch backend has no string/object tensors.")
    else:
        if not (array.flags.c_contiguous and array.flags.writeable):
            array = array.copy()
        tensor = torch.from_numpy(array)
    tensor = tensor.to(DEVICE)
    return tensor if dtype is None or tensor.dtype == dtype else tensor.to(dtype)


@hookimpl
def convert_to_tensor(x, dtype=None, sparse=None):
    if dtype is None and isinstance(x, _TENSOR):  # the most common call first
        return x
    if dtype is not None:
        dtype = to_torch_dtype(dtype)
    if isinstance(x, BaseVariable):
        x = x.value
    if isinstance(x, _TENSOR):
        return x if dtype is None or x.dtype == dtype else x.to(dtype)
    if dtype is None:
        dtype = _default_dtype(x)
    if isinstance(x, str):
        raise TypeError("convert_to_tensor: the torch backend has no string tensors.")
    if isinstance(x, (list, tuple)):
        leaves = tree.flatten(x)
        if builtins.any(isinstance(v, (_TENSOR, BaseVariable)) for v in leaves):
            if not x:
                return torch.zeros((0,), dtype=dtype, device=DEVICE)
            return torch.stack([convert_to_tensor(v, dtype) for v in x])
        if dtype is not None and leaves and builtins.all(isinstance(v, _SCALARS) for v in leaves):
            return _constant(x, dtype)
    if isinstance(x, _SCALARS):
        return _constant(x, dtype)
    return _from_numpy(x, dtype)


_VIA_INT64 = (torch.uint16, torch.uint32)


def _constant(x, dtype):
    """A tensor of Python scalars. Under `torch.compile` a uint16/uint32 one is made in int64
    and cast: Inductor cannot generate code for a uint16/uint32 constant (a seed, the
    `SeedGenerator` increment), but can for the cast."""
    if dtype in _VIA_INT64 and torch.compiler.is_compiling():
        return torch.tensor(x, dtype=torch.int64, device=DEVICE).to(dtype)
    return torch.tensor(x, dtype=dtype, device=DEVICE)


@hookimpl
def convert_to_numpy(x):
    if _ON_CPU and x.__class__ is _TENSOR and not x.requires_grad:
        # The common call (a model's output): a CPU tensor without grad, conj or neg bits
        # and of a NumPy dtype converts directly; `numpy()` raises for the others.
        try:
            return x.numpy()
        except (RuntimeError, TypeError):
            pass
    x = conversion.unwrap(x)
    if not isinstance(x, _TENSOR):
        return np.asarray(x)
    is_parameter = isinstance(x, torch.nn.Parameter)
    x = x.detach()
    if x.__class__ is not torch.Tensor and hasattr(x, "full_tensor"):
        # A DTensor (a `ModelParallel` variable's shards): all-gathered, a collective that
        # every rank runs (`get_weights`, saving).
        x, is_parameter = x.full_tensor(), False
    if x.device.type != "cpu":
        x = x.cpu()
    if x.dtype == torch.bfloat16:
        bfloat16 = conversion.bfloat16_dtype()
        if bfloat16 is not None:
            return (
                x.view(torch.uint16).numpy().view(bfloat16)
                if x.dim()
                else np.asarray(x.float().numpy()).astype(bfloat16)
            )
        return x.float().numpy()
    out = x.resolve_conj().resolve_neg().numpy()
    # A variable's Parameter is updated in place later: give the caller its own copy.
    return out.copy() if is_parameter else out


@hookimpl
def is_tensor(x):
    return isinstance(x, _TENSOR)


@hookimpl
def standardize_native_dtype(dtype):
    return to_torch_dtype(dtype)
