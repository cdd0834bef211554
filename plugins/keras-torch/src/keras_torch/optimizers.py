"""Fused optimizer updates (optional hooks): one `torch._foreach` kernel per formula term
for all variables, instead of a dozen dispatched ops per variable."""

import torch

from unikeras.backend import hookimpl

from keras_torch.core import convert_to_tensor


def _raw(variables):
    return [v._value for v in variables]


@hookimpl
def adam_update(variables, gradients, momentums, velocities, velocity_hats, learning_rate,
                iterations, beta_1, beta_2, epsilon):
    params = _raw(variables)
    dtype, device = params[0].dtype, params[0].device
    if not dtype.is_floating_point or any(p.dtype != dtype or p.device != device
                                          for p in params):
        return None
    grads = [convert_to_tensor(g).to(dtype) for g in gradients]
    m, v = _raw(momentums), _raw(velocities)
    with torch.no_grad():
        t = iterations._value.to(dtype) + 1
        alpha = convert_to_tensor(learning_rate).to(dtype) * \
            torch.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
        torch._foreach_lerp_(m, grads, 1 - beta_1)
        torch._foreach_lerp_(v, torch._foreach_mul(grads, grads), 1 - beta_2)
        if velocity_hats is not None:
            v_hat = _raw(velocity_hats)
            torch._foreach_maximum_(v_hat, v)
            v = v_hat
        denominators = torch._foreach_sqrt(v)
        torch._foreach_add_(denominators, epsilon)
        steps = torch._foreach_div(m, denominators)
        torch._foreach_mul_(steps, alpha)
        torch._foreach_sub_(params, steps)
    return True
