"""PyTorch backend: backend info and the core ops (casting, indexing, scatter, control flow,
custom gradients, devices, rematerialization).


The package's other hook modules are the standard ones (`registry.PLUGIN_MODULE_NAMES`).
"""

import builtins

import numpy as np
import torch

from unikeras.backend.common import eager_loops
from unikeras.backend.api import dtypes, hookimpl, tree
from unikeras_torch import convert
from unikeras_torch.convert import (
    NARROW_UNSIGNED,
    convert_to_numpy,
    convert_to_tensor,
    to_torch_dtype,
)

_TENSOR = torch.Tensor


@hookimpl
def backend_info():
    return {
        "name": "torch",
        "version": torch.__version__,
        "engine": "torch",
        "training": True,
        "jit": True,
        # Eager unless asked: on CPU torch.compile took 55-120 s to compile the fit workloads
        # (benchmarks/fit_speed.py), repaid only after hundreds of epochs on the MLP (0.71x
        # eager per epoch) and CNN (0.82x), never on the LSTM (1.6x); see the README.
        "jit_compile_auto": False,
        "dtypes": [d for d in dtypes.ALLOWED_DTYPES if d != "string"],
        "notes": f"device: {convert.DEVICE}; runs eagerly, jit_compile=True uses torch.compile",
    }


def _index_key(key):
    """Tensors inside an index become torch index tensors (ints as int64)."""
    if isinstance(key, tuple):
        return tuple(_index_key(k) for k in key)
    if isinstance(key, (np.ndarray, _TENSOR, list)):
        key = convert_to_tensor(key)
        if key.dtype in NARROW_UNSIGNED or (
            not key.is_floating_point() and key.dtype not in (torch.bool, torch.int64)
        ):
            key = key.to(torch.int64)
        return key
    if isinstance(key, np.integer):
        return int(key)
    return key


@hookimpl
def get_item(x, key):
    x = convert_to_tensor(x)
    if isinstance(key, tuple):
        step_negative = [
            isinstance(k, builtins.slice) and k.step is not None and k.step < 0 for k in key
        ]
    else:
        step_negative = [isinstance(key, builtins.slice) and key.step is not None and key.step < 0]
    if builtins.any(step_negative):
        return _negative_step_item(x, key if isinstance(key, tuple) else (key,))
    return x[_index_key(key)]


def _negative_step_item(x, key):
    """torch slices only step forwards: flip the axes a negative step walks backwards."""
    result_key, flips, axis = [], [], 0
    for k in key:
        if k is Ellipsis:
            skip = x.dim() - builtins.sum(1 for j in key if j is not None and j is not Ellipsis)
            result_key.append(k)
            axis += skip
            continue
        if k is None:
            result_key.append(k)
            continue
        if isinstance(k, builtins.slice) and k.step is not None and k.step < 0:
            start, stop, step = k.indices(x.shape[axis])
            count = builtins.max(0, (stop - start + (step + 1)) // step)
            # The selected indices, counted from the end after flipping the axis.
            first = x.shape[axis] - 1 - start
            result_key.append(builtins.slice(first, first + count * -step, -step))
            flips.append(axis)
        else:
            result_key.append(_index_key(k))
        axis += 1
    if flips:
        x = torch.flip(x, flips)
    return x[tuple(result_key)]


def dtype_limits(dtype):
    """Returns the (lowest, highest) value representable in torch `dtype`."""
    if dtype == torch.bool:
        return 0, 1
    if dtype.is_floating_point:
        info = torch.finfo(dtype)
    else:
        info = torch.iinfo(dtype)
    return info.min, info.max


@hookimpl
def saturate_cast(x, dtype):
    x = convert_to_tensor(x)
    target = to_torch_dtype(dtype)
    (in_lo, in_hi), (out_lo, out_hi) = dtype_limits(x.dtype), dtype_limits(target)
    compute = torch.int64 if x.dtype in NARROW_UNSIGNED else x.dtype
    work = x.to(compute)
    # The bounds are rounded into the input dtype, which can push them just outside the
    # target's range (float32(2**32 - 1) == 2**32): step them back towards zero then.
    lo = torch.tensor(builtins.max(in_lo, out_lo), device=x.device).to(compute)
    if lo.item() < out_lo:
        lo = torch.nextafter(lo, torch.zeros((), dtype=compute, device=x.device))
    hi = torch.tensor(builtins.min(in_hi, out_hi), device=x.device).to(compute)
    if hi.item() > out_hi:
        hi = torch.nextafter(hi, torch.zeros((), dtype=compute, device=x.device))
    if x.dtype == torch.bool:
        return work.to(target)
    return torch.clamp(work, lo, hi).to(target)


def _block(inputs, start_indices, sizes):
    """The index of the block of `sizes` at `start_indices`, clamped to lie inside `inputs`."""
    if isinstance(start_indices, _TENSOR):
        starts = [int(s) for s in start_indices.reshape(-1).tolist()]
    else:
        starts = [int(s) for s in np.asarray(convert_to_numpy(start_indices)).reshape(-1)]
    starts = [
        builtins.min(builtins.max(s, 0), builtins.max(d - n, 0))
        for s, d, n in zip(starts, inputs.shape, sizes)
    ]
    return tuple(builtins.slice(s, s + int(n)) for s, n in zip(starts, sizes))


@hookimpl
def slice(inputs, start_indices, shape):
    inputs = convert_to_tensor(inputs)
    return inputs[_block(inputs, start_indices, tuple(shape))].clone()


@hookimpl
def slice_update(inputs, start_indices, updates):
    inputs, updates = convert_to_tensor(inputs), convert_to_tensor(updates)
    out = inputs.clone()
    out[_block(inputs, start_indices, tuple(updates.shape))] = updates.to(inputs.dtype)
    return out


_REDUCTIONS = {"add": "sum", "mul": "prod", "max": "amax", "min": "amin"}


def _scatter_into(out, indices, updates, reduction):
    indices = convert_to_tensor(indices).to(torch.int64)
    indices = indices.reshape(-1, indices.shape[-1])
    depth = indices.shape[-1]
    wide = out.dtype in NARROW_UNSIGNED
    flat = (out.to(torch.int64) if wide else out).reshape((-1,) + tuple(out.shape[depth:]))
    strides = torch.tensor(
        [int(np.prod(out.shape[i + 1 : depth], dtype=np.int64)) for i in range(depth)],
        dtype=torch.int64,
        device=out.device,
    )
    rows = (indices * strides).sum(-1)
    updates = (
        convert_to_tensor(updates)
        .to(flat.dtype)
        .reshape((rows.shape[0],) + tuple(out.shape[depth:]))
    )
    if reduction is None:
        flat = flat.index_put((rows,), updates)
    else:
        expanded = rows.reshape((-1,) + (1,) * (flat.dim() - 1)).expand_as(updates)
        flat = flat.scatter_reduce(0, expanded, updates, _REDUCTIONS[reduction], include_self=True)
    return flat.reshape(out.shape).to(out.dtype)


@hookimpl
def scatter(indices, values, shape):
    values = convert_to_tensor(values)
    out = torch.zeros(tuple(shape), dtype=values.dtype, device=values.device)
    return _scatter_into(out, indices, values, "add")


@hookimpl
def scatter_update(inputs, indices, updates, reduction=None):
    return _scatter_into(convert_to_tensor(inputs), indices, updates, reduction)


@hookimpl
def stop_gradient(variable):
    return convert_to_tensor(variable).detach()


@hookimpl
def cond(pred, true_fn, false_fn):
    return true_fn() if bool(convert_to_tensor(pred)) else false_fn()


def _tensors(structure):
    return tree.map_structure(lambda a: None if a is None else convert_to_tensor(a), structure)


@hookimpl
def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    xs = None if xs is None else _tensors(xs)
    return eager_loops.scan(f, _tensors(init), xs, length, reverse, convert_to_tensor, torch.stack)


@hookimpl
def associative_scan(f, elems, reverse=False, axis=0):
    leaves = [convert_to_tensor(leaf) for leaf in tree.flatten(elems)]
    if reverse:
        leaves = [torch.flip(leaf, (axis,)) for leaf in leaves]
    n = leaves[0].shape[axis] if leaves else 0
    steps = [[leaf.narrow(axis % leaf.dim(), i, 1) for leaf in leaves] for i in range(n)]
    for i in range(1, n):
        combined = f(
            tree.pack_sequence_as(elems, steps[i - 1]), tree.pack_sequence_as(elems, steps[i])
        )
        steps[i] = [convert_to_tensor(v) for v in tree.flatten(combined)]
    out = [torch.cat(parts, dim=axis) for parts in zip(*steps)] if n else leaves
    if reverse:
        out = [torch.flip(leaf, (axis,)) for leaf in out]
    return tree.pack_sequence_as(elems, out)


@hookimpl
def map(f, xs):
    return eager_loops.map(f, _tensors(xs), convert_to_tensor, torch.stack)


@hookimpl
def vectorized_map(function, elements):
    return map(function, elements)


@hookimpl
def unstack(x, num=None, axis=0):
    x = convert_to_tensor(x)
    eager_loops.check_unstack_num(num, x.shape[axis], axis)
    return list(torch.unbind(x, dim=axis))


@hookimpl
def custom_gradient(f):
    class _Function(torch.autograd.Function):
        @staticmethod
        def forward(ctx, *args):
            output, grad_fn = f(*args)
            ctx.grad_fn = grad_fn
            return output

        @staticmethod
        def backward(ctx, *upstream):
            grads = ctx.grad_fn(*upstream)
            return grads if isinstance(grads, tuple) else (grads,)

    def call(*args):
        return _Function.apply(*[convert_to_tensor(a) for a in args])

    return call


# --------------------------------------------------------------------------------------------
# Devices and rematerialization (`keras.device`, `keras.remat`)
# --------------------------------------------------------------------------------------------


class _DeviceScope:
    """`keras.device` on torch: tensors converted by this plugin (`convert.DEVICE`) and those
    torch's factory functions create inside go to the device."""

    def __init__(self, device):
        self.device = device
        self._previous = None

    def __enter__(self):
        self._previous, convert.DEVICE = convert.DEVICE, self.device
        self.device.__enter__()
        return self.device

    def __exit__(self, *exc_info):
        self.device.__exit__(*exc_info)
        convert.DEVICE = self._previous


@hookimpl
def clear_session():
    import torch._dynamo

    torch._dynamo.reset()


@hookimpl
def seed_engine(seed):
    torch.manual_seed(seed)


@hookimpl
def device_scope(device_name):
    kind, _, index = device_name.partition(":")
    kind = "cuda" if kind == "gpu" else kind
    return _DeviceScope(torch.device("cpu" if kind == "cpu" else f"{kind}:{index or 0}"))


@hookimpl
def remat(f):
    import torch.utils.checkpoint

    def rematerialized(*args, **kwargs):
        return torch.utils.checkpoint.checkpoint(f, *args, use_reentrant=False, **kwargs)

    return rematerialized
