"""Geometric resampling (`map_coordinates`, `affine_transform`, `perspective_transform`) and
Gaussian kernels, written once against a NumPy-compatible array namespace.

Every function takes `xp`, the array module of the caller: `numpy` for the reference backend,
`jax.numpy` for JAX (the same routine then traces under `jit`). Only the NumPy API subset both
share is used (`clip`, `mod`, `where`, `floor`, `stack`, `meshgrid`, `linalg.solve`, integer
fancy indexing), so nothing here imports an engine. The ops check their arguments
(`unikeras.ops.image`) before these run.
"""

import itertools


# --------------------------------------------------------------------------------------------
# Sampling
# --------------------------------------------------------------------------------------------


def fill_index(xp, index, size, mode):
    """Maps integer indices (possibly outside `[0, size)`) into range.

    Returns:
        `(index, valid)`: `valid` is a boolean mask for `"constant"`, else `None`.
    """
    if mode == "constant":
        return xp.clip(index, 0, size - 1), (index >= 0) & (index < size)
    if mode == "nearest":
        return xp.clip(index, 0, size - 1), None
    if mode == "wrap":
        return xp.mod(index, size), None
    if mode == "mirror":
        if size == 1:
            return xp.zeros_like(index), None
        period = 2 * size - 2
        index = xp.mod(index, period)
        return xp.where(index < size, index, period - index), None
    period = 2 * size  # "reflect": mirror about the edges, edge pixels repeated
    index = xp.mod(index, period)
    return xp.where(index < size, index, period - 1 - index), None


def corner_taps(xp, coordinate, order, index_dtype):
    """Integer taps and weights of one axis for nearest (order 0) or linear (order 1).

    Returns:
        A list of `(index, weight)` pairs; order 0 rounds half away from zero.
    """
    if order == 0:
        rounded = xp.sign(coordinate) * xp.floor(xp.abs(coordinate) + 0.5)
        return [(rounded.astype(index_dtype), xp.ones_like(coordinate))]
    lower = xp.floor(coordinate)
    upper_weight = coordinate - lower
    lower = lower.astype(index_dtype)
    return [(lower, 1 - upper_weight), (lower + 1, upper_weight)]


def map_coordinates(
    xp, x, coordinates, order, fill_mode, fill_value, compute, index_dtype, is_float
):
    """Samples `x` at `coordinates` (already checked) in the `compute` dtype.

    Args:
        xp: the array namespace.
        x: the input array.
        coordinates: array of shape `(x.ndim, ...)`.
        order: 0 (nearest) or 1 (linear).
        fill_mode: how indices outside the input are mapped (`FILL_MODES`).
        fill_value: the value outside the input for `"constant"`.
        compute: dtype of the arithmetic.
        index_dtype: integer dtype of the gather indices.
        is_float: whether `x` has a float dtype (else results are rounded).

    Returns:
        An array of shape `coordinates.shape[1:]` and the dtype of `x`.
    """
    coordinates = coordinates.astype(compute)
    data = x.astype(compute)
    fill = xp.asarray(fill_value, compute)
    per_axis = [corner_taps(xp, c, order, index_dtype) for c in coordinates]
    result = xp.zeros(coordinates.shape[1:], compute)
    for corner in itertools.product(*[range(len(taps)) for taps in per_axis]):
        indices, weight, valid = [], 1, True
        for axis, tap in enumerate(corner):
            index, w = per_axis[axis][tap]
            index, ok = fill_index(xp, index, x.shape[axis], fill_mode)
            indices.append(index)
            weight = weight * w
            valid = valid if ok is None else valid & ok
        values = data[tuple(indices)] if x.size else xp.zeros(result.shape, compute)
        result = result + weight * xp.where(valid, values, fill)
    if not is_float:
        result = xp.round(result)
    return result.astype(x.dtype)


def projective(xp, x, transforms, order, fill_mode, fill_value, compute, index_dtype):
    """Applies projective transforms to NHWC `x`.

    Output pixel `(x, y)` reads input `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)` with
    `k = c0 x + c1 y + 1`, for the 8 coefficients `[a0, a1, a2, b0, b1, b2, c0, c1]` of each
    image (`transforms` of shape `(1 or batch, 8)`).

    Returns:
        The transformed images, dtype of `x`.
    """
    t = xp.broadcast_to(transforms.astype(compute), (x.shape[0], 8))
    rows, cols = xp.meshgrid(
        xp.arange(x.shape[1], dtype=compute), xp.arange(x.shape[2], dtype=compute), indexing="ij"
    )
    a = [t[:, i, None, None] for i in range(8)]
    k = a[6] * cols + a[7] * rows + 1
    src_cols = (a[0] * cols + a[1] * rows + a[2]) / k
    src_rows = (a[3] * cols + a[4] * rows + a[5]) / k
    out = sample_nhwc(
        xp,
        x.astype(compute),
        src_rows,
        src_cols,
        order,
        fill_mode,
        fill_value,
        compute,
        index_dtype,
    )
    return out.astype(x.dtype)


def sample_nhwc(xp, x, rows, cols, order, fill_mode, fill_value, compute, index_dtype):
    """Samples NHWC `x` (in the float `compute` dtype) at per-image `(batch, h, w)` row and
    column coordinates; returns `(batch, h, w, channels)` in the `compute` dtype."""
    batch = xp.broadcast_to(xp.arange(x.shape[0])[:, None, None], rows.shape).astype(compute)
    coords = xp.stack([batch, rows, cols])
    channels = [
        map_coordinates(
            xp, x[..., c], coords, order, fill_mode, fill_value, compute, index_dtype, True
        )
        for c in range(x.shape[-1])
    ]
    return xp.stack(channels, -1)


def homography(xp, start, end):
    """The 8 projective coefficients mapping `end` points (output) to `start` (input).

    Args:
        start, end: arrays of shape `(batch, 4, 2)` in a float dtype.

    Returns:
        Array of shape `(batch, 8)`.
    """
    sx, sy, ex, ey = start[..., 0], start[..., 1], end[..., 0], end[..., 1]
    zeros, ones = xp.zeros_like(ex), xp.ones_like(ex)
    rows_x = xp.stack([ex, ey, ones, zeros, zeros, zeros, -sx * ex, -sx * ey], -1)
    rows_y = xp.stack([zeros, zeros, zeros, ex, ey, ones, -sy * ex, -sy * ey], -1)
    matrix = xp.stack([rows_x, rows_y], -2).reshape(start.shape[0], 8, 8)
    target = xp.stack([sx, sy], -1).reshape(start.shape[0], 8, 1)
    return xp.linalg.solve(matrix, target)[..., 0]


def gaussian_1d(xp, size, sigma, dtype):
    """A normalized 1-D Gaussian kernel of `size` taps centred on the middle tap."""
    offsets = xp.arange(size, dtype=dtype) - (size - 1) / 2
    kernel = xp.exp(-0.5 * (offsets / xp.asarray(sigma, dtype)) ** 2)
    return kernel / xp.sum(kernel)
