"""Checks shared by the tests of the classic `keras.applications` families (ResNet, VGG,
Xception, Inception, MobileNet, NASNet).

`check_family` builds the smallest variant of a family with a small classifier on the active
backend and checks the prediction's shape; where Keras 3.15.1 is installed (the tox `jax`
env) it also builds Keras' model with the same arguments, checks layer names, weight paths,
shapes and parameter counts, copies Keras' weights in with `set_weights` and compares the
outputs on random images within 1e-4.
"""

import os
import re

import numpy as np

import unikeras

_ENGINE = unikeras.backend.backend()


def keras3_or_none():
    """Keras 3 on JAX where it is installed (the tox `jax` env), else `None`."""
    if _ENGINE != "jax":
        return None
    os.environ.setdefault("KERAS_BACKEND", _ENGINE)
    try:
        import keras
    except ImportError:
        return None
    if not keras.__version__.startswith("3.") or keras.backend.backend() != _ENGINE:
        return None
    return keras


def _normalized(name):
    # Auto-generated names (`conv2d_7`) depend on how many layers a session made before.
    return re.sub(r"_\d+(?=/|$)", "", name)


def check_family(name, size, classes=7, atol=1e-4, pooled_channels=None, **kwargs):
    """Builds `keras.applications.<name>` (weights=None, include_top, `classes`) at
    `size`x`size`, checks the output shape, and compares with Keras 3 where installed.

    With `pooled_channels` the model is built without top and with `pooling="avg"` (for
    VGG, whose 4096-wide classifier is slow to initialize) and gives that many features.
    """
    shape = (size, size, 3)
    if pooled_channels:
        kwargs.update(include_top=False, pooling="avg")
    ours = getattr(unikeras.applications, name)(
        weights=None, input_shape=shape, classes=classes, **kwargs
    )
    images = np.random.default_rng(0).uniform(-1, 1, (1,) + shape).astype("float32")
    predicted = ours.predict(images, verbose=0)
    if pooled_channels:
        assert predicted.shape == (1, pooled_channels)
    else:
        assert predicted.shape == (1, classes)
        np.testing.assert_allclose(predicted.sum(axis=-1), 1.0, rtol=1e-5)
    keras = keras3_or_none()
    if keras is None:
        return ours
    theirs = getattr(keras.applications, name)(
        weights=None, input_shape=shape, classes=classes, **kwargs
    )
    assert ours.name == theirs.name
    assert [_normalized(layer.name) for layer in ours.layers] == [
        _normalized(layer.name) for layer in theirs.layers
    ]
    assert [(_normalized(w.path), tuple(w.shape)) for w in ours.weights] == [
        (_normalized(w.path), tuple(w.shape)) for w in theirs.weights
    ]
    assert ours.count_params() == theirs.count_params()
    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(
        ours.predict(images, verbose=0),
        np.asarray(theirs.predict(images, verbose=0)),
        rtol=1e-4,
        atol=atol,
    )
    return ours


def write_keras_weights_file(model, path):
    """Writes `model`'s weights as a Keras 2 style `.h5` weights file (the format of Keras'
    ImageNet files: `layer_names` on the root, one group per layer with `weight_names`)."""
    import h5py

    with h5py.File(path, "w") as f:
        owners = [layer for layer in model.layers if layer.weights]
        f.attrs["layer_names"] = [layer.name.encode("utf8") for layer in owners]
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = b"2.2.4"
        for layer in owners:
            group = f.create_group(layer.name)
            names = [f"{layer.name}/{w.name}:0" for w in layer.weights]
            group.attrs["weight_names"] = [n.encode("utf8") for n in names]
            for weight_name, weight in zip(names, layer.weights):
                group.create_dataset(weight_name, data=unikeras.ops.convert_to_numpy(weight))


_CAFFE_MEAN = np.array([103.939, 116.779, 123.68])
_TORCH_MEAN = np.array([0.485, 0.456, 0.406])
_TORCH_STD = np.array([0.229, 0.224, 0.225])


def reference_preprocess(x, mode, data_format="channels_last"):
    """ImageNet preprocessing written independently with NumPy (float64)."""
    x = np.asarray(x, dtype="float64")
    if data_format == "channels_first":
        x = np.moveaxis(x, -3, -1)
    if mode == "tf":
        out = x / 127.5 - 1.0
    elif mode == "torch":
        out = (x / 255.0 - _TORCH_MEAN) / _TORCH_STD
    elif mode == "caffe":
        out = x[..., ::-1] - _CAFFE_MEAN
    else:
        out = x
    if data_format == "channels_first":
        out = np.moveaxis(out, -1, -3)
    return out


def check_preprocess(module_name, mode):
    """`keras.applications.<module_name>.preprocess_input` on NumPy arrays and tensors, both
    data formats, equals the NumPy reference of `mode` (and Keras 3's where installed)."""
    module = getattr(unikeras.applications, module_name)
    rng = np.random.default_rng(1)
    images = rng.uniform(0, 255, (2, 4, 5, 3)).astype("float32")
    for data_format, x in (
        ("channels_last", images),
        ("channels_first", np.moveaxis(images, -1, 1).copy()),
        ("channels_last", images[0]),
    ):
        expected = reference_preprocess(x, mode, data_format)
        out = module.preprocess_input(x.copy(), data_format=data_format)
        np.testing.assert_allclose(np.asarray(out), expected, rtol=1e-5, atol=1e-4)
        tensor_out = module.preprocess_input(
            unikeras.ops.convert_to_tensor(x.copy()), data_format=data_format
        )
        np.testing.assert_allclose(
            unikeras.ops.convert_to_numpy(tensor_out), expected, rtol=1e-5, atol=1e-4
        )
    uint8 = rng.integers(0, 256, (1, 3, 3, 3)).astype("uint8")
    out = module.preprocess_input(uint8.copy())
    np.testing.assert_allclose(np.asarray(out), reference_preprocess(uint8, mode), atol=1e-4)
    keras = keras3_or_none()
    if keras is not None:
        theirs = getattr(keras.applications, module_name).preprocess_input(images.copy())
        np.testing.assert_allclose(
            np.asarray(module.preprocess_input(images.copy())),
            np.asarray(theirs),
            rtol=1e-6,
            atol=1e-5,
        )
