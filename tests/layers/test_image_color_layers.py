"""Colour augmentation layers: grayscale, invert, solarization, posterization, auto-contrast,
hue, saturation, colour degeneration, sharpness, colour jitter and equalization.

Expected values come from NumPy written here (luma weights, `colorsys` for RGB <-> HSV, an
explicit 3x3 convolution loop, per-channel histograms), with random factors pinned to one
value (`factor=(f, f)`). Where Keras 3 and JAX are importable, the same settings are run
through Keras 3 in a subprocess and compared.
"""

import colorsys
import importlib.util
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers
from unikeras.backend import table

from layer_checks import check_symbolic_shape, to_numpy

SHAPE = (2, 4, 5, 3)
SMALL = (8, 2, 2, 3)  # for checks over many random draws
LUMA = np.array([0.2989, 0.5870, 0.1140])


def images(shape=SHAPE, seed=0, high=255.0):
    return np.random.default_rng(seed).uniform(0, high, shape).astype("float32")


def to_channels_first(x):
    return np.moveaxis(x, -1, -3)


# --- NumPy references (channels_last batches, float64) ------------------------------------


def np_gray(x):
    return np.repeat((x.astype("float64") @ LUMA)[..., None], x.shape[-1], axis=-1)


def np_hsv_map(x, fn, high):
    """Applies `fn(h, s, v) -> (h, s, v)` to every pixel of RGB `x` in `[0, high]`."""
    out = np.empty(x.shape)
    for index in np.ndindex(*x.shape[:-1]):
        hsv = fn(*colorsys.rgb_to_hsv(*(x[index].astype("float64") / high)))
        out[index] = np.array(colorsys.hsv_to_rgb(*hsv)) * high
    return out


def np_solarize(x, addition, threshold, high):
    v = np.clip(x.astype("float64") * 255 / high + addition * 255, 0, 255)
    return np.where(v < threshold * 255, v, 255 - v) * high / 255


def np_posterize(x, bits):
    shift = 8 - bits
    return ((np.floor(x).astype(np.uint8) >> shift) << shift).astype("float64")


def np_auto_contrast(x, high):
    low, top = x.min(axis=(1, 2), keepdims=True), x.max(axis=(1, 2), keepdims=True)
    return (x - low) / (top - low) * high


def np_sharpness(x, factor, high):
    kernel = np.ones((3, 3)) / 13
    kernel[1, 1] = 5 / 13
    padded = np.pad(x.astype("float64"), ((0, 0), (1, 1), (1, 1), (0, 0)))
    smooth = np.zeros(x.shape)
    for i in range(3):
        for j in range(3):
            smooth += kernel[i, j] * padded[:, i : i + x.shape[1], j : j + x.shape[2]]
    return np.clip(x + (1 - 2 * factor) * (smooth - x), 0, high)


def np_equalize(x, bins, high):
    out = np.empty(x.shape)
    for b in range(x.shape[0]):
        for c in range(x.shape[-1]):
            v = x[b, ..., c].astype("float32") * np.float32(255 / high)
            index = np.clip((v * np.float32((bins - 1) / 255)).astype(int), 0, bins - 1)
            hist = np.bincount(index.ravel(), minlength=bins)
            if np.count_nonzero(hist) <= 1:
                out[b, ..., c] = x[b, ..., c]
                continue
            cdf = np.cumsum(hist)
            cdf_min = cdf[np.nonzero(cdf)[0][0]]
            table = np.clip(np.round((cdf - cdf_min) * 255 / (cdf[-1] - cdf_min)), 0, 255)
            out[b, ..., c] = table[index] * high / 255
    return out


SATURATION = 0.3 / (1 - 0.3 + 1e-7)

# name: (deterministic layer factory, NumPy reference, value range high). The factories
# take `value_range=(0, high)` where the layer has one.
CASES = {
    "grayscale": (lambda **kw: layers.RandomGrayscale(factor=1.0, **kw), np_gray, None),
    "invert": (lambda **kw: layers.RandomInvert((1.0, 1.0), **kw), lambda x: 255.0 - x, 255),
    "solarization": (
        lambda **kw: layers.Solarization((0.1, 0.1), (0.5, 0.5), **kw),
        lambda x: np_solarize(x, 0.1, 0.5, 1.0),
        1,
    ),
    "posterization": (
        lambda **kw: layers.RandomPosterization((3, 3), **kw),
        lambda x: np_posterize(x, 3),
        255,
    ),
    "auto_contrast": (
        lambda **kw: layers.AutoContrast(**kw),
        lambda x: np_auto_contrast(x, 1.0),
        1,
    ),
    # A shift of +-0.5 is the same modulo 1: deterministic despite the random sign.
    "hue": (
        lambda **kw: layers.RandomHue((1.0, 1.0), **kw),
        lambda x: np_hsv_map(x, lambda h, s, v: ((h + 0.5) % 1, s, v), 255),
        255,
    ),
    "saturation": (
        lambda **kw: layers.RandomSaturation((0.3, 0.3), **kw),
        lambda x: np_hsv_map(x, lambda h, s, v: (h, min(s * SATURATION, 1), v), 1),
        1,
    ),
    "degeneration": (
        lambda **kw: layers.RandomColorDegeneration((0.6, 0.6), **kw),
        lambda x: x + 0.6 * (np_gray(x) - x),
        255,
    ),
    "sharpness": (
        lambda **kw: layers.RandomSharpness((0.8, 0.8), **kw),
        lambda x: np_sharpness(x, 0.8, 255),
        255,
    ),
    "jitter": (
        lambda **kw: layers.RandomColorJitter(
            brightness_factor=(0.1, 0.1),
            contrast_factor=(0.0, 0.0),
            saturation_factor=(0.3, 0.3),
            hue_factor=(1.0, 1.0),
            **kw,
        ),
        lambda x: np_hsv_map(
            np.clip(x + 0.1, 0, 1), lambda h, s, v: ((h + 0.5) % 1, min(s * SATURATION, 1), v), 1
        ),
        1,
    ),
    "equalization": (
        lambda **kw: layers.Equalization(**kw),
        lambda x: np_equalize(x, 256, 255),
        255,
    ),
}
DETERMINISTIC = ("auto_contrast", "equalization")


def make(name, **kwargs):
    factory, _, high = CASES[name]
    if name in DETERMINISTIC:
        kwargs.pop("seed", None)
    if high is not None:
        kwargs.setdefault("value_range", (0, high))
    return factory(**kwargs)


def case_images(name, shape=SHAPE, seed=0):
    high = CASES[name][2]
    return images(shape, seed, high=float(high or 255))


@pytest.mark.parametrize("name", list(CASES))
def test_matches_numpy(name):
    x = case_images(name)
    np.testing.assert_allclose(
        to_numpy(make(name, seed=3)(x)),
        CASES[name][1](x),
        rtol=1e-4,
        atol=2e-3 * (CASES[name][2] or 255) / 255,
    )


@pytest.mark.parametrize("name", list(CASES))
def test_float16_policy(name):
    x = case_images(name)
    out = make(name, seed=3, dtype="float16")(x)
    assert keras.backend.standardize_dtype(out.dtype) == "float16"
    high = CASES[name][2] or 255
    np.testing.assert_allclose(to_numpy(out).astype("float64"), CASES[name][1](x), atol=3e-3 * high)


@pytest.mark.parametrize("name", list(CASES))
def test_channels_first_and_unbatched_agree(name):
    x = case_images(name, seed=1)
    last = to_numpy(make(name, seed=4)(x))
    first = to_numpy(make(name, seed=4, data_format="channels_first")(to_channels_first(x)))
    np.testing.assert_allclose(first, to_channels_first(last), rtol=1e-5, atol=1e-4)
    single = to_numpy(make(name, seed=4)(x[0]))
    np.testing.assert_allclose(single, to_numpy(make(name, seed=4)(x[:1]))[0], rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("name", [n for n in CASES if n != "auto_contrast"])
def test_identity_at_inference(name):
    x = case_images(name)
    np.testing.assert_array_equal(to_numpy(make(name, seed=1)(x, training=False)), x)


def test_auto_contrast_also_applies_at_inference():
    x = images(high=1.0)
    out = to_numpy(layers.AutoContrast(value_range=(0, 1))(x, training=False))
    np.testing.assert_allclose(out, np_auto_contrast(x, 1.0), atol=1e-5)
    flat = np.full((1, 3, 3, 3), 0.4, "float32")  # constant channels are left unchanged
    np.testing.assert_array_equal(to_numpy(layers.AutoContrast((0, 1))(flat)), flat)


@pytest.mark.parametrize("name", list(CASES))
def test_config_round_trip(name):
    x = case_images(name)
    layer = make(name, seed=13)
    config = json.loads(json.dumps(layer.get_config()))
    clone = type(layer).from_config(config)
    assert json.loads(json.dumps(clone.get_config())) == config
    np.testing.assert_array_equal(to_numpy(clone(x)), to_numpy(layer(x)))
    restored = keras.saving.deserialize_keras_object(
        json.loads(json.dumps(keras.saving.serialize_keras_object(layer)))
    )
    assert type(restored) is type(layer)


@pytest.mark.parametrize("name", list(CASES))
def test_symbolic_shape(name):
    x = case_images(name)
    check_symbolic_shape(make(name), SHAPE[1:], x)
    out = make(name, data_format="channels_first")(keras.Input((3, 4, 5)))
    assert tuple(out.shape) == (None, 3, 4, 5)


@pytest.mark.parametrize("name", list(CASES))
def test_dict_inputs_pass_boxes_and_masks_through(name):
    x = case_images(name)
    masks = np.random.default_rng(2).integers(0, 3, SHAPE[:3] + (1,)).astype("float32")
    boxes = {
        "boxes": np.array([[[0, 0, 2, 2], [1, 1, 4, 3]]] * 2, "float32"),
        "labels": np.array([[1, 2]] * 2, "int32"),
    }
    data = {"images": x, "segmentation_masks": masks, "bounding_boxes": boxes}
    out = to_numpy(make(name, seed=5, bounding_box_format="xyxy")(data))
    np.testing.assert_allclose(out["images"], to_numpy(make(name, seed=5)(x)), atol=1e-5)
    np.testing.assert_array_equal(out["segmentation_masks"], masks)
    np.testing.assert_array_equal(out["bounding_boxes"]["boxes"], boxes["boxes"])
    np.testing.assert_array_equal(out["bounding_boxes"]["labels"], boxes["labels"])


@pytest.mark.parametrize(
    "make_layer,match",
    [
        (lambda: layers.RandomGrayscale(1.5), '"random_grayscale.*`factor`'),
        (lambda: layers.RandomGrayscale((0.1, 0.2)), '"random_grayscale.*`factor`'),
        (lambda: layers.RandomInvert(-0.1), '"random_invert.*`factor`'),
        (lambda: layers.Solarization(threshold_factor=2.0), '"solarization.*`threshold_factor`'),
        (lambda: layers.Solarization(value_range=(0, 1, 2)), '"solarization.*`value_range`'),
        (lambda: layers.RandomPosterization(9), '"random_posterization.*`factor`'),
        (lambda: layers.RandomPosterization(2.5), '"random_posterization.*`factor`'),
        (lambda: layers.AutoContrast(value_range=1), '"auto_contrast.*`value_range`'),
        (lambda: layers.RandomHue((0.1, 0.2, 0.3)), '"random_hue.*`factor`'),
        (lambda: layers.RandomSaturation(1.2), '"random_saturation.*`factor`'),
        (
            lambda: layers.RandomColorDegeneration((-1.5, 0.5)),
            '"random_color_degeneration.*`factor`',
        ),
        (lambda: layers.RandomSharpness("a"), '"random_sharpness.*`factor`'),
        (
            lambda: layers.RandomColorJitter(hue_factor=3.0),
            r'"random_color_jitter\w*_hue.*`factor`',
        ),
        (lambda: layers.Equalization(bins=1), '"equalization.*`bins`'),
    ],
)
def test_bad_arguments_name_the_layer(make_layer, match):
    with pytest.raises(ValueError, match=match):
        make_layer()


def test_factor_conventions_of_keras3():
    assert layers.RandomHue(0.3).factor == (0.0, 0.3)
    assert layers.RandomInvert().factor == (0.0, 1.0)
    assert layers.RandomPosterization(4).factor == (1, 4)
    assert layers.Solarization(0.2).addition_factor == (0.0, 0.2)
    # Keras 3 stores `RandomSaturation(0.5)` as `factor=(-0.5, 0.5)`: such configs load, and
    # a negative draw removes all saturation (every channel becomes the HSV value).
    config = dict(
        layers.RandomSaturation(0.5).get_config(), factor=[-0.5, -0.5], value_range=[0, 1]
    )
    x = images(high=1.0)
    out = to_numpy(layers.RandomSaturation.from_config(config)(x))
    np.testing.assert_allclose(out, np.repeat(x.max(-1, keepdims=True), 3, -1), atol=1e-5)


def test_color_degeneration_needs_rgb():
    with pytest.raises(ValueError, match='"random_color_degeneration.*3 channels'):
        layers.RandomColorDegeneration(0.5).compute_output_shape((None, 4, 5, 2))


# --- Random draws ----------------------------------------------------------------------


def test_grayscale_and_invert_apply_to_a_share_of_the_images():
    x = images((16,) + SMALL[1:])
    gray = to_numpy(layers.RandomGrayscale(0.5, seed=2)(x))
    inverted = to_numpy(layers.RandomInvert((0.5, 0.5), seed=2)(x))
    for out, changed in ((gray, np_gray(x)), (inverted, 255.0 - x)):
        is_changed = [np.allclose(o, c, atol=1e-3) for o, c in zip(out, changed)]
        for o, im, was in zip(out, x, is_changed):
            assert was or np.array_equal(o, im)
        assert 2 <= sum(is_changed) <= 14


def test_hue_shifts_by_half_the_factor_either_way():
    x = images(SMALL)
    out = to_numpy(layers.RandomHue((0.4, 0.4), seed=3)(x))
    signs = []
    for o, im in zip(out, x):
        up, down = (
            np_hsv_map(im, lambda h, s, v, d=d: ((h + d) % 1, s, v), 255) for d in (0.2, -0.2)
        )
        signs.append(1 if np.allclose(o, up, atol=1e-2) else -1)
        np.testing.assert_allclose(o, up if signs[-1] > 0 else down, atol=1e-2)
    assert len(set(signs)) == 2


def test_posterization_draws_bits_below_the_upper_bound():
    x = images(SMALL)
    out = to_numpy(layers.RandomPosterization(4, seed=2)(x))  # bits in {1, 2, 3}
    drawn = set()
    for o, im in zip(out, x):
        bits = [b for b in range(1, 9) if np.array_equal(o, np_posterize(im, b))]
        assert bits and bits[0] in (1, 2, 3)
        drawn.add(bits[0])
    assert len(drawn) > 1


def test_jitter_steps_draw_independently():
    x = np.full(SMALL, 0.5, "float32")
    x[:, 0, 0] = 0.4
    layer = layers.RandomColorJitter(
        value_range=(0, 1), brightness_factor=0.3, contrast_factor=0.5, seed=6
    )
    out = to_numpy(layer(x)).astype("float64")
    # Brightness adds d in [-0.3, 0.3]; contrast scales deviations from the mean by c.
    c = (out[:, 0, 0] - out[:, 1, 1]) / (0.4 - 0.5)
    d = out[:, 1, 1] - (0.5 - 0.475) * c - 0.475
    np.testing.assert_allclose(c, c[:, :1] + 0 * c, atol=1e-4)
    assert np.all((c >= 0.5 - 1e-4) & (c <= 1.5 + 1e-4))
    assert np.all(np.abs(d) <= 0.3 + 1e-4)
    # Separate draws: the two uniform variates differ.
    assert not np.allclose((d[:, 0] + 0.3) / 0.6, c[:, 0] - 0.5, atol=1e-3)


def test_equalization_bins_and_single_value_channels():
    x = images((1, 6, 6, 2))
    out = to_numpy(layers.Equalization(bins=16)(x))
    np.testing.assert_allclose(out, np_equalize(x, 16, 255), atol=1e-3)
    x[..., 1] = 7.0  # one value: unchanged
    np.testing.assert_array_equal(to_numpy(layers.Equalization()(x))[..., 1], x[..., 1])


# --- In models -------------------------------------------------------------------------


def test_predict_applies_only_auto_contrast():
    x = images((4, 4, 5, 3), high=1.0)
    augmenters = [make(name, seed=i) for i, name in enumerate(CASES)]
    inputs = keras.Input((4, 5, 3))
    outputs = inputs
    for layer in augmenters:
        outputs = layer(outputs)
    model = keras.Model(inputs, outputs)
    np.testing.assert_allclose(model.predict(x, verbose=0), np_auto_contrast(x, 1.0), atol=1e-5)


@pytest.mark.skipif(
    not table.backend_info()["training"], reason="inference-only backend: fit raises by design"
)
def test_fit_step_through_color_layers():
    augmenters = [
        make(name, seed=i, value_range=(0, 1))
        for i, name in enumerate(CASES)
        if name != "grayscale"
    ]
    head = keras.Sequential([layers.Conv2D(2, 3), layers.Flatten(), layers.Dense(1)])
    inputs = keras.Input((4, 5, 3))
    outputs = inputs
    for layer in augmenters:
        outputs = layer(outputs)
    model = keras.Model(inputs, head(outputs))
    model.compile(optimizer="sgd", loss="mse")
    before = [w.copy() for w in model.get_weights()]
    # A fixed bit count (posterization `(3, 3)`) draws nothing.
    random_layers = [
        layer
        for layer in augmenters
        if hasattr(layer, "generator") and not isinstance(layer, layers.RandomPosterization)
    ]
    states = [to_numpy(layer.generator.state).astype("int64") for layer in random_layers]
    x, y = images((8, 4, 5, 3), high=1.0), images((8, 1), seed=1, high=1.0)
    history = model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    assert any(not np.allclose(a, b) for a, b in zip(before, model.get_weights()))
    for layer, state in zip(random_layers, states):  # drew in both steps
        assert to_numpy(layer.generator.state)[1] > state[1], type(layer).__name__


# --- Keras 3 ---------------------------------------------------------------------------

KERAS3_SETTINGS = {
    "grayscale": "keras.layers.RandomGrayscale(factor=1.0)",
    "invert": "keras.layers.RandomInvert((1.0, 1.0))",
    "solarization": "keras.layers.Solarization(value_range=(0, 1))",
    "posterization": "keras.layers.RandomPosterization((3, 3))",
    "auto_contrast": "keras.layers.AutoContrast(value_range=(0, 1))",
    "hue": "keras.layers.RandomHue((1.0, 1.0))",
    "saturation": "keras.layers.RandomSaturation((0.3, 0.3), value_range=(0, 1))",
    "degeneration": "keras.layers.RandomColorDegeneration((0.6, 0.6))",
    "sharpness": "keras.layers.RandomSharpness((0.8, 0.8))",
    "jitter": "keras.layers.RandomColorJitter((0, 1), (0.1, 0.1), (0.0, 0.0), (0.3, 0.3), "
    "(1.0, 1.0))",
    "equalization": "keras.layers.Equalization()",
}


@pytest.mark.skipif(
    importlib.util.find_spec("keras") is None or importlib.util.find_spec("jax") is None,
    reason="Keras 3 and JAX are not both installed",
)
def test_matches_keras3(tmp_path):
    inputs = {name: case_images(name, shape=(1,) + SHAPE[1:], seed=7) for name in CASES}
    inputs["solarization"] = images((1,) + SHAPE[1:], 7, high=1.0)
    np.savez(tmp_path / "in.npz", **inputs)
    script = textwrap.dedent(f"""
        import numpy as np, keras
        data = np.load({str(tmp_path / "in.npz")!r})
        layers = {{{", ".join(f"{n!r}: {s}" for n, s in KERAS3_SETTINGS.items())}}}
        np.savez({str(tmp_path / "out.npz")!r},
                 **{{n: np.asarray(layer(data[n])) for n, layer in layers.items()}})
    """)
    env = dict(os.environ, KERAS_BACKEND="jax")
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=300)
    expected = np.load(tmp_path / "out.npz")
    for name in CASES:
        layer = (
            layers.Solarization(value_range=(0, 1))
            if name == "solarization"
            else make(name, seed=1)
        )
        np.testing.assert_allclose(
            to_numpy(layer(inputs[name])), expected[name], rtol=1e-4, atol=2e-3, err_msg=name
        )
