"""Default implementations of `keras.ops.image` ops composed of other ops."""

from unikeras.backend import dtypes
from unikeras.backend.config import standardize_data_format
from unikeras.backend.hookspec import hookimpl
from unikeras.backend.registry import table as ops

default = hookimpl(trylast=True)


def _gaussian_window(size, sigma, dtype):
    offsets = ops.subtract(ops.arange(size, dtype=dtype), (size - 1) / 2.0)
    g = ops.exp(ops.divide(ops.negative(ops.square(offsets)), 2.0 * sigma ** 2))
    g = ops.divide(g, ops.sum(g))
    return ops.reshape(ops.outer(g, g), (size, size, 1, 1))


@default
def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         data_format=None):
    data_format = standardize_data_format(data_format)
    image1, image2 = ops.convert_to_tensor(image1), ops.convert_to_tensor(image2)
    shape1, shape2 = tuple(ops.shape(image1)), tuple(ops.shape(image2))
    for name, shape in (("image1", shape1), ("image2", shape2)):
        if len(shape) not in (3, 4):
            raise ValueError(f"ssim: `{name}` must have rank 3 (one image) or 4 (a batch), "
                             f"received shape {shape}.")
    if len(shape1) != len(shape2) or any(
            a is not None and b is not None and a != b for a, b in zip(shape1, shape2)):
        raise ValueError(f"ssim: `image1` and `image2` must have the same shape, received "
                         f"{shape1} and {shape2}.")
    out = dtypes.standardize_dtype(image1.dtype)
    compute = dtypes.result_type(out, float)
    a, b = ops.cast(image1, compute), ops.cast(image2, compute)
    unbatched = len(shape1) == 3
    if unbatched:
        a, b = ops.expand_dims(a, 0), ops.expand_dims(b, 0)
    if data_format == "channels_last":  # every channel becomes an image of one channel
        a, b = ops.transpose(a, (0, 3, 1, 2)), ops.transpose(b, (0, 3, 1, 2))
    dims = ops.shape(a)
    height, width = dims[2], dims[3]
    a = ops.reshape(a, (-1, height, width, 1))
    b = ops.reshape(b, (-1, height, width, 1))
    window = _gaussian_window(filter_size, filter_sigma, compute)

    def local_mean(v):
        return ops.conv(v, window, 1, "valid", "channels_last", 1)

    mu1, mu2 = local_mean(a), local_mean(b)
    mu11, mu22, mu12 = ops.multiply(mu1, mu1), ops.multiply(mu2, mu2), ops.multiply(mu1, mu2)
    var1 = ops.subtract(local_mean(ops.multiply(a, a)), mu11)
    var2 = ops.subtract(local_mean(ops.multiply(b, b)), mu22)
    cov = ops.subtract(local_mean(ops.multiply(a, b)), mu12)
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    numerator = ops.multiply(ops.add(ops.multiply(mu12, 2.0), c1),
                             ops.add(ops.multiply(cov, 2.0), c2))
    denominator = ops.multiply(ops.add(ops.add(mu11, mu22), c1),
                               ops.add(ops.add(var1, var2), c2))
    per_channel = ops.mean(ops.divide(numerator, denominator), (1, 2, 3), False)
    channels = dims[1]
    result = ops.mean(ops.reshape(per_channel, (-1, channels)), -1, False)
    if unbatched:
        result = ops.squeeze(result, 0)
    return ops.cast(result, out)
