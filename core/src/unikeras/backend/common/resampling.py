"""Resampling kernels of `scale_and_translate` / `resize(antialias=...)`, as host-side NumPy.

The weights of one axis depend only on sizes, scale and translation, so every backend can
compute them here once (on concrete values) and apply them with its own engine: the NumPy
reference multiplies them in, OpenVINO folds them into constants. Nothing here touches a
backend tensor.
"""

import numpy as np


def kernel_table(triangle, keys_cubic, lanczos):
    """The resampling kernels by interpolation name, from one engine's kernel functions.

    Args:
        triangle: The linear (tent) kernel of a distance array.
        keys_cubic: The Keys cubic kernel (a = -0.5).
        lanczos: `lanczos(radius)`, returning the Lanczos kernel of that radius.

    Returns:
        A dict from `resize` / `scale_and_translate` method names to kernels.
    """
    return {
        **dict.fromkeys(("linear", "bilinear", "trilinear", "triangle"), triangle),
        **dict.fromkeys(("cubic", "bicubic", "tricubic"), keys_cubic),
        "lanczos3": lanczos(3.0),
        "lanczos5": lanczos(5.0),
    }


def kernels(xp):
    """The resampling kernels by method name, written against the array module `xp` (`numpy`
    here, `jax.numpy` for JAX, where they trace)."""

    def triangle(d):
        return xp.maximum(0, 1 - d)

    def keys_cubic(d):
        near = ((1.5 * d - 2.5) * d) * d + 1
        far = ((-0.5 * d + 2.5) * d - 4) * d + 2
        return xp.where(d >= 2, 0, xp.where(d >= 1, far, near))

    def lanczos(radius):
        def kernel(d):
            safe = xp.where(d > 1e-3, d, 1)
            value = (
                radius * xp.sin(xp.pi * safe) * xp.sin(xp.pi * safe / radius) / (xp.pi * safe) ** 2
            )
            return xp.where(d > radius, 0, xp.where(d > 1e-3, value, 1))

        return kernel

    return kernel_table(triangle, keys_cubic, lanczos)


KERNELS = kernels(np)


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
