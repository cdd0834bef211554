"""Edge cases of single ops, on the active backend, against NumPy or Keras 3.15.1.

- `image.ssim` on images smaller than `filter_size`: a `ValueError` (Keras 3.15.1 raises one
  from its "valid" convolution); images of exactly `filter_size` compute one window.
- `image.scale_and_translate`: every method Keras documents (`"triangle"` included) against
  an independent NumPy resampler written after `jax.image.scale_and_translate` (and against
  JAX itself where it is installed).
- `fliplr` on 1-D and `flipud` on 0-d inputs: a `ValueError` naming the op.
- `scan` with an integer carry (a Python int or an int32 counter).
- Symbolic shapes of `glu`, `psnr` and `cross` with unknown (`None`) dimensions: the shapes
  Keras 3.15.1 gives.
"""

import numpy as np
import pytest

import unikeras as keras
from unikeras import ops

BACKEND = keras.backend.backend()


def _np(x):
    return ops.convert_to_numpy(x)


# ---------------------------------------------------------------------------------------------
# ssim
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape, data_format",
    [((8, 8, 1), "channels_last"), ((2, 12, 8, 3), "channels_last"), ((1, 3, 12, 10), None)],
)
def test_ssim_images_smaller_than_the_filter_raise(shape, data_format):
    x = np.zeros(shape, "float32")
    fmt = data_format or "channels_first"
    pattern = r"ssim: images must be at least `filter_size` \(11\) pixels high and wide"
    with pytest.raises(ValueError, match=pattern):
        ops.image.ssim(x, x, data_format=fmt)
    symbolic = keras.KerasTensor(shape)
    with pytest.raises(ValueError, match=pattern):  # the same for a symbolic call
        ops.image.ssim(symbolic, symbolic, data_format=fmt)


def test_ssim_of_images_as_large_as_the_filter_is_one_window():
    rng = np.random.default_rng(0)
    a = rng.random((5, 5, 2)).astype("float32")
    b = rng.random((5, 5, 2)).astype("float32")
    got = _np(ops.image.ssim(a, b, filter_size=5, filter_sigma=1.0))
    # One Gaussian window covers each image: weighted statistics per channel.
    g = np.exp(-((np.arange(5) - 2.0) ** 2) / 2.0)
    w = np.outer(g, g)[..., None] / np.outer(g, g).sum()
    mu_a, mu_b = (w * a).sum((0, 1)), (w * b).sum((0, 1))
    var_a = (w * a * a).sum((0, 1)) - mu_a**2
    var_b = (w * b * b).sum((0, 1)) - mu_b**2
    cov = (w * a * b).sum((0, 1)) - mu_a * mu_b
    c1, c2 = 0.01**2, 0.03**2
    want = ((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / (
        (mu_a**2 + mu_b**2 + c1) * (var_a + var_b + c2)
    )
    np.testing.assert_allclose(got, want.mean(), rtol=1e-4, atol=1e-5)


# ---------------------------------------------------------------------------------------------
# scale_and_translate
# ---------------------------------------------------------------------------------------------

METHODS = [
    "linear",
    "bilinear",
    "trilinear",
    "triangle",
    "cubic",
    "bicubic",
    "tricubic",
    "lanczos3",
    "lanczos5",
]


def _kernel(method, d):
    if method in ("linear", "bilinear", "trilinear", "triangle"):
        return max(0.0, 1.0 - d)
    if method in ("cubic", "bicubic", "tricubic"):  # Keys, a = -0.5
        if d < 1:
            return 1.5 * d**3 - 2.5 * d**2 + 1
        return -0.5 * d**3 + 2.5 * d**2 - 4 * d + 2 if d < 2 else 0.0
    radius = 3 if method == "lanczos3" else 5
    return float(np.sinc(d) * np.sinc(d / radius)) if d <= radius else 0.0


def _resample_axis(x, axis, size, scale, shift, method, antialias):
    """Output `j` reads input position `(j + 0.5 - shift) / scale - 0.5` (zero outside)."""
    x = np.moveaxis(x, axis, 0)
    width = max(1 / scale, 1.0) if antialias else 1.0
    out = np.zeros((size,) + x.shape[1:])
    for j in range(size):
        at = (j + 0.5 - shift) / scale - 0.5
        if not -0.5 <= at <= x.shape[0] - 0.5:
            continue
        w = np.array([_kernel(method, abs(at - i) / width) for i in range(x.shape[0])])
        if abs(w.sum()) > 1000 * np.finfo(np.float32).eps:
            out[j] = np.tensordot(w / w.sum(), x, axes=(0, 0))
    return np.moveaxis(out, 0, axis)


CASES = [  # output shape, scale, translation, antialias (one shape: one compilation)
    ((2, 9, 4, 2), [1.8, 0.6], [0.3, -0.5], True),
    ((2, 9, 4, 2), [0.75, 1.6], [0.0, 1.0], False),  # no sample on an edge
]


@pytest.mark.parametrize("method", METHODS)
def test_scale_and_translate_every_method(method):
    x = np.random.default_rng(1).random((2, 5, 7, 2)).astype("float32")
    for case, (shape, scale, shift, antialias) in enumerate(CASES):
        scale, shift = np.array(scale, "float32"), np.array(shift, "float32")
        got = _np(ops.image.scale_and_translate(x, shape, scale, shift, (1, 2), method, antialias))
        want = x.astype("float64")
        for k, axis in enumerate((1, 2)):
            want = _resample_axis(
                want, axis, shape[axis], float(scale[k]), float(shift[k]), method, antialias
            )
        assert got.shape == shape and got.dtype == np.float32
        np.testing.assert_allclose(got, want, atol=2e-5)
        try:
            import jax
        except ImportError:
            continue
        if case:  # one JAX comparison per method is enough (each compiles)
            continue
        ref = jax.image.scale_and_translate(
            x, shape, (1, 2), scale, shift, method, antialias=antialias
        )
        np.testing.assert_allclose(got, np.asarray(ref), atol=2e-5)


@pytest.mark.parametrize("method", ["gaussian", "box", "nearest"])
def test_scale_and_translate_refuses_methods_keras_does_not_list(method):
    # jax.image.scale_and_translate refuses these too ("Unknown resize method").
    x = np.ones((4, 4), "float32")
    with pytest.raises(
        ValueError,
        match=f"scale_and_translate: `method` must be one of .*'triangle'.*Received: '{method}'",
    ):
        ops.image.scale_and_translate(x, (6, 6), np.ones(2), np.zeros(2), (0, 1), method)


# ---------------------------------------------------------------------------------------------
# fliplr / flipud
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["numpy", "tensor", "symbolic"])
def test_fliplr_flipud_need_enough_dimensions(kind):
    make = {
        "numpy": lambda a: a,
        "tensor": ops.convert_to_tensor,
        "symbolic": lambda a: keras.KerasTensor(a.shape, dtype="float32"),
    }[kind]
    with pytest.raises(
        ValueError,
        match=r"fliplr: `x` must have at least 2 dimensions\. "
        r"Received: x\.shape=\(3,\)",
    ):
        ops.fliplr(make(np.arange(3.0, dtype="float32")))
    with pytest.raises(
        ValueError,
        match=r"flipud: `x` must have at least 1 dimension\. "
        r"Received: x\.shape=\(\)",
    ):
        ops.flipud(make(np.array(2.0, "float32")))


def test_fliplr_flipud_values():
    x = np.arange(12.0, dtype="float32").reshape(2, 3, 2)
    np.testing.assert_array_equal(_np(ops.fliplr(x)), np.fliplr(x))
    np.testing.assert_array_equal(_np(ops.flipud(x[0, 0])), np.flipud(x[0, 0]))


# ---------------------------------------------------------------------------------------------
# scan with an integer carry
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("xs_dtype", ["int32", "int64"])
def test_scan_with_a_python_int_carry(xs_dtype):
    # `0 + xs[i]`: the carry takes the dtype the step gives it (TensorFlow used to refuse
    # int32 + int64 here).
    xs = np.arange(1, 5, dtype=xs_dtype)
    carry, ys = ops.scan(lambda c, x: (c + x, c), 0, xs)
    assert int(_np(carry)) == 10
    np.testing.assert_array_equal(_np(ys), [0, 1, 3, 6])
    assert np.issubdtype(_np(ys).dtype, np.integer)


def test_scan_with_an_int32_counter_beside_a_float_carry():
    xs = np.array([0.5, 1.5, 2.0], "float32")

    def step(carry, x):
        count, total = carry
        return (count + 1, total + ops.cast(count, "float32") * x), count

    (count, total), ys = ops.scan(step, (np.int32(0), np.float32(0.0)), xs)
    assert _np(count).dtype == np.int32 and int(_np(count)) == 3
    np.testing.assert_allclose(_np(total), 0 * 0.5 + 1 * 1.5 + 2 * 2.0)
    np.testing.assert_array_equal(_np(ys), [0, 1, 2])
    assert _np(ys).dtype == np.int32


# ---------------------------------------------------------------------------------------------
# Symbolic shapes with unknown dimensions (the shapes Keras 3.15.1 gives)
# ---------------------------------------------------------------------------------------------

SYMBOLIC = [
    ("glu_unknown_last", lambda: ops.glu(keras.Input(shape=(3, None))), (None, 3, None)),
    ("glu_known_axis", lambda: ops.glu(keras.Input(shape=(None, 4))), (None, None, 2)),
    ("glu_axis1", lambda: ops.glu(keras.Input(shape=(4, None)), axis=1), (None, 2, None)),
    (
        "psnr_unknown_vs_known",
        lambda: ops.psnr(keras.Input(shape=(None, 3)), keras.Input(shape=(5, 3)), 1.0),
        (),
    ),
    (
        "cross",
        lambda: ops.cross(keras.Input(shape=(None, 3)), keras.Input(shape=(None, 3))),
        (None, None, 3),
    ),
    (
        "cross_axis1",
        lambda: ops.cross(keras.Input(shape=(3, None)), keras.Input(shape=(3, None)), axis=1),
        (None, 3, None),
    ),
    (
        "cross_unknown_vector",
        lambda: ops.cross(keras.Input(shape=(None,)), keras.Input(shape=(3,))),
        (None, 3),
    ),
    (
        "cross_2d_vectors_broadcast",
        lambda: ops.cross(keras.Input(shape=(4, 2)), keras.Input(shape=(1, 2))),
        (None, 4),
    ),
]


@pytest.mark.parametrize("call, shape", [c[1:] for c in SYMBOLIC], ids=[c[0] for c in SYMBOLIC])
def test_symbolic_shapes_with_unknown_dimensions(call, shape):
    out = call()
    assert out.shape == shape
    assert out.dtype == "float32"


def test_symbolic_glu_and_cross_run_in_a_model():
    inputs = keras.Input(shape=(None, 3))
    model = keras.Model(inputs, ops.glu(ops.cross(inputs, inputs + 1.0), axis=1))
    x = np.random.default_rng(2).random((2, 4, 3)).astype("float32")
    c = np.cross(x, x + 1.0)
    want = c[:, :2] * (1 / (1 + np.exp(-c[:, 2:])))
    np.testing.assert_allclose(_np(model(x)), want, rtol=1e-5, atol=1e-6)
    assert model.output.shape == (None, None, 3)
