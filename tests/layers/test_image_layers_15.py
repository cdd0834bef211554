"""Issue 15's image layers: ContrastLimitedAdaptiveHistogramEqualization against a
loop-based NumPy CLAHE, RandomElasticTransform against a NumPy resampling of its own draws,
AugMix's mixing against its component layers; on every backend."""

import json

import numpy as np
import pytest
from layer_checks import assert_outputs_close, to_numpy

import unikeras as keras
from unikeras.backend import table

TRAINS = table.backend_info()["training"]
needs_training = pytest.mark.skipif(
    not TRAINS, reason="inference-only backend: fit raises by design"
)
CLAHE = keras.layers.ContrastLimitedAdaptiveHistogramEqualization


def _images(shape, seed=0, high=256):
    return np.random.default_rng(seed).integers(0, high, shape).astype("float32")


# --- CLAHE ------------------------------------------------------------------------------


def reference_clahe(image, clip_limit, grid):
    """CLAHE of one `(H, W)` channel with values in `[0, 255]`, pixel by pixel."""
    height, width = image.shape
    gh, gw = grid
    th, tw = -(-height // gh), -(-width // gw)
    padded = np.pad(image, ((0, th * gh - height), (0, tw * gw - width)), mode="symmetric")
    values = np.clip(padded.astype(np.int64), 0, 255)
    maps = np.zeros((gh, gw, 256))
    for i in range(gh):
        for j in range(gw):
            tile = values[i * th : (i + 1) * th, j * tw : (j + 1) * tw]
            hist = np.bincount(tile.ravel(), minlength=256).astype(np.float64)
            if clip_limit > 0:
                limit = clip_limit * th * tw / 256.0
                excess = np.sum(hist - np.minimum(hist, limit))
                hist = np.minimum(hist, limit) + excess / 256.0
            cdf = np.cumsum(hist)
            span = th * tw - cdf[0]
            maps[i, j] = np.clip((cdf - cdf[0]) * 255.0 / (span if span != 0 else 1.0), 0, 255)
    out = np.zeros(padded.shape)
    for y in range(padded.shape[0]):
        for x in range(padded.shape[1]):
            # Position among tile centres; the tiles beyond the grid repeat the edge ones.
            fy, fx = (y - th / 2) / th, (x - tw / 2) / tw
            y0, x0 = int(np.floor(fy)), int(np.floor(fx))
            wy, wx = fy - y0, fx - x0
            v = values[y, x]

            def tile(a, b):
                return maps[min(max(a, 0), gh - 1), min(max(b, 0), gw - 1), v]

            top = tile(y0, x0) * (1 - wx) + tile(y0, x0 + 1) * wx
            bottom = tile(y0 + 1, x0) * (1 - wx) + tile(y0 + 1, x0 + 1) * wx
            out[y, x] = top * (1 - wy) + bottom * wy
    return out[:height, :width]


def reference_clahe_batch(images, clip_limit, grid, value_range=(0, 255)):
    low, high = value_range
    scaled = (images - low) * 255.0 / (high - low)
    out = np.zeros_like(scaled, dtype=np.float64)
    for b in range(images.shape[0]):
        for c in range(images.shape[-1]):
            out[b, ..., c] = reference_clahe(scaled[b, ..., c], clip_limit, grid)
    return (out * (high - low) / 255.0 + low).astype("float32")


@pytest.mark.parametrize(
    "shape,clip_limit,grid",
    [
        ((2, 16, 16, 3), 4.0, (4, 4)),
        ((1, 13, 10, 2), 2.0, (3, 4)),  # tiles padded by symmetric reflection
        ((1, 5, 7, 1), 0.0, (8, 8)),  # no clipping; pads longer than the image
    ],
)
def test_clahe_matches_reference(shape, clip_limit, grid):
    x = _images(shape, seed=shape[1])
    layer = CLAHE(clip_limit=clip_limit, tile_grid_size=grid)
    expected = reference_clahe_batch(x, clip_limit, grid)
    assert_outputs_close(layer(x), expected, rtol=1e-4, atol=2e-3)
    # Always applied (a deterministic layer), as in Keras 3.
    assert_outputs_close(layer(x, training=False), expected, rtol=1e-4, atol=2e-3)


def test_clahe_formats_value_range_and_unbatched():
    # The shape of a case above (engines that compile each shape reuse it).
    x = _images((1, 13, 10, 2), seed=4)
    expected = reference_clahe_batch(x, 3.0, (3, 4))
    first = CLAHE(clip_limit=3.0, tile_grid_size=(3, 4), data_format="channels_first")
    assert_outputs_close(
        first(np.ascontiguousarray(np.moveaxis(x, -1, 1))),
        np.moveaxis(expected, -1, 1),
        rtol=1e-4,
        atol=2e-3,
    )
    unit = CLAHE(value_range=(0, 1), clip_limit=3.0, tile_grid_size=(3, 4))
    assert_outputs_close(unit(x / 255.0), expected / 255.0, rtol=1e-4, atol=1e-5)
    single = CLAHE(clip_limit=3.0, tile_grid_size=(3, 4))(x[0])
    assert_outputs_close(single, expected[0], rtol=1e-4, atol=2e-3)
    layer = CLAHE()
    assert layer(keras.Input((13, 10, 2))).shape == (None, 13, 10, 2)
    masks = np.ones((1, 13, 10, 1), "float32")
    out = layer({"images": x, "segmentation_masks": masks})
    assert_outputs_close(out["segmentation_masks"], masks)


@pytest.mark.parametrize("dtype", ["int32", "uint8"])
def test_clahe_keeps_integer_dtypes(dtype):
    # Keras 3.15.1 casts the result back to an integer input's dtype (truncating).
    x = _images((2, 16, 16, 3), seed=16)
    out = CLAHE(clip_limit=4.0, tile_grid_size=(4, 4))(x.astype(dtype))
    assert keras.backend.standardize_dtype(out.dtype) == dtype
    expected = np.trunc(reference_clahe_batch(x, 4.0, (4, 4)))
    # float32 round-off can move a value across an integer (Keras differs per backend too).
    assert np.max(np.abs(to_numpy(out).astype(np.float64) - expected)) <= 1


def test_clahe_config_and_errors():
    layer = CLAHE(value_range=(0, 1), clip_limit=2.5, tile_grid_size=(4, 2), name="clahe")
    config = layer.get_config()
    json.dumps(config)
    assert config["value_range"] == [0, 1] and config["clip_limit"] == 2.5
    assert config["tile_grid_size"] == [4, 2]
    assert CLAHE.from_config(config).get_config() == config
    defaults = CLAHE().get_config()
    assert defaults["clip_limit"] == 4.0 and defaults["tile_grid_size"] == [8, 8]
    assert defaults["value_range"] == [0, 255]
    with pytest.raises(ValueError, match="tile_grid_size"):
        CLAHE(tile_grid_size=(0, 2))
    with pytest.raises(ValueError, match="clip_limit"):
        CLAHE(clip_limit="high")
    with pytest.raises(ValueError, match="value_range"):
        CLAHE(value_range=(0,))


# --- RandomElasticTransform -------------------------------------------------------------

# Keras' fill modes as NumPy pad modes (a sample at index `i` reads `padded[i + pad]`).
NUMPY_PAD = {
    "reflect": "symmetric",
    "mirror": "reflect",
    "wrap": "wrap",
    "nearest": "edge",
    "constant": "constant",
}


def reference_elastic(
    images, draws, value_range, scale_upper, order, fill_mode="reflect", fill_value=0.0
):
    """Channels-last resampling of `images` along displacements made from `draws`."""
    batch, height, width, _ = images.shape
    d = float(draws["distortion"])
    sigma, alpha = 0.05 * d * min(height, width), 0.1 * d * max(height, width)
    size = int(6 * 0.05 * min(height, width) * scale_upper) | 1
    g = np.exp(-((np.arange(size) - size // 2) ** 2) / (2 * max(sigma, 1e-3) ** 2))
    kernel = np.outer(g, g) / np.sum(g) ** 2
    noise = np.pad(draws["noise"] * sigma, ((0, 0), (size // 2,) * 2, (size // 2,) * 2, (0, 0)))
    offsets = np.zeros((batch, height, width, 2))
    for i in range(size):
        for j in range(size):
            offsets += kernel[i, j] * noise[:, i : i + height, j : j + width]
    offsets *= alpha
    pad = 4 * max(height, width)
    extra = {"constant_values": fill_value} if fill_mode == "constant" else {}
    out = np.array(images, dtype=np.float64)
    for b in range(batch):
        if not draws["apply"][b]:
            continue
        padded = np.pad(
            images[b].astype(np.float64),
            ((pad, pad), (pad, pad), (0, 0)),
            mode=NUMPY_PAD[fill_mode],
            **extra,
        )
        rows = np.arange(height)[:, None] + offsets[b, ..., 0] + pad
        cols = np.arange(width)[None, :] + offsets[b, ..., 1] + pad
        if order == 0:
            out[b] = padded[np.floor(rows + 0.5).astype(int), np.floor(cols + 0.5).astype(int)]
            continue
        r0, c0 = np.floor(rows).astype(int), np.floor(cols).astype(int)
        wr, wc = (rows - r0)[..., None], (cols - c0)[..., None]
        out[b] = (
            padded[r0, c0] * (1 - wr) * (1 - wc)
            + padded[r0, c0 + 1] * (1 - wr) * wc
            + padded[r0 + 1, c0] * wr * (1 - wc)
            + padded[r0 + 1, c0 + 1] * wr * wc
        )
    return np.clip(out, *value_range).astype("float32")


@pytest.mark.parametrize(
    "interpolation,fill_mode",
    [
        ("bilinear", "reflect"),
        ("nearest", "reflect"),
        ("bilinear", "constant"),
        ("bilinear", "wrap"),
        ("bilinear", "mirror"),
        ("nearest", "nearest"),
    ],
)
def test_random_elastic_transform_matches_numpy_resampling(interpolation, fill_mode):
    x = _images((3, 10, 12, 2), seed=7)
    layer = keras.layers.RandomElasticTransform(
        factor=(0.5, 1.0),
        scale=(0.6, 1.0),
        interpolation=interpolation,
        fill_mode=fill_mode,
        fill_value=50.0,
        seed=3,
    )
    draws = layer._transformation(x, True)
    out = layer._transform_images(keras.ops.convert_to_tensor(x), draws)
    numpy_draws = {k: to_numpy(v) for k, v in draws.items()}
    expected = reference_elastic(
        x, numpy_draws, (0, 255), 1.0, 0 if interpolation == "nearest" else 1, fill_mode, 50.0
    )
    if interpolation == "nearest":
        # A position within float error of a half may round either way.
        assert np.isclose(to_numpy(out), expected, atol=1e-4).mean() > 0.99
    else:
        assert_outputs_close(out, expected, rtol=1e-4, atol=1e-2)


def test_random_elastic_transform_behaviour():
    x = _images((3, 10, 12, 2), seed=8)  # the shape above: compiled kernels are reused
    layer = keras.layers.RandomElasticTransform(seed=5)
    out = to_numpy(layer(x))
    assert out.shape == x.shape and out.min() >= 0 and out.max() <= 255
    assert_outputs_close(layer(x, training=False), x)
    for quiet in (
        keras.layers.RandomElasticTransform(scale=0.0, seed=1),
        keras.layers.RandomElasticTransform(factor=0.0, seed=1),
    ):
        assert_outputs_close(quiet(x), x)
    always = keras.layers.RandomElasticTransform(factor=(1.0, 1.0), scale=(1.0, 1.0), seed=2)
    moved = to_numpy(always(x))
    assert all(not np.allclose(moved[b], x[b]) for b in range(len(x)))
    # A constant image stays constant whatever the deformation (reflected borders).
    flat = np.full((3, 10, 12, 2), 37.0, "float32")
    assert_outputs_close(always(flat), flat, atol=1e-3)
    # The same seed draws the same deformation whatever the data format.
    last = keras.layers.RandomElasticTransform(factor=1.0, scale=0.7, seed=11)
    first = keras.layers.RandomElasticTransform(
        factor=1.0, scale=0.7, seed=11, data_format="channels_first"
    )
    assert_outputs_close(
        first(np.ascontiguousarray(np.moveaxis(x, -1, 1))),
        np.moveaxis(to_numpy(last(x)), -1, 1),
        rtol=1e-5,
        atol=1e-3,
    )
    assert layer(keras.Input((10, 12, 2))).shape == (None, 10, 12, 2)
    single = to_numpy(layer(x[0]))
    assert single.shape == x[0].shape


def test_random_elastic_transform_dicts_config_and_errors():
    layer = keras.layers.RandomElasticTransform(
        factor=1.0,
        scale=0.5,
        seed=4,
        interpolation="nearest",
        fill_mode="constant",
        fill_value=3.0,
        value_range=(0, 100),
    )
    config = layer.get_config()
    json.dumps(config)
    assert config["factor"] == [0.0, 1.0] and config["scale"] == [0.0, 0.5]
    assert config["fill_mode"] == "constant" and config["fill_value"] == 3.0
    assert config["value_range"] == [0, 100] and config["seed"] == 4
    assert keras.layers.RandomElasticTransform.from_config(config).get_config() == config
    defaults = keras.layers.RandomElasticTransform().get_config()
    assert defaults["fill_mode"] == "reflect" and defaults["interpolation"] == "bilinear"
    images = _images((3, 10, 12, 2), seed=1, high=100)
    masks = np.random.default_rng(2).integers(0, 3, (3, 10, 12, 2)).astype("float32")
    out = layer({"images": images, "segmentation_masks": masks})
    assert set(np.unique(to_numpy(out["segmentation_masks"]))) <= {0.0, 1.0, 2.0, 3.0}
    boxes = {"boxes": np.zeros((3, 1, 4), "float32"), "labels": np.zeros((3, 1), "int32")}
    with pytest.raises(NotImplementedError, match="bounding boxes"):
        keras.layers.RandomElasticTransform(bounding_box_format="xyxy", seed=1)(
            {"images": images, "bounding_boxes": boxes}
        )
    with pytest.raises(NotImplementedError, match="interpolation"):
        keras.layers.RandomElasticTransform(interpolation="bicubic")
    with pytest.raises(NotImplementedError, match="fill_mode"):
        keras.layers.RandomElasticTransform(fill_mode="edge")
    with pytest.raises(ValueError, match="factor"):
        keras.layers.RandomElasticTransform(factor=1.5)
    with pytest.raises(ValueError, match="scale"):
        keras.layers.RandomElasticTransform(scale=(-0.5, 0.5))


# --- AugMix -----------------------------------------------------------------------------


def _draws_for(layer, images, picks, chain_weights, weight, concrete):
    """AugMix draws with chosen picks and weights (the augmentations' own draws random)."""
    steps = [
        [
            [
                aug._transformation(images, True) if not concrete or picks[c][d] == k else None
                for k, aug in enumerate(layer.augmentations)
            ]
            for d in range(layer.chain_depth)
        ]
        for c in range(layer.num_chains)
    ]
    return {
        "picks": keras.ops.convert_to_tensor(np.array(picks, "int32")),
        "concrete_picks": picks if concrete else None,
        "chain_weights": keras.ops.convert_to_tensor(np.array(chain_weights, "float32")),
        "weight": keras.ops.convert_to_tensor(np.float32(weight)),
        "steps": steps,
    }


@pytest.mark.parametrize("concrete", [True, False])
def test_aug_mix_mixes_chains_of_its_augmentations(concrete):
    x = _images((2, 6, 6, 3), seed=3)
    # Eager calls run the picked augmentations only (`concrete`); traced ones compute all
    # of them and select (fewer steps there: every augmentation runs at every step).
    depth = 2 if concrete else 1
    layer = keras.layers.AugMix(num_chains=2, chain_depth=depth, all_ops=False, seed=1)
    names = [type(a).__name__ for a in layer.augmentations]
    assert names == [
        "RandomShear",
        "RandomTranslation",
        "RandomRotation",
        "RandomPosterization",
        "Solarization",
        "AutoContrast",
        "Equalization",
    ]
    none = len(names)
    tensor = keras.ops.convert_to_tensor(x)
    # Every step "no augmentation": the input comes back.
    draws = _draws_for(layer, tensor, [[none] * depth] * 2, [0.3, 0.7], 0.25, concrete)
    assert_outputs_close(layer._augment(tensor, draws, None), x, rtol=1e-5, atol=1e-3)
    # Chain 0: AutoContrast (then Equalization); chain 1: nothing.
    picks = [[5, 6], [none, none]] if concrete else [[6], [none]]
    draws = _draws_for(layer, tensor, picks, [0.6, 0.4], 0.25, concrete)
    chain = keras.layers.Equalization()(keras.layers.AutoContrast()(x) if concrete else x)
    expected = 0.25 * x + 0.75 * (0.6 * to_numpy(chain) + 0.4 * x)
    assert_outputs_close(
        layer._augment(tensor, draws, None), np.clip(expected, 0, 255), rtol=1e-5, atol=1e-3
    )


def test_aug_mix_behaviour_and_dicts():
    x = _images((2, 6, 6, 3), seed=4)
    names = [type(a).__name__ for a in keras.layers.AugMix().augmentations[7:]]
    assert names == [
        "RandomBrightness",
        "RandomColorDegeneration",
        "RandomContrast",
        "RandomSharpness",
    ]
    layer = keras.layers.AugMix(num_chains=1, chain_depth=2, all_ops=False, seed=6)
    out = to_numpy(layer(x))
    assert out.shape == x.shape and out.min() >= 0 and out.max() <= 255
    assert_outputs_close(layer(x, training=False), x)
    unit = keras.layers.AugMix(
        value_range=(0, 1), num_chains=1, chain_depth=1, all_ops=False, seed=2
    )
    y = to_numpy(unit(x / 255.0))
    assert y.min() >= 0 and y.max() <= 1
    first = keras.layers.AugMix(
        num_chains=1, chain_depth=1, all_ops=False, data_format="channels_first", seed=3
    )
    x_first = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    assert to_numpy(first(x_first)).shape == x_first.shape
    assert layer(keras.Input((6, 6, 3))).shape == (None, 6, 6, 3)
    boxes = {
        "boxes": np.array([[[1, 1, 5, 5]]] * 2, "float32"),
        "labels": np.zeros((2, 1), "int32"),
    }
    boxed = keras.layers.AugMix(
        num_chains=1, chain_depth=1, all_ops=False, bounding_box_format="xyxy", seed=1
    )({"images": x, "bounding_boxes": boxes})
    assert_outputs_close(boxed["bounding_boxes"]["boxes"], boxes["boxes"])


def test_aug_mix_config_and_errors():
    layer = keras.layers.AugMix(
        value_range=(0, 1),
        num_chains=2,
        chain_depth=4,
        factor=0.5,
        alpha=0.5,
        all_ops=False,
        interpolation="nearest",
        seed=9,
    )
    config = layer.get_config()
    json.dumps(config)
    assert config["factor"] == [0.0, 0.5] and config["alpha"] == 0.5
    assert config["num_chains"] == 2 and config["chain_depth"] == 4
    assert config["all_ops"] is False and config["interpolation"] == "nearest"
    assert config["value_range"] == [0, 1] and config["seed"] == 9
    assert keras.layers.AugMix.from_config(config).get_config() == config
    defaults = keras.layers.AugMix().get_config()
    assert defaults["factor"] == [0.0, 0.3] and defaults["num_chains"] == 3
    assert defaults["chain_depth"] == 3 and defaults["alpha"] == 1.0
    with pytest.raises(ValueError, match="num_chains"):
        keras.layers.AugMix(num_chains=0)
    with pytest.raises(ValueError, match="alpha"):
        keras.layers.AugMix(alpha=0)
    with pytest.raises(ValueError, match="factor"):
        keras.layers.AugMix(factor=2.0)
    with pytest.raises(ValueError, match="interpolation"):
        keras.layers.AugMix(interpolation="cubic")


@needs_training
def test_image_layers_train_inside_models():
    x = _images((8, 8, 8, 3), seed=5) / 255.0
    y = np.random.default_rng(0).integers(0, 2, (8,))
    inputs = keras.Input((8, 8, 3))
    h = keras.layers.AugMix(value_range=(0, 1), num_chains=1, chain_depth=1, all_ops=False, seed=1)(
        inputs
    )
    h = keras.layers.RandomElasticTransform(value_range=(0, 1), scale=0.5, seed=2)(h)
    h = CLAHE(value_range=(0, 1), tile_grid_size=(2, 2))(h)
    outputs = keras.layers.Dense(2, activation="softmax")(keras.layers.Flatten()(h))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=2, batch_size=4, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert model.predict(x, verbose=0).shape == (8, 2)
