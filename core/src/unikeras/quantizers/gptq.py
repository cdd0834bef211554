"""GPTQ post-training quantization of `Dense` layers (`model.quantize("gptq", config=
GPTQConfig(dataset, ...))`), calibrated on the config's dataset.

Layer by layer, in call order, GPTQ records each `Dense` layer's inputs `X` on the
calibration data (with the layers before it already quantized), forms `H = 2 X^T X / n`
(damped by `hessian_damping` times its mean diagonal), and quantizes the kernel one input
row at a time, spreading each row's rounding error over the rows not yet quantized through
the Cholesky factor of `H^-1`. The rows are quantized to 4 bits in groups of `group_size`
with an asymmetric zero point, so the result is stored in the int4 grouped layout (Keras 3's
`Int4DTypePolicy("int4/<group_size>")` variables): GPTQ changes which values are stored,
not how they are read, and the saved file loads as an int4 model.
"""

import math

import numpy as np

from unikeras import ops

EPSILON = 1e-7


def _group_params(block):
    lo = block.min(axis=0)
    hi = block.max(axis=0)
    scale = (hi - lo + EPSILON) / 15.0
    zero = np.clip(np.round(-lo / scale) - 8, -8, 7)
    return scale, zero


def gptq_kernel(kernel, inputs, group_size, damping):
    """GPTQ of one `(input_dim, units)` kernel given calibration `inputs` `(n, input_dim)`.

    Returns:
        `(quantized int8 in [-8, 7], scale (n_groups, units), zero (n_groups, units))`.
    """
    w = np.array(kernel, dtype="float64")
    rows, cols = w.shape
    group = rows if group_size in (-1, None) else int(group_size)
    x = np.asarray(inputs, dtype="float64").reshape(-1, rows)
    h = 2.0 * x.T @ x / max(len(x), 1)
    dead = np.diag(h) == 0
    h[dead, dead] = 1.0
    w[dead, :] = 0.0
    h += damping * np.mean(np.diag(h)) * np.eye(rows)
    hinv = np.linalg.cholesky(np.linalg.inv(h)).T  # upper factor of H^-1
    n_groups = math.ceil(rows / group)
    scales = np.ones((n_groups, cols))
    zeros = np.zeros((n_groups, cols))
    q = np.zeros((rows, cols))
    for i in range(rows):
        g = i // group
        if i % group == 0:
            scales[g], zeros[g] = _group_params(w[i : min(i + group, rows)])
        qi = np.clip(np.round(w[i] / scales[g]) + zeros[g], -8, 7)
        q[i] = qi
        err = (w[i] - (qi - zeros[g]) * scales[g]) / hinv[i, i]
        w[i + 1 :] -= np.outer(hinv[i, i + 1 :], err)
    return q.astype("int8"), scales.astype("float32"), zeros.astype("int8")


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
