"""PyTorch backend: backend info, tensor conversion, variables, layers as `nn.Module`s,
symbolic shapes, core ops."""

import builtins

import numpy as np
import torch
import torch.utils._pytree as _pytree

from unikeras.backend import dtypes
from unikeras.backend.config import floatx
from unikeras.backend.hookspec import hookimpl
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.backend.stateless_scope import StatelessScope
from unikeras.backend.symbolic_scope import SymbolicScope
from unikeras.backend.variable import Variable as BaseVariable
from unikeras.utils import tree

try:  # NumPy has bfloat16 only through ml_dtypes
    import ml_dtypes

    _NP_BFLOAT16 = np.dtype(ml_dtypes.bfloat16)
except ImportError:  # pragma: no cover
    _NP_BFLOAT16 = None

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
    dtype = getattr(x, "dtype", None)
    if dtype is not None:
        return dtype
    if isinstance(x, (list, tuple)):  # nested lists are not weak: they convert first
        return convert_to_tensor(x).dtype
    return type(x)


def _default_dtype(x):
    """The dtype `convert_to_tensor` gives a value without one (Python scalars, lists)."""
    if isinstance(x, (list, tuple)):
        leaves = tree.flatten(x)
        if not leaves:
            return to_torch_dtype(floatx())
        return to_torch_dtype(dtypes.result_type(*[_leaf_dtype(v) for v in leaves]))
    if isinstance(x, _SCALARS):
        return to_torch_dtype(dtypes.result_type(type(x)))
    return None


def _leaf_dtype(leaf):
    dtype = getattr(leaf, "dtype", None)
    return dtype if dtype is not None else type(leaf)


def _from_numpy(array, dtype):
    array = np.asarray(array)
    if _NP_BFLOAT16 is not None and array.dtype == _NP_BFLOAT16:
        tensor = torch.from_numpy(np.ascontiguousarray(array).view(np.uint16)).view(
            torch.bfloat16)
    elif array.dtype == object:
        raise TypeError("convert_to_tensor: the torch backend has no string/object tensors.")
    else:
        if not (array.flags.c_contiguous and array.flags.writeable):
            array = array.copy()
        tensor = torch.from_numpy(array)
    tensor = tensor.to(DEVICE)
    return tensor if dtype is None or tensor.dtype == dtype else tensor.to(dtype)


@hookimpl
def backend_info():
    return {
        "name": "torch",
        "version": torch.__version__,
        "engine": "torch",
        "training": True,
        "jit": True,
        "dtypes": [d for d in dtypes.ALLOWED_DTYPES if d != "string"],
        "notes": f"device: {DEVICE}; runs eagerly, jit_compile=True uses torch.compile",
    }


@hookimpl
def convert_to_tensor(x, dtype=None, sparse=None):
    if isinstance(x, BaseVariable):
        x = x.value
    if dtype is not None:
        dtype = to_torch_dtype(dtype)
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
        if dtype is not None and leaves and builtins.all(isinstance(v, _SCALARS)
                                                         for v in leaves):
            return torch.tensor(x, dtype=dtype, device=DEVICE)
    if isinstance(x, _SCALARS):
        return torch.tensor(x, dtype=dtype, device=DEVICE)
    return _from_numpy(x, dtype)


@hookimpl
def convert_to_numpy(x):
    if isinstance(x, BaseVariable):
        x = x.value
    if not isinstance(x, _TENSOR):
        return np.asarray(x)
    is_parameter = isinstance(x, torch.nn.Parameter)
    x = x.detach()
    if x.device.type != "cpu":
        x = x.cpu()
    if x.dtype == torch.bfloat16:
        if _NP_BFLOAT16 is not None:
            return x.view(torch.uint16).numpy().view(_NP_BFLOAT16) if x.dim() else \
                np.asarray(x.float().numpy()).astype(_NP_BFLOAT16)
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


# --------------------------------------------------------------------------------------------
# Variables and layers
# --------------------------------------------------------------------------------------------


class TorchVariable(BaseVariable):
    """A Variable holding a `torch.nn.Parameter` (gradients only for trainable float ones)."""

    def _initialize(self, value):
        value = convert_to_tensor(value, dtype=self._dtype).detach().clone()
        self._value = torch.nn.Parameter(value, requires_grad=self._wants_grad(value))

    def _wants_grad(self, value):
        return self.trainable and (value.is_floating_point() or value.is_complex())

    def _direct_assign(self, value):
        value = convert_to_tensor(value, dtype=self._dtype)
        with torch.no_grad():
            self._value.copy_(value)

    @property
    def value(self):
        return self._value

    @property
    def trainable(self):
        return self.__dict__.get("_trainable", True)

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        if "_value" in self.__dict__:
            self._value.requires_grad_(self._wants_grad(self._value))


@hookimpl
def variable_class():
    return TorchVariable


def _parameter_key(name, taken):
    base = name.replace(".", "_") or "variable"
    key, i = base, 1
    while key in taken:
        key, i = f"{base}_{i}", i + 1
    return key


class TorchLayer(torch.nn.Module):
    """The mixin that makes every unikeras `Layer` a `torch.nn.Module`.

    The layer's own variables appear in `_parameters` (their `nn.Parameter`s) and its
    sublayers in `_modules`, filled in whenever torch walks the module (`parameters()`,
    `state_dict()`, `.to()`, `children()`...), since unikeras creates them lazily in `build`.
    """

    def __init__(self, *args, **kwargs):
        if "_modules" not in self.__dict__:  # may already have run from __setattr__
            torch.nn.Module.__init__(self)

    def __setattr__(self, name, value):
        if "_modules" not in self.__dict__:  # an attribute set before Layer.__init__
            torch.nn.Module.__init__(self)
        # A name torch registered earlier may be rebound to a plain value (or a Variable).
        if not isinstance(value, torch.nn.Parameter):
            self.__dict__["_parameters"].pop(name, None)
        if not isinstance(value, torch.nn.Module):
            self.__dict__["_modules"].pop(name, None)
        torch.nn.Module.__setattr__(self, name, value)

    def _sync_torch_state(self):
        """Registers the unikeras variables and sublayers with torch."""
        if "_tracked" not in self.__dict__:  # Layer.__init__ has not run yet
            return
        params = self.__dict__["_parameters"]
        known = {id(p) for p in params.values() if p is not None}
        for variable in self._own_weights():
            if id(variable.value) not in known:
                params[_parameter_key(variable.name, params)] = variable.value
                known.add(id(variable.value))
        modules = self.__dict__["_modules"]
        # A sublayer already reachable through a registered child (the graph a Sequential
        # model keeps, say) is not registered twice, so `state_dict()` lists it once.
        reachable = {id(d) for m in list(modules.values()) if m is not None for d in m.modules()}
        for layer in self._sublayers():
            if id(layer) not in reachable:
                modules[_parameter_key(layer.name, modules)] = layer
                reachable.update(id(d) for d in layer.modules())

    def named_modules(self, *args, **kwargs):
        self._sync_torch_state()
        return torch.nn.Module.named_modules(self, *args, **kwargs)

    def named_children(self):
        self._sync_torch_state()
        return torch.nn.Module.named_children(self)

    def named_parameters(self, *args, **kwargs):
        self._sync_torch_state()
        return torch.nn.Module.named_parameters(self, *args, **kwargs)

    def state_dict(self, *args, **kwargs):
        self._sync_torch_state()
        return torch.nn.Module.state_dict(self, *args, **kwargs)

    def _apply(self, *args, **kwargs):
        self._sync_torch_state()
        return torch.nn.Module._apply(self, *args, **kwargs)

    def forward(self, *args, **kwargs):
        """`nn.Module.forward`: the layer's `__call__` (so torch hooks see the same call)."""
        return self.call(*args, **kwargs)


@hookimpl
def layer_mixin():
    return TorchLayer


@hookimpl
def trainer_mixin():
    from unikeras_torch.trainer import TorchTrainer  # imports unikeras.utils: load it lazily

    return TorchTrainer


# --------------------------------------------------------------------------------------------
# Symbolic execution: meta tensors (no memory, no compute), real zeros as a fallback
# --------------------------------------------------------------------------------------------

_PROBE_SIZES = (83, 89)  # two unlikely sizes stand in for unknown dimensions


def _concrete(structure, size, device):
    def make(leaf):
        if isinstance(leaf, KerasTensor):
            shape = tuple(size if d is None else d for d in leaf.shape)
            return torch.zeros(shape, dtype=to_torch_dtype(leaf.dtype), device=device)
        return leaf

    return tree.map_structure(make, structure)


def _spec_of(leaf):
    if isinstance(leaf, _TENSOR):
        return KerasTensor(tuple(leaf.shape), dtype=dtype_name(leaf.dtype))
    if isinstance(leaf, (np.ndarray, np.generic)):
        return KerasTensor(leaf.shape, dtype=dtypes.standardize_dtype(leaf.dtype))
    if isinstance(leaf, (bool, int, float)):
        return KerasTensor((), dtype=dtypes.result_type(type(leaf)))
    return leaf


_META = torch.device("meta")

try:  # the factory functions torch's own `with torch.device(...)` redirects
    from torch.utils._device import _device_constructors

    _FACTORIES = frozenset(_device_constructors())
except ImportError:  # pragma: no cover - a torch without it: only explicit `device=` moves
    _FACTORIES = frozenset()


def _as_meta(x):
    if isinstance(x, _TENSOR):
        return x if x.is_meta else x.to(_META)
    if isinstance(x, torch.device):
        return _META
    return x


def _as_meta_device(x):
    """A positional `.to(...)` argument naming a device, made meta."""
    if isinstance(x, str) and not x.startswith(("float", "int", "uint", "bool", "complex")):
        try:
            torch.device(x)
        except RuntimeError:
            return x
        return _META
    return _as_meta(x)


class _MetaMode(torch.overrides.TorchFunctionMode):
    """Symbolic shape inference on the meta device: every tensor an op meets (a layer's
    weights, a constant converted from NumPy) and every tensor a factory creates is a meta
    tensor, with a shape and a dtype but no memory, so nothing is computed. Data-dependent
    code (`.item()`, `.numpy()`, Python branches on values) raises, and the caller retries
    on real zeros."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = dict(kwargs) if kwargs else {}
        if func in _FACTORIES or kwargs.get("device") is not None:
            kwargs["device"] = _META
            kwargs.pop("generator", None)  # a CPU/GPU generator cannot draw meta tensors
        if func is _TENSOR.to:
            args = tuple(_as_meta_device(a) for a in args)
        elif func in (_TENSOR.cpu, _TENSOR.cuda):
            return _as_meta(args[0])
        else:
            args = _pytree.tree_map(_as_meta, args)
        kwargs = _pytree.tree_map(_as_meta, kwargs)
        return func(*args, **kwargs)


def _run(fn, args, kwargs, size, device):
    with torch.no_grad():
        if device == "meta":
            with _MetaMode():
                return fn(*_concrete(args, size, device), **_concrete(kwargs, size, device))
        return fn(*_concrete(args, size, device), **_concrete(kwargs, size, device))


def _probe(fn, args, kwargs, size):
    """Runs `fn` on meta tensors; ops meta cannot run (data-dependent, or mixed with real
    tensors such as layer weights) run again on real zeros."""
    try:
        # A scope of its own, so values assigned on meta are dropped if it fails.
        with StatelessScope():
            return _run(fn, args, kwargs, size, "meta")
    except Exception:  # noqa: BLE001 - any failure on meta is retried on real zeros
        return _run(fn, args, kwargs, size, DEVICE)


@hookimpl
def compute_output_spec(fn, args, kwargs):
    # Stateless (variables created inside get real values afterwards, assignments are
    # captured, not applied) and symbolic, as in Keras.
    with StatelessScope(), SymbolicScope():
        return _compute_output_spec(fn, args, kwargs)


def _compute_output_spec(fn, args, kwargs):
    has_unknown = builtins.any(
        isinstance(leaf, KerasTensor) and None in leaf.shape
        for leaf in tree.flatten((args, kwargs))
    )
    first = _probe(fn, args, kwargs, _PROBE_SIZES[0])
    if not has_unknown:
        return tree.map_structure(_spec_of, first)
    second = _probe(fn, args, kwargs, _PROBE_SIZES[1])

    def merge(a, b):
        spec = _spec_of(a)
        if isinstance(spec, KerasTensor):
            shape = tuple(None if da != db else da for da, db in zip(spec.shape, b.shape))
            spec = KerasTensor(shape, dtype=spec.dtype)
        return spec

    return tree.map_structure(merge, first, second)


# --------------------------------------------------------------------------------------------
# Core ops
# --------------------------------------------------------------------------------------------


@hookimpl
def cast(x, dtype):
    return convert_to_tensor(x, dtype=dtype)


def _index_key(key):
    """Tensors inside an index become torch index tensors (ints as int64)."""
    if isinstance(key, tuple):
        return tuple(_index_key(k) for k in key)
    if isinstance(key, (np.ndarray, _TENSOR, list)):
        key = convert_to_tensor(key)
        if key.dtype in NARROW_UNSIGNED or (not key.is_floating_point() and
                                            key.dtype not in (torch.bool, torch.int64)):
            key = key.to(torch.int64)
        return key
    if isinstance(key, np.integer):
        return int(key)
    return key


@hookimpl
def get_item(x, key):
    x = convert_to_tensor(x)
    if isinstance(key, tuple):
        step_negative = [isinstance(k, builtins.slice) and k.step is not None and k.step < 0
                         for k in key]
    else:
        step_negative = [isinstance(key, builtins.slice) and key.step is not None
                         and key.step < 0]
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


@hookimpl
def shape(x):
    return tuple(convert_to_tensor(x).shape)


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
    if len(starts) != inputs.dim() or len(sizes) != inputs.dim():
        raise ValueError(
            f"slice: `start_indices` and `shape` need one entry per axis of the input "
            f"(rank {inputs.dim()}). Received: start_indices={starts}, shape={list(sizes)}"
        )
    starts = [builtins.min(builtins.max(s, 0), builtins.max(d - n, 0))
              for s, d, n in zip(starts, inputs.shape, sizes)]
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
    strides = torch.tensor([int(np.prod(out.shape[i + 1:depth], dtype=np.int64))
                            for i in range(depth)], dtype=torch.int64, device=out.device)
    rows = (indices * strides).sum(-1)
    updates = convert_to_tensor(updates).to(flat.dtype).reshape(
        (rows.shape[0],) + tuple(out.shape[depth:]))
    if reduction is None:
        flat = flat.index_put((rows,), updates)
    elif reduction in _REDUCTIONS:
        expanded = rows.reshape((-1,) + (1,) * (flat.dim() - 1)).expand_as(updates)
        flat = flat.scatter_reduce(0, expanded, updates, _REDUCTIONS[reduction],
                                   include_self=True)
    else:
        raise ValueError(
            f"scatter_update: `reduction` must be one of None, {sorted(_REDUCTIONS)}. "
            f"Received: reduction={reduction!r}"
        )
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


@hookimpl
def switch(index, branches, *operands):
    index = builtins.min(builtins.max(int(convert_to_tensor(index)), 0), len(branches) - 1)
    return branches[index](*operands)


@hookimpl
def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_sequence = isinstance(loop_vars, (tuple, list))
    state = tuple(loop_vars) if is_sequence else (loop_vars,)
    count = 0
    while (maximum_iterations is None or count < maximum_iterations) and bool(cond(*state)):
        state = body(*state)
        state = tuple(state) if isinstance(state, (tuple, list)) else (state,)
        count += 1
    if not is_sequence:
        return state[0]
    return type(loop_vars)(state) if isinstance(loop_vars, list) else state


@hookimpl
def fori_loop(lower, upper, body_fun, init_val):
    value = init_val
    for i in range(int(lower), int(upper)):
        value = body_fun(i, value)
    return value


def _leading_size(structure):
    leaves = [leaf for leaf in tree.flatten(structure) if leaf is not None]
    return int(leaves[0].shape[0]) if leaves else 0


def _row(structure, i):
    return tree.map_structure(lambda a: None if a is None else convert_to_tensor(a)[i], structure)


def _stack(results):
    """Stacks a non-empty list of equally structured results along a new leading axis."""
    return tree.map_structure(
        lambda *leaves: torch.stack([convert_to_tensor(v) for v in leaves]), *results)


def _tensors(structure):
    return tree.map_structure(lambda a: None if a is None else convert_to_tensor(a), structure)


@hookimpl
def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    if xs is None and length is None:
        raise ValueError("scan: `length` is required when `xs` is None.")
    xs = None if xs is None else _tensors(xs)
    n = int(length) if length is not None else _leading_size(xs)
    if xs is not None and length is not None and _leading_size(xs) != n:
        raise ValueError(
            f"scan: `length` ({n}) must match the leading dimension of `xs` "
            f"({_leading_size(xs)})."
        )
    carry, ys = _tensors(init), [None] * n
    for i in (reversed(range(n)) if reverse else range(n)):
        carry, ys[i] = f(carry, None if xs is None else _row(xs, i))
    if n == 0 or builtins.all(y is None for y in tree.flatten(ys[0])):
        return carry, None
    return carry, _stack(ys)


@hookimpl
def associative_scan(f, elems, reverse=False, axis=0):
    leaves = [convert_to_tensor(leaf) for leaf in tree.flatten(elems)]
    if reverse:
        leaves = [torch.flip(leaf, (axis,)) for leaf in leaves]
    n = leaves[0].shape[axis] if leaves else 0
    steps = [[leaf.narrow(axis % leaf.dim(), i, 1) for leaf in leaves] for i in range(n)]
    for i in range(1, n):
        combined = f(tree.pack_sequence_as(elems, steps[i - 1]),
                     tree.pack_sequence_as(elems, steps[i]))
        steps[i] = [convert_to_tensor(v) for v in tree.flatten(combined)]
    out = [torch.cat(parts, dim=axis) for parts in zip(*steps)] if n else leaves
    if reverse:
        out = [torch.flip(leaf, (axis,)) for leaf in out]
    return tree.pack_sequence_as(elems, out)


@hookimpl
def map(f, xs):
    xs = _tensors(xs)
    n = _leading_size(xs)
    if n == 0:
        raise ValueError("map: `xs` has no entries along axis 0 to map over.")
    return _stack([f(_row(xs, i)) for i in range(n)])


@hookimpl
def vectorized_map(function, elements):
    return map(function, elements)


@hookimpl
def unstack(x, num=None, axis=0):
    x = convert_to_tensor(x)
    if num is not None and num != x.shape[axis]:
        raise ValueError(
            f"unstack: `num` ({num}) must equal the size of axis {axis} ({x.shape[axis]})."
        )
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
    """`keras.device` on torch: tensors converted by this module (`DEVICE`) and those torch's
    factory functions create inside go to the device."""

    def __init__(self, device):
        self.device = device
        self._previous = None

    def __enter__(self):
        global DEVICE
        self._previous, DEVICE = DEVICE, self.device
        self.device.__enter__()
        return self.device

    def __exit__(self, *exc_info):
        global DEVICE
        self.device.__exit__(*exc_info)
        DEVICE = self._previous


@hookimpl
def clear_session():
    import torch._dynamo

    torch._dynamo.reset()


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
