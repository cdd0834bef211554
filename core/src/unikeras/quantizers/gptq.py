"""GPTQ post-training quantization of `Dense` layers (`model.quantize("gptq", config=
GPTQConfig(dataset, ...))`), calibrated on the config's dataset.

Layer by layer, in call order, GPTQ records each `Dense` layer's inputs `X` on the
calibration data (with the layers before it already quantized), forms `H = 2 X^T X / n`
(damped by `hessian_damping` times its mean diagonal), and quantizes the kernel one input
row at a time, spreading each row's rounding error over the rows not yet quantized through
the Cholesky factor of `H^-1`. The result is stored in Keras 3's GPTQ layout (a
`GPTQDTypePolicy` `"gptq/<weight_bits>/<group_size>"`: unsigned values with per-unit,
per-group scales and zero points), so the saved file loads in Keras 3 and back.
"""

import math

import numpy as np

from unikeras import ops

EPSILON = 1e-7


def _keras_params(block, maxq, symmetric, per_channel=True):
    """Keras 3's GPTQ scale and zero point of each row of `block` `(units, k)` (unsigned
    values in `[0, maxq]`); with `per_channel=False` one scale and zero point for the whole
    block, repeated for every row (Keras 3.15.1's per-tensor parameters). Computed in
    float32, as Keras does, so that ties round alike."""
    block = np.asarray(block, "float32")
    if per_channel:
        lo, hi = block.min(axis=1), block.max(axis=1)
    else:
        lo = np.full(block.shape[0], block.min())
        hi = np.full(block.shape[0], block.max())
    if symmetric:
        top = np.maximum(np.abs(lo), hi)
        lo, hi = np.where(lo < 0, -top, lo), top
    flat = lo == hi
    lo, hi = np.where(flat, lo - 1, lo), np.where(flat, hi + 1, hi)
    scale = (hi - lo) / np.float32(maxq)
    scale = np.where(scale <= 0, np.float32(1e-8), scale)
    if symmetric:
        zero = np.full_like(scale, (maxq + 1) // 2)
    else:
        zero = np.clip(np.round(-lo / scale), 0, maxq)
    return scale, zero


def gptq_quantize(
    kernel,
    inputs,
    *,
    weight_bits=4,
    group_size=128,
    symmetric=False,
    activation_order=False,
    damping=0.01,
    per_channel=True,
):
    """GPTQ of a `(input_dim, units)` kernel in Keras 3's GPTQ layout.

    The input rows are quantized one at a time (in decreasing Hessian-diagonal order with
    `activation_order`), each row's rounding error spread over the rows not yet quantized
    through the upper Cholesky factor of `H^-1` (`H = 2 X^T X / n`, damped by `damping`
    times its mean diagonal). Scales and zero points are Keras' (unsigned values in
    `[0, 2**weight_bits - 1]`, per output unit and group of `group_size` rows; with
    `per_channel=False`, as in Keras 3.15.1, one scale and zero point per group of rows,
    or for the whole kernel with `group_size=-1`, stored repeated for every unit, so the
    layout, the dtype policy and the layer's computation are unchanged).

    Args:
        kernel: The float kernel `(input_dim, units)`.
        inputs: Calibration inputs of the layer, `(n, input_dim)`.
        weight_bits: Bits per weight (2, 3, 4 or 8).
        group_size: Rows per group, or -1 for one group.
        symmetric: Zero point fixed at the middle of the range.
        activation_order: Quantize rows in decreasing Hessian-diagonal order.
        damping: Fraction of the mean Hessian diagonal added to it.
        per_channel: Scales per output unit (`True`) or shared by all units (`False`).

    Returns:
        `(quantized (units, input_dim) uint8, scale (units, n_groups) float32,
        zero (units, n_groups) uint8, g_idx (input_dim,) float32)`, where
        `W[i, u] ~ (quantized[u, i] - zero[u, g]) * scale[u, g]`, `g = int(g_idx[i])`.
    """
    w = np.array(kernel, dtype="float64").T
    units, rows = w.shape
    group = rows if group_size in (-1, None) else int(group_size)
    maxq = 2**weight_bits - 1
    x = np.asarray(inputs, dtype="float64").reshape(-1, rows)
    h = 2.0 * x.T @ x / max(len(x), 1)
    dead = np.diag(h) == 0
    h[dead, dead] = 1.0
    w[:, dead] = 0.0
    h += damping * np.mean(np.diag(h)) * np.eye(rows)
    perm = np.arange(rows)
    if activation_order:
        perm = np.argsort(-np.diag(h), kind="stable")
        w, h = w[:, perm], h[perm][:, perm]
    hinv = np.linalg.cholesky(np.linalg.inv(h)).T  # upper factor of H^-1
    n_groups = math.ceil(rows / group)
    scales = np.ones((units, n_groups))
    zeros = np.zeros((units, n_groups))
    q = np.zeros((units, rows))
    for i in range(rows):
        g = i // group
        if i % group == 0:
            scales[:, g], zeros[:, g] = _keras_params(
                w[:, i : i + group], maxq, symmetric, per_channel
            )
        # round(w / scale + zero) in float32, in Keras' order (ties land alike)
        step = w[:, i].astype("float32") / scales[:, g].astype("float32")
        qi = np.clip(np.round(step + zeros[:, g].astype("float32")), 0, maxq)
        q[:, i] = qi
        err = (w[:, i] - (qi - zeros[:, g]) * scales[:, g]) / hinv[i, i]
        w[:, i + 1 :] -= np.outer(err, hinv[i, i + 1 :])
    g_idx = np.arange(rows, dtype="float32") / group  # Keras stores i / group (cast on use)
    inverse = np.argsort(perm)
    return (
        q[:, inverse].astype("uint8"),
        scales.astype("float32"),
        zeros.astype("uint8"),
        g_idx[inverse],
    )


def calibration_batches(dataset, num_samples):
    """Up to `num_samples` calibration inputs from `dataset` (an array, or an iterable of
    batches or `(inputs, targets)` pairs), concatenated."""
    if isinstance(dataset, np.ndarray) or hasattr(dataset, "shape"):
        dataset = [dataset]
    taken, out = 0, []
    for batch in dataset:
        if isinstance(batch, (tuple, list)):
            batch = batch[0]
        batch = np.asarray(ops.convert_to_numpy(batch))
        out.append(batch[: num_samples - taken])
        taken += len(out[-1])
        if taken >= num_samples:
            break
    if not out:
        raise ValueError("GPTQ needs calibration data: `GPTQConfig.dataset` is empty.")
    return np.concatenate(out, axis=0)


def _tokenize(tokenizer, text):
    """Token ids of `text`: `tokenizer.tokenize(text)` (a KerasHub tokenizer), else
    `tokenizer(text)`."""
    tokenize = getattr(tokenizer, "tokenize", None)
    if tokenize is None:
        if not callable(tokenizer):
            raise TypeError(
                "GPTQConfig/AWQConfig `tokenizer` must have a `tokenize` method or be "
                f"callable to tokenize a text dataset. Received: {type(tokenizer).__name__}"
            )
        tokenize = tokenizer
    ids = tokenize(text)
    if not isinstance(ids, (list, tuple)):
        ids = ops.convert_to_numpy(ids)
    return np.asarray(ids).reshape(-1)


def token_calibration_samples(dataset, tokenizer, sequence_length, num_samples, seed=42):
    """The calibration token sequences of a GPTQ/AWQ config with a `tokenizer`, built as
    Keras 3.15.1 builds them.

    Every element of `dataset` (an iterable: a list of strings, a generator, a NumPy array,
    a `tf.data.Dataset`, ... but not one string) becomes token ids: strings through the
    tokenizer, anything else read as ids and flattened. The ids are joined into one
    stream, repeated whole until it holds `num_samples * sequence_length` tokens, and
    `num_samples` windows of `sequence_length` consecutive tokens are cut from it at
    evenly strided starts (stride `(len - sequence_length + 1) // num_samples`, at least
    1), from an offset that, as in Keras, comes from Python's `hash` of the seed: the
    same within a process, and from one process to the next only with `PYTHONHASHSEED`
    fixed. Nothing is padded.

    Args:
        dataset: The calibration texts or token ids.
        tokenizer: An object with `tokenize(text)`, or a callable, returning token ids.
        sequence_length: Tokens per sample.
        num_samples: Number of samples.
        seed: Seed of the start offset.

    Returns:
        `(num_samples, sequence_length)` int32 token ids.
    """
    if isinstance(dataset, (str, bytes)) or not hasattr(dataset, "__iter__"):
        raise TypeError(
            "GPTQ/AWQ calibration with a tokenizer needs an iterable `dataset` (a list of "
            "strings, a generator or a NumPy array of token ids); pass a single text as "
            f"a one-element list. Received: {type(dataset).__name__}"
        )
    items = list(dataset)
    if not items:
        raise ValueError("GPTQ/AWQ calibration: the provided `dataset` is empty.")
    if isinstance(items[0], str):
        pieces = [_tokenize(tokenizer, text) for text in items]
    else:
        pieces = [np.asarray(ops.convert_to_numpy(item)).reshape(-1) for item in items]
    stream = np.concatenate(pieces).astype("int32")
    needed = num_samples * sequence_length
    if 0 < stream.size < needed:
        stream = np.tile(stream, math.ceil(needed / stream.size))
    last_start = stream.size - sequence_length
    if last_start < 0:
        raise ValueError(
            f"GPTQ/AWQ calibration: {stream.size} tokens are not enough for one sample of "
            f"sequence_length={sequence_length}."
        )
    stride = max(1, (last_start + 1) // num_samples)
    offset = abs(hash(("gptq-calib", seed))) % (last_start + 1) if last_start else 0
    starts = (offset + stride * np.arange(num_samples)) % (last_start + 1)
    return np.stack([stream[start : start + sequence_length] for start in starts])


def _quantize_groups(w, group, maxq):
    """Asymmetric `[0, maxq]` quantization of `w` `(units, in)` in groups of `group`
    input columns (Keras 3's parameters): `(q, scale, zero, g)` with `g` the group of
    each column."""
    units, rows = w.shape
    n_groups = math.ceil(rows / group)
    g = np.arange(rows) // group
    scale = np.ones((units, n_groups))
    zero = np.zeros((units, n_groups))
    for k in range(n_groups):
        scale[:, k], zero[:, k] = _keras_params(w[:, k * group : (k + 1) * group], maxq, False)
    q = np.clip(np.round(w / scale[:, g]) + zero[:, g], 0, maxq)
    return q, scale, zero, g


def awq_quantize(kernel, inputs, *, group_size=128, num_grid_points=20):
    """AWQ (activation-aware weight quantization) of a `(input_dim, units)` kernel, as
    Keras 3.15.1 computes it, in its AWQ layout.

    Each input channel's activation magnitude `a` is its largest `|x|` over the calibration
    `inputs`. For ratios `r = 0, 1/n, ..., 1` the channel scales `s = a**r` (normalized by
    `sqrt(max(s) * min(s))`) multiply the kernel rows before 4-bit asymmetric group
    quantization; the `s` whose reconstruction `Q(W s) / s` has the smallest error
    weighted by `a**2` wins. Salient channels (large activations) get finer steps.

    Args:
        kernel: The float kernel `(input_dim, units)`.
        inputs: Calibration inputs of the layer, `(n, input_dim)`.
        group_size: Input rows per group, or -1 for one group.
        num_grid_points: Number of ratios tried (plus 0).

    Returns:
        `(quantized (units, input_dim) uint8, scale (units, n_groups) float32, zero
        (units, n_groups) uint8, awq_scales (input_dim,) float32, g_idx (input_dim,)
        float32)`: `W ~ ((quantized - zero[:, g]) * scale[:, g]).T / awq_scales[:, None]`.
    """
    w = np.array(kernel, dtype="float32").T
    rows = w.shape[1]
    group = rows if group_size in (-1, None) else int(group_size)
    x = np.asarray(inputs, dtype="float32").reshape(-1, rows)
    a = np.abs(x).max(axis=0)
    a = np.where(a < 1e-8, 1.0, a)
    best, best_loss = np.ones(rows, "float32"), None
    for i in range(num_grid_points + 1):
        ratio = i / num_grid_points
        s = np.ones_like(a) if ratio == 0 else np.power(a, ratio)
        s = np.maximum(s, 1e-4)
        s = s / max(np.sqrt(s.max() * s.min()), 1e-8)
        q, scale, zero, g = _quantize_groups(w * s, group, 15)
        rebuilt = (q - zero[:, g]) * scale[:, g] / s
        loss = np.mean(np.square(w - rebuilt) * np.square(a))
        if best_loss is None or loss < best_loss:
            best, best_loss = s, loss
    q, scale, zero, g = _quantize_groups(w * best, group, 15)
    g_idx = g.astype("float32") if group < rows else np.zeros(rows, "float32")
    return (
        q.astype("uint8"),
        scale.astype("float32"),
        zero.astype("uint8"),
        best.astype("float32"),
        g_idx,
    )
