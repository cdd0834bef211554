"""PyTorch backend: symbolic shape inference (hook `compute_output_spec`) on meta tensors
(no memory, no compute), real zeros as a fallback; unknown dimensions are probed at two
sizes (`unikeras.backend.common.shape_probe`)."""

import torch
import torch.utils._pytree as _pytree

from unikeras.backend.common import shape_probe
from unikeras.backend.api import StatelessScope, hookimpl
from unikeras_torch import convert
from unikeras_torch.convert import to_torch_dtype

_TENSOR = torch.Tensor
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


def _on(device, size):
    def make(spec):
        shape = shape_probe.probe_shape(spec, size)
        return torch.zeros(shape, dtype=to_torch_dtype(spec.dtype), device=device)

    return make


def _run(fn, args, kwargs, size):
    """Runs `fn` on meta tensors; ops meta cannot run (data-dependent, or mixed with real
    tensors such as layer weights) run again on real zeros."""
    with torch.no_grad():
        try:
            # A scope of its own, so values assigned on meta are dropped if it fails.
            with StatelessScope(), _MetaMode():
                return shape_probe.call_on_concrete(fn, args, kwargs, _on("meta", size))
        except Exception:  # noqa: BLE001 - any failure on meta is retried on real zeros
            return shape_probe.call_on_concrete(fn, args, kwargs, _on(convert.DEVICE, size))


@hookimpl
def compute_output_spec(fn, args, kwargs):
    return shape_probe.output_spec(fn, args, kwargs, _run)
