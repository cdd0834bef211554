"""PyTorch backend: the hooks behind `unikeras.random`.

Run eagerly, each call seeds a fresh `torch.Generator` from the two uint32 words of the seed,
so a seed always gives the same numbers (on a given device).

Under `torch.compile` (a `jit_compile=True` step) a generator would be a graph break: its seed
has to be read on the host. There the uniform, normal, truncated normal, randint, dropout,
shuffle, categorical, gamma, beta and binomial draws compute their bits from the seed tensor
itself, as a counter-based generator: bit word `i` of a draw is an integer hash of `i` keyed
by the two seed words (`_bits`), all tensor ops Dynamo traces. The seed tensor comes from the
`SeedGenerator` state the step advances, so every run of a compiled step draws new numbers,
and the same seed gives the same numbers at every compiled run (not the eager numbers).
The rejection samplers (gamma, and beta from two gammas; binomial) draw a fixed number of
candidates per value and keep the first accepted one, so the graph has no data-dependent
loop; the chance that every candidate of a value is rejected is below 1e-10 (the value then
falls back to the distribution's mode).
"""

import math

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


_M32 = 0xFFFFFFFF


def _mul32(x, constant):
    """`x * constant mod 2**32` for int64 tensors of 32-bit words, without int64 overflow
    (the constant is applied in two 16-bit halves)."""
    low = x * (constant & 0xFFFF)
    high = ((x * (constant >> 16)) & 0xFFFF) << 16
    return (low + high) & _M32


def _hash32(x):
    """A 32-bit integer hash with full avalanche (xor-shift-multiply rounds) on int64
    tensors of 32-bit words."""
    x = x ^ (x >> 16)
    x = _mul32(x, 0x7FEB352D)
    x = x ^ (x >> 15)
    x = _mul32(x, 0x846CA68B)
    return x ^ (x >> 16)


def _bits(seed, count, stream=0):
    """`count` pseudo-random 32-bit words (an int64 tensor) of a `(2,)` seed tensor, from
    tensor ops only (traceable by `torch.compile`, no host read of the seed). `stream`
    gives independent words for the same seed."""
    words = seed.reshape(-1).to(device=DEVICE, dtype=torch.int64) & _M32
    key0 = _hash32(words[0] ^ ((0x9E3779B9 * (stream + 1)) & _M32))
    key1 = _hash32(words[1] ^ key0)
    index = torch.arange(count, dtype=torch.int64, device=DEVICE)
    x = _hash32((index & _M32) ^ key0)
    return _hash32(x ^ key1 ^ (index >> 32))


def _traced_uniform(shape, seed, dtype=torch.float32, stream=0):
    """Uniform floats in `[0, 1)` of `shape` from `_bits` (24 random bits for float32 and
    narrower floats, 53 for float64)."""
    count = math.prod(shape)
    if dtype == torch.float64:
        high = (_bits(seed, count, 2 * stream) >> 5).to(torch.float64)
        low = (_bits(seed, count, 2 * stream + 1) >> 6).to(torch.float64)
        values = (high * 67108864.0 + low) * (1.0 / 9007199254740992.0)
    else:
        values = (_bits(seed, count, stream) >> 8).to(torch.float32) * (1.0 / 16777216.0)
    return values.reshape(tuple(shape))


def _traced_normal(shape, seed, stream=0):
    """Standard normal float64 values of `shape` (Box-Muller on two `_traced_uniform`s:
    uniform streams `2 * stream` and `2 * stream + 1`)."""
    u1 = _traced_uniform(shape, seed, torch.float64, stream=2 * stream)
    u2 = _traced_uniform(shape, seed, torch.float64, stream=2 * stream + 1)
    radius = torch.sqrt(-2.0 * torch.log1p(-u1))  # 1 - u1 is in (0, 1]: no log(0)
    return radius * torch.cos((2.0 * math.pi) * u2)


def _compiling():
    """Whether Dynamo is tracing the current call (a `torch.compile`d step)."""
    return torch.compiler.is_compiling()


def _param(value):
    """A distribution parameter as a float64 tensor."""
    return convert_to_tensor(value, "float64")


def _normal(shape, rng):
    return torch.randn(tuple(shape), generator=rng, dtype=torch.float64, device=DEVICE)


@hookimpl
def random_normal(shape, mean, stddev, dtype, seed):
    if _compiling():
        values = _traced_normal(shape, convert_to_tensor(seed))
    else:
        values = _normal(shape, generator(seed))
    return (values * _param(stddev) + _param(mean)).to(to_torch_dtype(dtype))


@hookimpl
def random_uniform(shape, minval, maxval, dtype, seed):
    low, high = _param(minval), _param(maxval)
    if _compiling():
        values = _traced_uniform(shape, convert_to_tensor(seed), torch.float64)
    else:
        values = torch.rand(
            tuple(shape), generator=generator(seed), dtype=torch.float64, device=DEVICE
        )
    out = (low + values * (high - low)).to(to_torch_dtype(dtype))
    # Rounding to a narrow dtype can land on `maxval`; the interval is half-open.
    return torch.where(out >= high.to(out.dtype), low.to(out.dtype), out)


@hookimpl
def random_randint(shape, minval, maxval, dtype, seed):
    if _compiling():  # floor of a 53-bit uniform scaled to the range
        low = convert_to_tensor(minval).to(torch.int64)
        span = (convert_to_tensor(maxval).to(torch.int64) - low).to(torch.float64)
        u = _traced_uniform(shape, convert_to_tensor(seed), torch.float64)
        values = low + torch.floor(u * span).to(torch.int64)
        return values.to(to_torch_dtype(dtype))
    low = int(convert_to_tensor(minval))
    high = int(convert_to_tensor(maxval))
    values = torch.randint(
        low, high, tuple(shape), generator=generator(seed), dtype=torch.int64, device=DEVICE
    )
    return values.to(to_torch_dtype(dtype))


@hookimpl
def random_truncated_normal(shape, mean, stddev, dtype, seed):
    if _compiling():  # inverse CDF on [cdf(-2), cdf(2)]: no data-dependent resampling loop
        u = _traced_uniform(shape, convert_to_tensor(seed), torch.float64)
        edge = math.erf(-2.0 / math.sqrt(2.0))
        values = math.sqrt(2.0) * torch.erfinv(edge + u * (-2.0 * edge))
        values = torch.clamp(values, -2.0, 2.0)
        return (values * _param(stddev) + _param(mean)).to(to_torch_dtype(dtype))
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
    if _compiling():
        noise = _traced_uniform(noise_shape, convert_to_tensor(seed))
    else:
        noise = torch.rand(tuple(noise_shape), generator=generator(seed), device=DEVICE)
    keep = noise < keep_prob
    return torch.where(
        keep, inputs / keep_prob, torch.zeros((), dtype=inputs.dtype, device=inputs.device)
    )


@hookimpl
def random_shuffle(x, axis, seed):
    x = convert_to_tensor(x)
    if _compiling():  # the order that sorts one random word per position
        order = torch.argsort(_bits(convert_to_tensor(seed), x.shape[axis]), stable=True)
        return torch.index_select(x, axis, order)
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


#: Candidates per value of the traced rejection samplers: Marsaglia-Tsang accepts at least
#: 95% of its candidates (alpha >= 1 after the boost), BTRS (used where n p >= 10) about 70%
#: near n p = 10 and more above (measured), so all rejected has probability below 0.05**8 and
#: 0.3**20 (about 4e-11 and 3e-11).
_GAMMA_ROUNDS = 8
_BINOMIAL_ROUNDS = 20
#: Largest value the traced binomial inversion (mean below 10) considers: P(X > 63) < 1e-20.
_INVERSION_TERMS = 64


def _first_accepted(candidates, accept, fallback):
    """The first candidate (axis 0) that `accept`s, else `fallback`."""
    first = torch.argmax(accept.to(torch.int8), dim=0, keepdim=True)
    chosen = torch.gather(candidates, 0, first)[0]
    return torch.where(accept.any(dim=0), chosen, fallback)


def _traced_gamma(alpha, shape, seed, stream=0):
    """Gamma(alpha, 1) samples from `_bits` under `torch.compile`: Marsaglia and Tsang's
    method with `_GAMMA_ROUNDS` candidates per value drawn at once (uniform streams
    `stream` to `stream + 3`), the first accepted one kept; alpha < 1 boosted."""
    shape = tuple(shape)
    alpha = torch.broadcast_to(alpha, shape)
    boost = alpha < 1
    a = torch.where(boost, alpha + 1, alpha)
    d = a - 1.0 / 3.0
    c = 1.0 / torch.sqrt(9.0 * d)
    rounds = (_GAMMA_ROUNDS, *shape)
    z = _traced_normal(rounds, seed, stream=stream // 2)
    u = _traced_uniform(rounds, seed, torch.float64, stream=stream + 2)
    v = (1 + c * z) ** 3
    accept = (v > 0) & (
        torch.log1p(-u) < 0.5 * z * z + d - d * v + d * torch.log(torch.clamp(v, min=1e-300))
    )
    out = _first_accepted(d * v, accept, d)
    u = 1.0 - _traced_uniform(shape, seed, torch.float64, stream=stream + 3)  # in (0, 1]
    return torch.where(boost, out * u ** (1.0 / torch.clamp(alpha, min=1e-300)), out)


def _log_choose_pmf(k, n, log_p, log_q):
    """log of the binomial pmf's `k`-dependent part plus its constant: log C(n, k) p^k
    q^(n - k) (with `torch.xlogy`-style zeros for p or q = 0 given as log 0 = -inf)."""
    terms = torch.lgamma(n + 1) - torch.lgamma(k + 1) - torch.lgamma(n - k + 1)
    return terms + torch.where(k > 0, k * log_p, 0.0) + torch.where(n - k > 0, (n - k) * log_q, 0.0)


def _traced_binomial(n, p, shape, seed):
    """Binomial(n, p) samples from `_bits` under `torch.compile`, for p <= 0.5: inversion
    over the first `_INVERSION_TERMS` values where n p < 10, else Hormann's BTRS (transformed
    rejection) with `_BINOMIAL_ROUNDS` candidates per value, the first accepted one kept."""
    q = 1.0 - p
    log_p, log_q = torch.log(p), torch.log1p(-p)
    # Inversion: the number of CDF values below one uniform.
    k = torch.arange(_INVERSION_TERMS, dtype=torch.float64, device=DEVICE)
    k = k.reshape((-1,) + (1,) * len(shape))
    pmf = torch.exp(_log_choose_pmf(k, n, log_p, log_q))
    pmf = torch.where(k <= n, pmf, 0.0)
    u = _traced_uniform(shape, seed, torch.float64, stream=0)
    inverted = torch.minimum((torch.cumsum(pmf, dim=0) <= u).sum(0).to(torch.float64), n)
    # BTRS (W. Hormann, 1993): acceptance tested against the exact pmf ratio f(k) / f(mode).
    spq = torch.sqrt(n * p * q)
    b = 1.15 + 2.53 * spq
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = n * p + 0.5
    v_r = 0.92 - 4.2 / b
    alpha = (2.83 + 5.1 / b) * spq
    mode = torch.floor((n + 1) * p)
    rounds = (_BINOMIAL_ROUNDS, *shape)
    u = _traced_uniform(rounds, seed, torch.float64, stream=1) - 0.5
    v = _traced_uniform(rounds, seed, torch.float64, stream=2)
    us = 0.5 - torch.abs(u)
    candidates = torch.floor((2 * a / torch.clamp(us, min=1e-300) + b) * u + c)
    inside = (candidates >= 0) & (candidates <= n)
    quick = (us >= 0.07) & (v <= v_r)
    log_v = torch.log(torch.clamp(v, min=1e-300) * alpha / (a / (us * us) + b))
    safe = torch.clamp(candidates, min=0.0)
    safe = torch.minimum(safe, n)
    log_ratio = _log_choose_pmf(safe, n, log_p, log_q) - _log_choose_pmf(mode, n, log_p, log_q)
    accept = inside & (quick | (log_v <= log_ratio))
    rejected = _first_accepted(candidates, accept, mode)
    return torch.where(n * p < 10, inverted, rejected)


@hookimpl
def random_gamma(shape, alpha, dtype, seed):
    if _compiling():
        values = _traced_gamma(_param(alpha), shape, convert_to_tensor(seed))
    else:
        values = _gamma(_param(alpha), shape, generator(seed))
    return values.to(to_torch_dtype(dtype))


@hookimpl
def random_binomial(shape, counts, probabilities, dtype, seed):
    counts = torch.broadcast_to(_param(counts), tuple(shape))
    probs = torch.broadcast_to(_param(probabilities), tuple(shape))
    if _compiling():  # p <= 0.5 by symmetry: X(n, p) = n - X(n, 1 - p)
        flip = probs > 0.5
        values = _traced_binomial(
            counts, torch.where(flip, 1.0 - probs, probs), tuple(shape), convert_to_tensor(seed)
        )
        values = torch.where(flip, counts - values, values)
    else:
        values = torch.binomial(counts, probs, generator=generator(seed))
    return values.to(to_torch_dtype(dtype))


@hookimpl
def random_beta(shape, alpha, beta, dtype, seed):
    if _compiling():  # the two gammas on separate uniform streams
        seed = convert_to_tensor(seed)
        a = _traced_gamma(_param(alpha), shape, seed, stream=0)
        b = _traced_gamma(_param(beta), shape, seed, stream=4)
    else:
        rng = generator(seed)
        a = _gamma(_param(alpha), shape, rng)
        b = _gamma(_param(beta), shape, rng)
    return (a / (a + b)).to(to_torch_dtype(dtype))


@hookimpl
def random_categorical(logits, num_samples, dtype, seed):
    logits = convert_to_tensor(logits).to(torch.float64)
    # Gumbel-max: argmax(logits + Gumbel noise) is a draw from softmax(logits).
    shape = (num_samples,) + tuple(logits.shape)
    if _compiling():
        u = _traced_uniform(shape, convert_to_tensor(seed), torch.float64)
    else:
        u = torch.rand(shape, generator=generator(seed), dtype=torch.float64, device=DEVICE)
    noise = -torch.log(-torch.log(torch.clamp(u, min=1e-300)))
    samples = torch.argmax(logits[None] + noise, dim=-1)
    return torch.movedim(samples, 0, -1).to(to_torch_dtype(dtype))
