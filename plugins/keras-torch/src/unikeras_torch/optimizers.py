"""Fused optimizer updates (optional hooks): one `torch._foreach` kernel per formula term
for all variables, instead of a dozen dispatched ops per variable."""

import math

import torch

from unikeras.backend.api import hookimpl

from unikeras_torch.convert import convert_to_tensor
from unikeras_torch.distribution import SHARDED


@hookimpl
def host_bool(x):
    """Reads a scalar boolean tensor on the host, except under `torch.compile` (it would
    break the graph) and for tensor subclasses used while tracing (fake or functional
    tensors, DTensor), where it returns `None`."""
    if torch.compiler.is_compiling():
        return None
    if isinstance(x, torch.Tensor) and type(x) is not torch.Tensor:
        return None
    return bool(x)


@hookimpl
def all_finite(tensors):
    """One sum per tensor (float32 or wider accumulation), read on the host: a sum is
    finite when every element is, unless the sum overflows, so a non-finite sum is checked
    again element by element (`isfinite` itself measured ten times slower than `sum` on
    the CPU). Under `torch.compile` the element-wise check alone (fused there)."""
    tensors = [convert_to_tensor(t) for t in tensors]
    if not tensors or any(not t.dtype.is_floating_point for t in tensors):
        return None
    if torch.compiler.is_compiling() or any(type(t) is not torch.Tensor for t in tensors):
        return _all_finite_elementwise(tensors)
    sums = torch.stack([t.sum(dtype=torch.promote_types(t.dtype, torch.float32)) for t in tensors])
    if bool(torch.isfinite(sums).all()):
        return torch.tensor(True, device=sums.device)
    return _all_finite_elementwise(tensors)


def _all_finite_elementwise(tensors):
    return torch.stack([torch.isfinite(t).all() for t in tensors]).all()


def _raw(variables):
    return [v._value for v in variables]


@hookimpl
def adam_update(
    variables,
    gradients,
    momentums,
    velocities,
    velocity_hats,
    learning_rate,
    iterations,
    beta_1,
    beta_2,
    epsilon,
):
    params = _raw(variables)
    dtype, device = params[0].dtype, params[0].device
    if not dtype.is_floating_point or any(p.dtype != dtype or p.device != device for p in params):
        return None
    if SHARDED[0] and any(getattr(v, "_sharded", False) for v in variables):
        return None  # DTensor storage (`ModelParallel`): the core's per-variable update
    grads = [convert_to_tensor(g).to(dtype) for g in gradients]
    m, v = _raw(momentums), _raw(velocities)
    with torch.no_grad():
        torch._foreach_lerp_(m, grads, 1 - beta_1)
        torch._foreach_mul_(v, beta_2)
        torch._foreach_addcmul_(v, grads, grads, 1 - beta_2)
        if velocity_hats is not None:
            v_hat = _raw(velocity_hats)
            torch._foreach_maximum_(v_hat, v)
            v, velocities = v_hat, velocity_hats
        # Under torch.compile the step size stays a tensor: reading it on the host would
        # break the graph.
        host = device.type == "cpu" and not torch.compiler.is_compiling()
        apply = _cpu_apply if host else _device_apply
        apply(params, m, v, velocities, learning_rate, iterations, beta_1, beta_2, epsilon)
    return True


def _device_apply(
    params, m, v, velocity_variables, learning_rate, iterations, beta_1, beta_2, epsilon
):
    """`params -= alpha * m / (sqrt(v) + epsilon)` with `alpha` kept on the device (reading
    it on the host would synchronize with the accelerator every step)."""
    del velocity_variables
    dtype = params[0].dtype
    t = iterations._value.to(dtype) + 1
    alpha = convert_to_tensor(learning_rate).to(dtype) * torch.sqrt(1 - beta_2**t) / (1 - beta_1**t)
    denominators = torch._foreach_sqrt(v)
    torch._foreach_add_(denominators, epsilon)
    torch._foreach_mul_(denominators, torch.reciprocal(alpha))
    torch._foreach_addcdiv_(params, m, denominators, -1.0)


def _cpu_apply(
    params, m, v, velocity_variables, learning_rate, iterations, beta_1, beta_2, epsilon
):
    """`params -= alpha * m / (sqrt(v) + epsilon)` with the step size computed on the host
    (reading a CPU scalar costs nothing) and the denominators written into a buffer kept on
    each velocity variable: a fresh buffer per weight and step measured three times slower
    than the square root itself."""
    t = float(iterations._value) + 1
    alpha = float(convert_to_tensor(learning_rate)) * math.sqrt(1 - beta_2**t) / (1 - beta_1**t)
    for p, mi, vi, variable in zip(params, m, v, velocity_variables):
        scratch = getattr(variable, "_torch_denominator", None)
        if scratch is None or scratch.shape != vi.shape:
            scratch = variable._torch_denominator = torch.empty_like(vi)
        torch.sqrt(vi, out=scratch)
        p.addcdiv_(mi, scratch.add_(epsilon), value=-alpha)
