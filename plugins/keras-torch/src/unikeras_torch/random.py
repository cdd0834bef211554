"""PyTorch backend: the hooks behind `unikeras.random`.

Each call seeds a fresh `torch.Generator` from the two uint32 words of the seed, so a seed
always gives the same numbers (on a given device).
"""

import torch

from unikeras.backend.api import hookimpl
from unikeras_torch.convert import DEVICE, convert_to_tensor, to_torch_dtype


def generator(seed):
    """Returns a `torch.Generator` seeded from a `(2,)` uint32 seed tensor."""
    seed = convert_to_tensor(seed)
    if seed.is_meta:  # symbolic shape inference: the values drawn do not matter
        return torch.Generator(device=DEVICE)
    words = [int(w) for w in seed.reshape(-1).to(torch.int64).tolist()]
    value = 0
    for word in words:
        value = _mix((value << 32) | (word & 0xFFFFFFFF))
    rng = torch.Generator(device=DEVICE)
    rng.manual_seed(value % (2**63))
    return rng


_MASK64 = (1 << 64) - 1


def _mix(value):
    """SplitMix64 finaliser: every bit of both seed words reaches the low 32 bits, which
    are all the CPU generator (a Mersenne Twister) uses."""
    value = (value + 0x9E3779B97F4A7C15) & _MASK64
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK64
    return value ^ (value >> 31)


def _param(value):
    """A distribution parameter as a float64 tensor."""
    return convert_to_tensor(value, "float64")


def _normal(shape, rng):
    return torch.randn(tuple(shape), generator=rng, dtype=torch.float64, device=DEVICE)


@hookimpl
def random_normal(shape, mean, stddev, dtype, seed):
    values = _normal(shape, generator(seed))
    return (values * _param(stddev) + _param(mean)).to(to_torch_dtype(dtype))


@hookimpl
def random_uniform(shape, minval, maxval, dtype, seed):
    low, high = _param(minval), _param(maxval)
    values = torch.rand(tuple(shape), generator=generator(seed), dtype=torch.float64, device=DEVICE)
    out = (low + values * (high - low)).to(to_torch_dtype(dtype))
    # Rounding to a narrow dtype can land on `maxval`; the interval is half-open.
    return torch.where(out >= high.to(out.dtype), low.to(out.dtype), out)


@hookimpl
def random_randint(shape, minval, maxval, dtype, seed):
    low = int(convert_to_tensor(minval))
    high = int(convert_to_tensor(maxval))
    values = torch.randint(
        low, high, tuple(shape), generator=generator(seed), dtype=torch.int64, device=DEVICE
    )
    return values.to(to_torch_dtype(dtype))


@hookimpl
def random_truncated_normal(shape, mean, stddev, dtype, seed):
    rng = generator(seed)
    values = _normal(shape, rng)
    outside = torch.abs(values) > 2.0
    while bool(outside.any()):
        values = torch.where(outside, _normal(shape, rng), values)
        outside = torch.abs(values) > 2.0
    return (values * _param(stddev) + _param(mean)).to(to_torch_dtype(dtype))


@hookimpl
def random_dropout(inputs, rate, noise_shape, seed):
    inputs = convert_to_tensor(inputs)
    keep_prob = 1.0 - float(rate)
    noise = torch.rand(tuple(noise_shape), generator=generator(seed), device=DEVICE)
    keep = noise < keep_prob
    return torch.where(
        keep, inputs / keep_prob, torch.zeros((), dtype=inputs.dtype, device=inputs.device)
    )


@hookimpl
def random_shuffle(x, axis, seed):
    x = convert_to_tensor(x)
    order = torch.randperm(x.shape[axis], generator=generator(seed), device=DEVICE)
    return torch.index_select(x, axis, order)


def _gamma(alpha, shape, rng):
    """Gamma(alpha, 1) samples by Marsaglia and Tsang's method (alpha < 1 boosted)."""
    alpha = torch.broadcast_to(alpha, tuple(shape))
    boost = alpha < 1
    a = torch.where(boost, alpha + 1, alpha)
    d = a - 1.0 / 3.0
    c = 1.0 / torch.sqrt(9.0 * d)
    out = torch.zeros(tuple(shape), dtype=torch.float64, device=DEVICE)
    pending = torch.ones(tuple(shape), dtype=torch.bool, device=DEVICE)
    while bool(pending.any()):
        z = _normal(shape, rng)
        u = torch.rand(tuple(shape), generator=rng, dtype=torch.float64, device=DEVICE)
        v = (1 + c * z) ** 3
        accept = (v > 0) & (
            torch.log(u) < 0.5 * z * z + d - d * v + d * torch.log(torch.clamp(v, min=1e-300))
        )
        out = torch.where(pending & accept, d * v, out)
        pending = pending & ~accept
    u = torch.rand(tuple(shape), generator=rng, dtype=torch.float64, device=DEVICE)
    return torch.where(boost, out * u ** (1.0 / torch.clamp(alpha, min=1e-300)), out)


@hookimpl
def random_gamma(shape, alpha, dtype, seed):
    return _gamma(_param(alpha), shape, generator(seed)).to(to_torch_dtype(dtype))


@hookimpl
def random_binomial(shape, counts, probabilities, dtype, seed):
    counts = torch.broadcast_to(_param(counts), tuple(shape))
    probs = torch.broadcast_to(_param(probabilities), tuple(shape))
    values = torch.binomial(counts, probs, generator=generator(seed))
    return values.to(to_torch_dtype(dtype))


@hookimpl
def random_beta(shape, alpha, beta, dtype, seed):
    rng = generator(seed)
    a = _gamma(_param(alpha), shape, rng)
    b = _gamma(_param(beta), shape, rng)
    return (a / (a + b)).to(to_torch_dtype(dtype))


@hookimpl
def random_categorical(logits, num_samples, dtype, seed):
    logits = convert_to_tensor(logits).to(torch.float64)
    # Gumbel-max: argmax(logits + Gumbel noise) is a draw from softmax(logits).
    u = torch.rand(
        (num_samples,) + tuple(logits.shape),
        generator=generator(seed),
        dtype=torch.float64,
        device=DEVICE,
    )
    noise = -torch.log(-torch.log(torch.clamp(u, min=1e-300)))
    samples = torch.argmax(logits[None] + noise, dim=-1)
    return torch.movedim(samples, 0, -1).to(to_torch_dtype(dtype))
