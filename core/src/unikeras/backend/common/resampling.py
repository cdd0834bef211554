"""Resampling kernels of `scale_and_translate` / `resize(antialias=...)`, as host-side NumPy.

The weights of one axis depend only on sizes, scale and translation, so every backend can
compute them here once (on concrete values) and apply them with its own engine: the NumPy
reference multiplies them in, OpenVINO folds them into constants. Nothing here touches a
backend tensor.
"""

import numpy as np


def _triangle(d):
    return np.maximum(0, 1 - d)


def _keys_cubic(d):
    near = ((1.5 * d - 2.5) * d) * d + 1
    far = ((-0.5 * d + 2.5) * d - 4) * d + 2
    return np.where(d >= 2, 0, np.where(d >= 1, far, near))


def _lanczos(radius):
    def kernel(d):
        safe = np.where(d > 1e-3, d, 1)
        value = radius * np.sin(np.pi * safe) * np.sin(np.pi * safe / radius) / (np.pi * safe) ** 2
        return np.where(d > radius, 0, np.where(d > 1e-3, value, 1))

    return kernel


KERNELS = {
    "linear": _triangle,
    "bilinear": _triangle,
    "trilinear": _triangle,
    "cubic": _keys_cubic,
    "bicubic": _keys_cubic,
    "tricubic": _keys_cubic,
    "lanczos3": _lanczos(3.0),
    "lanczos5": _lanczos(5.0),
}


def weights(in_size, out_size, scale, translation, kernel, antialias):
    """`(in_size, out_size)` resampling weights of one axis (half-pixel centres)."""
    sample = (np.arange(out_size) + 0.5 - translation) / scale - 0.5
    widen = max(1 / scale, 1.0) if antialias else 1.0
    w = kernel(np.abs(sample[None, :] - np.arange(in_size)[:, None]) / widen)
    total = np.sum(w, axis=0, keepdims=True)
    w = np.where(
        np.abs(total) > 1000 * np.finfo(np.float32).eps, w / np.where(total != 0, total, 1), 0
    )
    inside = (sample >= -0.5) & (sample <= in_size - 0.5)
    return np.where(inside[None, :], w, 0)
