"""Image preprocessing layers: Resizing, CenterCrop and the random augmentation layers.

Expected values come from NumPy written here: separable bilinear/nearest resizing with
half-pixel centres, slicing, and an affine warp that samples each output pixel at its
source position (fill modes applied per interpolation tap). Random layers are checked with
their factor forced to one value, or by recovering the drawn factor from the output.
"""

import json
import math

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers
from unikeras.backend import table

from layer_checks import check_symbolic_shape, to_numpy

BATCH_SHAPE = (2, 5, 6, 2)


def images(shape=BATCH_SHAPE, seed=0, low=0.0, high=1.0):
    return np.random.default_rng(seed).uniform(low, high, shape).astype("float32")


def to_channels_first(x):
    return np.moveaxis(x, -1, -3)


# --- NumPy references --------------------------------------------------------------------


def np_resize_axis(x, axis, size, method):
    n = x.shape[axis]
    if n == size:
        return x
    positions = (np.arange(size) + 0.5) * n / size
    if method == "nearest":
        return np.take(x, np.minimum(np.floor(positions).astype(int), n - 1), axis=axis)
    source = np.clip(positions - 0.5, 0, n - 1)
    lower = np.floor(source).astype(int)
    upper = np.minimum(lower + 1, n - 1)
    weight_shape = [1] * x.ndim
    weight_shape[axis] = size
    w = (source - lower).reshape(weight_shape)
    return np.take(x, lower, axis=axis) * (1 - w) + np.take(x, upper, axis=axis) * w


def np_resize(x, height, width, method="bilinear"):
    """Resizes NHWC `x` (half-pixel centres, edge samples clamped)."""
    return np_resize_axis(np_resize_axis(x, 1, height, method), 2, width, method)


def fill_index(i, n, mode):
    """Index `i` mapped into `[0, n)` by `mode`; `None` where `"constant"` fills."""
    if mode == "constant":
        return i if 0 <= i < n else None
    if mode == "nearest":
        return min(max(i, 0), n - 1)
    if mode == "wrap":
        return i % n
    i %= 2 * n  # reflect: d c b a | a b c d | d c b a
    return i if i < n else 2 * n - 1 - i


def sample(image, y, x, order, fill_mode, fill_value):
    """Value of HWC `image` at real position `(y, x)`."""
    if order == 0:
        taps = [(int(math.floor(y + 0.5)), int(math.floor(x + 0.5)), 1.0)]
    else:
        y0, x0 = math.floor(y), math.floor(x)
        wy, wx = y - y0, x - x0
        taps = [
            (y0, x0, (1 - wy) * (1 - wx)),
            (y0, x0 + 1, (1 - wy) * wx),
            (y0 + 1, x0, wy * (1 - wx)),
            (y0 + 1, x0 + 1, wy * wx),
        ]
    value = np.zeros(image.shape[-1])
    for ty, tx, w in taps:
        iy = fill_index(ty, image.shape[0], fill_mode)
        ix = fill_index(tx, image.shape[1], fill_mode)
        tap = fill_value if iy is None or ix is None else image[iy, ix]
        value = value + w * tap
    return value


def np_warp(x, source, order=1, fill_mode="reflect", fill_value=0.0):
    """NHWC `x` warped: output pixel `(y, x)` of image `b` reads `source(b, y, x)`."""
    out = np.zeros(x.shape)
    for b in range(x.shape[0]):
        for i in range(x.shape[1]):
            for j in range(x.shape[2]):
                out[b, i, j] = sample(x[b], *source(b, i, j), order, fill_mode, fill_value)
    return out


def rotation_source(degrees, height, width):
    """Source of a counter-clockwise turn about the centre: `c + R(angle) (p - c)`."""
    angle = math.radians(degrees)
    cy, cx = (height - 1) / 2, (width - 1) / 2

    def source(b, i, j):
        dy, dx = i - cy, j - cx
        return (
            cy + math.sin(angle) * dx + math.cos(angle) * dy,
            cx + math.cos(angle) * dx - math.sin(angle) * dy,
        )

    return source


# --- Resizing ----------------------------------------------------------------------------


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("size", [(3, 4), (7, 9), (5, 3)])
def test_resizing_matches_numpy(interpolation, size):
    x = images()
    layer = layers.Resizing(*size, interpolation=interpolation)
    np.testing.assert_allclose(
        to_numpy(layer(x)), np_resize(x, *size, interpolation), rtol=1e-5, atol=1e-5
    )
    np.testing.assert_allclose(
        to_numpy(layer(x[0])), np_resize(x[:1], *size, interpolation)[0], rtol=1e-5, atol=1e-5
    )


def test_resizing_channels_first_agrees():
    x = images()
    first = layers.Resizing(7, 4, data_format="channels_first")
    expected = to_channels_first(np_resize(x, 7, 4))
    np.testing.assert_allclose(
        to_numpy(first(to_channels_first(x))), expected, rtol=1e-5, atol=1e-5
    )


def test_resizing_crop_to_aspect_ratio():
    x = images()  # 5 x 6 to 4 x 2: the centred 5 x 2 window (columns 2:4), then resized
    layer = layers.Resizing(4, 2, crop_to_aspect_ratio=True)
    np.testing.assert_allclose(
        to_numpy(layer(x)), np_resize(x[:, :, 2:4], 4, 2), rtol=1e-5, atol=1e-5
    )


def test_resizing_pad_to_aspect_ratio():
    x = images((2, 4, 6, 2))  # 4 x 6 to 6 x 3: 4 rows of fill_value above and below
    layer = layers.Resizing(6, 3, pad_to_aspect_ratio=True, fill_value=7.0)
    padded = np.pad(x, ((0, 0), (4, 4), (0, 0), (0, 0)), constant_values=7.0)
    np.testing.assert_allclose(to_numpy(layer(x)), np_resize(padded, 6, 3), rtol=1e-5, atol=1e-5)


def test_resizing_arguments_checked():
    with pytest.raises(ValueError, match="interpolation"):
        layers.Resizing(2, 2, interpolation="area")
    with pytest.raises(ValueError, match="only one of"):
        layers.Resizing(2, 2, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)


# --- CenterCrop --------------------------------------------------------------------------


def test_center_crop_slices_the_centre():
    x = images((2, 6, 8, 2))
    np.testing.assert_array_equal(to_numpy(layers.CenterCrop(3, 4)(x)), x[:, 1:4, 2:6])
    np.testing.assert_array_equal(to_numpy(layers.CenterCrop(3, 4)(x[0])), x[0, 1:4, 2:6])
    y = images()  # 5 x 6: odd margins round the start down
    np.testing.assert_array_equal(to_numpy(layers.CenterCrop(2, 3)(y)), y[:, 1:3, 1:4])
    first = layers.CenterCrop(3, 4, data_format="channels_first")
    np.testing.assert_array_equal(
        to_numpy(first(to_channels_first(x))), to_channels_first(x[:, 1:4, 2:6])
    )


def test_center_crop_of_a_smaller_image_resizes_its_aspect_window():
    x = images((2, 4, 5, 2))  # to 6 x 3: the centred 4 x 2 window (columns 1:3), resized
    np.testing.assert_allclose(
        to_numpy(layers.CenterCrop(6, 3)(x)), np_resize(x[:, :, 1:3], 6, 3), rtol=1e-5, atol=1e-5
    )


# --- RandomFlip --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mode,flip",
    [
        ("horizontal", lambda im: im[:, ::-1]),
        ("vertical", lambda im: im[::-1]),
        # Keras 3: one draw per image decides both flips.
        ("horizontal_and_vertical", lambda im: im[::-1, ::-1]),
    ],
)
def test_random_flip_gives_each_image_or_its_flip(mode, flip):
    x = images((16, 5, 6, 2))
    out = to_numpy(layers.RandomFlip(mode, seed=3)(x, training=True))
    flipped = [not np.array_equal(o, im) for o, im in zip(out, x)]
    for o, im, was_flipped in zip(out, x, flipped):
        np.testing.assert_array_equal(o, flip(im) if was_flipped else im)
    assert any(flipped) and not all(flipped)


def test_random_flip_mode_checked():
    with pytest.raises(ValueError, match='"random_flip.*`mode`'):
        layers.RandomFlip("diagonal")


# --- RandomRotation / RandomZoom / RandomTranslation -------------------------------------


@pytest.mark.parametrize("fill_mode", ["reflect", "wrap", "constant", "nearest"])
def test_random_rotation_matches_numpy_warp(fill_mode):
    x = images()
    layer = layers.RandomRotation((0.1, 0.1), fill_mode=fill_mode, fill_value=0.5, seed=1)
    expected = np_warp(x, rotation_source(36.0, 5, 6), fill_mode=fill_mode, fill_value=0.5)
    np.testing.assert_allclose(to_numpy(layer(x, training=True)), expected, atol=1e-4)


def test_random_rotation_quarter_turn_nearest_is_rot90():
    x = images((2, 5, 5, 2))
    layer = layers.RandomRotation((0.25, 0.25), interpolation="nearest", seed=1)
    np.testing.assert_array_equal(to_numpy(layer(x)), np.rot90(x, k=1, axes=(1, 2)))


def test_random_rotation_draws_angles_in_range():
    x = np.zeros((6, 7, 7, 1), "float32")
    x[:, 3, 6] = 1.0  # a dot right of the centre turns by the angle drawn for its image
    out = to_numpy(layers.RandomRotation(0.2, fill_mode="constant", seed=2)(x))[..., 0]
    rows, cols = np.mgrid[0:7, 0:7]
    angles = [
        math.degrees(math.atan2(3 - (o * rows).sum() / o.sum(), (o * cols).sum() / o.sum() - 3))
        for o in out
    ]
    assert all(abs(a) <= 72 + 5 for a in angles)
    assert np.ptp(angles) > 10


def test_random_zoom_matches_numpy_warp():
    x = images()
    zy, zx = 1.3, 0.8
    cy, cx = 2.0, 2.5

    def source(b, i, j):
        return cy + zy * (i - cy), cx + zx * (j - cx)

    layer = layers.RandomZoom((0.3, 0.3), (-0.2, -0.2), fill_mode="constant", seed=1)
    np.testing.assert_allclose(
        to_numpy(layer(x)), np_warp(x, source, fill_mode="constant"), atol=1e-4
    )

    def same_zoom(b, i, j):
        return cy + zy * (i - cy), cx + zy * (j - cx)

    layer = layers.RandomZoom((0.3, 0.3), interpolation="nearest", fill_mode="nearest", seed=1)
    np.testing.assert_allclose(
        to_numpy(layer(x)), np_warp(x, same_zoom, order=0, fill_mode="nearest"), atol=1e-6
    )


def test_random_translation_matches_numpy_warp():
    x = images()
    layer = layers.RandomTranslation((0.2, 0.2), (-0.25, -0.25), fill_mode="wrap", seed=1)
    expected = np_warp(x, lambda b, i, j: (i - 1.0, j + 1.5), fill_mode="wrap")
    np.testing.assert_allclose(to_numpy(layer(x)), expected, atol=1e-4)


def test_random_affine_arguments_checked():
    with pytest.raises(ValueError, match='"random_rotation.*`factor`'):
        layers.RandomRotation(1.5)
    with pytest.raises(ValueError, match="height_factor"):
        layers.RandomZoom(-1.0)
    with pytest.raises(ValueError, match="width_factor"):
        layers.RandomTranslation(0.1, (0.1, 0.2, 0.3))
    with pytest.raises(ValueError, match="fill_mode"):
        layers.RandomRotation(0.1, fill_mode="mirror")
    with pytest.raises(ValueError, match="interpolation"):
        layers.RandomZoom(0.1, interpolation="bicubic")


# --- RandomCrop --------------------------------------------------------------------------


def test_random_crop_training_takes_one_window_per_batch():
    x = images((3, 6, 8, 2))
    layer = layers.RandomCrop(3, 4, seed=7)
    windows = set()
    for _ in range(8):
        out = to_numpy(layer(x, training=True))
        found = [
            (t, s)
            for t in range(4)
            for s in range(5)
            if np.array_equal(out, x[:, t : t + 3, s : s + 4])
        ]
        assert len(found) == 1
        windows.add(found[0])
    assert len(windows) > 1


def test_random_crop_inference_resizes_the_aspect_window():
    x = images((3, 6, 8, 2))  # same aspect ratio as 3 x 4: the whole image, resized
    layer = layers.RandomCrop(3, 4, seed=7)
    np.testing.assert_allclose(
        to_numpy(layer(x, training=False)), np_resize(x, 3, 4), rtol=1e-5, atol=1e-5
    )
    # Not larger than the target on both axes: the same path in training.
    y = images()  # 5 x 6 to 5 x 3: the centred 5 x 3 window (columns 1:4)
    np.testing.assert_array_equal(to_numpy(layers.RandomCrop(5, 3)(y, training=True)), y[:, :, 1:4])


# --- RandomContrast / RandomBrightness ---------------------------------------------------


def test_random_contrast_scales_deviations_from_the_channel_mean():
    x = images((32, 5, 6, 2), low=60, high=190)
    out = to_numpy(layers.RandomContrast(0.5, seed=2)(x)).astype("float64")
    mean = x.astype("float64").mean(axis=(1, 2), keepdims=True)
    dev = x - mean
    drawn = ((out - mean) * dev).sum(axis=(1, 2, 3)) / (dev * dev).sum(axis=(1, 2, 3))
    # Drawn in [1 - 0.5, 1 + 0.5], spread over that range.
    assert np.all((drawn >= 0.5 - 1e-4) & (drawn <= 1.5 + 1e-4))
    assert drawn.min() < 0.7 and drawn.max() > 1.3
    np.testing.assert_allclose(out, dev * drawn[:, None, None, None] + mean, rtol=1e-4, atol=1e-3)


def test_random_contrast_clips_to_value_range():
    x = images((4, 5, 6, 2))
    out = to_numpy(layers.RandomContrast((0.0, 1.0), value_range=(0, 1), seed=2)(x))
    assert out.min() >= 0 and out.max() <= 1
    mean = x.mean(axis=(1, 2), keepdims=True)
    inside = (out > 0) & (out < 1)
    for b in range(4):
        dev, o = (x - mean)[b][inside[b]], (out - mean)[b][inside[b]]
        drawn = (o * dev).sum() / (dev * dev).sum()
        assert 1 - 1e-4 <= drawn <= 2 + 1e-4
        np.testing.assert_allclose(
            out[b], np.clip((x - mean)[b] * drawn + mean[b], 0, 1), atol=1e-4
        )


def test_random_brightness_adds_a_bounded_offset_per_image():
    x = images((32, 5, 6, 2), low=80, high=170)
    out = to_numpy(layers.RandomBrightness(0.3, seed=2)(x))
    delta = (out - x).reshape(32, -1)
    np.testing.assert_allclose(delta, delta[:, :1] + np.zeros_like(delta), atol=1e-3)
    # Drawn in [-0.3, 0.3] * 255, spread over that range.
    assert np.all(np.abs(delta) <= 0.3 * 255 + 1e-3)
    assert delta.min() < -0.2 * 255 and delta.max() > 0.2 * 255
    y = images((2, 5, 6, 2), low=0, high=255)
    fixed = layers.RandomBrightness((0.5, 0.5), seed=1)(y)
    np.testing.assert_allclose(to_numpy(fixed), np.clip(y + 127.5, 0, 255), atol=1e-3)
    black = layers.RandomBrightness((-1.0, -1.0), value_range=(0, 1), seed=1)(y / 255)
    np.testing.assert_array_equal(to_numpy(black), np.zeros_like(y))


def test_color_arguments_checked():
    with pytest.raises(ValueError, match='"random_contrast.*`factor`'):
        layers.RandomContrast(-0.2)
    with pytest.raises(ValueError, match="value_range"):
        layers.RandomBrightness(0.2, value_range=(0, 1, 2))


# --- All layers: inference, seeds, config, shapes, errors --------------------------------

RANDOM_LAYERS = {
    "flip": lambda **kw: layers.RandomFlip("horizontal", **kw),
    "rotation": lambda **kw: layers.RandomRotation(0.2, fill_mode="constant", fill_value=0.3, **kw),
    "zoom": lambda **kw: layers.RandomZoom((-0.5, -0.3), interpolation="nearest", **kw),
    "translation": lambda **kw: layers.RandomTranslation(0.2, (-0.1, 0.3), fill_mode="wrap", **kw),
    "crop": lambda **kw: layers.RandomCrop(3, 4, **kw),
    "contrast": lambda **kw: layers.RandomContrast(0.4, value_range=(0, 1), **kw),
    "brightness": lambda **kw: layers.RandomBrightness((-0.2, 0.1), value_range=(0, 1), **kw),
}
ALL_LAYERS = dict(
    RANDOM_LAYERS,
    **{
        "resizing": lambda **kw: layers.Resizing(3, 4, interpolation="nearest", **kw),
        "center_crop": lambda **kw: layers.CenterCrop(3, 4, **kw),
    },
)


@pytest.mark.parametrize("name", list(RANDOM_LAYERS))
def test_channels_first_and_unbatched_agree(name):
    x = images((4, 5, 6, 2))
    make = RANDOM_LAYERS[name]
    last = to_numpy(make(seed=4)(x))
    assert last.shape != x.shape or not np.allclose(last, x, atol=1e-3)
    first = to_numpy(make(seed=4, data_format="channels_first")(to_channels_first(x)))
    np.testing.assert_allclose(first, to_channels_first(last), rtol=1e-5, atol=1e-5)
    single = to_numpy(make(seed=4)(x[0]))
    np.testing.assert_allclose(single, to_numpy(make(seed=4)(x[:1]))[0], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", [n for n in RANDOM_LAYERS if n != "crop"])
def test_identity_at_inference(name):
    x = images()
    np.testing.assert_array_equal(to_numpy(RANDOM_LAYERS[name](seed=1)(x, training=False)), x)


@pytest.mark.parametrize("name", list(RANDOM_LAYERS))
def test_same_seed_same_output(name):
    x = images((4, 5, 6, 2))
    a, b = RANDOM_LAYERS[name](seed=11), RANDOM_LAYERS[name](seed=11)
    first = to_numpy(a(x, training=True))
    np.testing.assert_array_equal(first, to_numpy(b(x, training=True)))
    later = [to_numpy(a(x, training=True)) for _ in range(3)]
    assert any(not np.array_equal(first, y) for y in later)


@pytest.mark.parametrize("name", list(ALL_LAYERS))
def test_config_round_trip(name):
    x = images()
    layer = ALL_LAYERS[name](seed=13) if name in RANDOM_LAYERS else ALL_LAYERS[name]()
    config = json.loads(json.dumps(layer.get_config()))
    clone = type(layer).from_config(config)
    assert json.loads(json.dumps(clone.get_config())) == config
    np.testing.assert_array_equal(to_numpy(clone(x)), to_numpy(layer(x)))
    restored = keras.saving.deserialize_keras_object(
        json.loads(json.dumps(keras.saving.serialize_keras_object(layer)))
    )
    assert type(restored) is type(layer)


def test_random_crop_config_keeps_a_drawn_seed():
    layer = layers.RandomCrop(3, 4)
    assert isinstance(layer.get_config()["seed"], int)
    x = images((3, 6, 8, 2))
    clone = layers.RandomCrop.from_config(layer.get_config())
    np.testing.assert_array_equal(to_numpy(clone(x)), to_numpy(layer(x)))


@pytest.mark.parametrize("name", list(ALL_LAYERS))
def test_symbolic_shape(name):
    x = images()
    check_symbolic_shape(ALL_LAYERS[name](), BATCH_SHAPE[1:], x)
    layer = ALL_LAYERS[name](data_format="channels_first")
    check_symbolic_shape(layer, (2, 5, 6), to_channels_first(x))


@pytest.mark.parametrize("name", list(ALL_LAYERS))
@pytest.mark.parametrize("shape", [(5, 6), (1, 2, 5, 6, 2)])
def test_wrong_rank_names_the_layer(name, shape):
    layer = ALL_LAYERS[name]()
    with pytest.raises(ValueError, match=f'layer "{layer.name}".*ndim'):
        layer(np.zeros(shape, "float32"))
    with pytest.raises(ValueError, match=f'layer "{layer.name}".*ndim'):
        layer(keras.Input(shape[1:]))


def test_integer_images_give_float_outputs():
    x = (images() * 255).astype("uint8")
    out = layers.RandomFlip(seed=1)(x)
    assert keras.backend.standardize_dtype(out.dtype) == "float32"
    np.testing.assert_array_equal(to_numpy(layers.RandomFlip()(x, training=False)), x)


# --- In models -----------------------------------------------------------------------------


def augmented_model(augmenters):
    head = keras.Sequential([layers.Conv2D(2, 3), layers.Flatten(), layers.Dense(1)])
    inputs = keras.Input((8, 8, 1))
    x = inputs
    for layer in augmenters:
        x = layer(x)
    return keras.Model(inputs, head(x)), head


def test_predict_skips_augmentation():
    model, head = augmented_model([layers.RandomFlip(seed=1), layers.RandomRotation(0.1, seed=2)])
    x = images((6, 8, 8, 1))
    np.testing.assert_allclose(
        model.predict(x, verbose=0), head.predict(x, verbose=0), rtol=1e-5, atol=1e-6
    )


@pytest.mark.skipif(
    not table.backend_info()["training"], reason="inference-only backend: fit raises by design"
)
@pytest.mark.parametrize(
    "augmenters",
    [
        lambda: [layers.RandomFlip(seed=1), layers.RandomRotation(0.1, seed=2)],
        lambda: [
            layers.RandomZoom(0.2, 0.1, seed=1),
            layers.RandomTranslation(0.1, 0.1, seed=2),
            layers.RandomContrast(0.2, value_range=(0, 1), seed=3),
            layers.RandomBrightness(0.1, value_range=(0, 1), seed=4),
            layers.RandomCrop(6, 6, seed=5),
        ],
    ],
    ids=["flip_rotation", "zoom_translation_color_crop"],
)
def test_fit_step_through_augmentation(augmenters):
    augmenters = augmenters()
    model, _ = augmented_model(augmenters)
    x, y = images((8, 8, 8, 1)), images((8, 1), seed=1)
    model.compile(optimizer="sgd", loss="mse")
    before = [w.copy() for w in model.get_weights()]
    states = [to_numpy(layer.generator.state).astype("int64") for layer in augmenters]
    history = model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    assert any(not np.allclose(a, b) for a, b in zip(before, model.get_weights()))
    # Each augmentation layer drew in both steps (2 batches) inside the compiled step.
    draws = {"RandomZoom": 2, "RandomTranslation": 2, "RandomCrop": 2}
    for layer, state in zip(augmenters, states):
        expected = 2 * draws.get(type(layer).__name__, 1)
        np.testing.assert_array_equal(to_numpy(layer.generator.state) - state, [0, expected])
