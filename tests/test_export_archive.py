"""`keras.export.ExportArchive` and `model.export(path, format="tf_saved_model")`: models
on the tensorflow backend written as TensorFlow SavedModels, reloaded with plain
`tf.saved_model.load` and served with the same predictions; errors named as in Keras 3."""

import importlib.util
import sys

import numpy as np
import pytest

import unikeras as keras
from unikeras import export

HAS_TF = importlib.util.find_spec("tensorflow") is not None
ON_TF = keras.backend.backend() == "tensorflow"
ON_JAX = keras.backend.backend() == "jax"
needs_archive = pytest.mark.skipif(
    not (ON_TF or (ON_JAX and HAS_TF)),
    reason="ExportArchive runs on the tensorflow backend, or on jax (through jax2tf) with "
    "TensorFlow installed; elsewhere it raises NotImplementedError (tested here)",
)
needs_tf_backend = pytest.mark.skipif(
    not ON_TF,
    reason="ExportArchive traces with TensorFlow ops: it runs on the tensorflow "
    "backend (elsewhere it raises NotImplementedError, and model.export goes "
    "through a tensorflow subprocess: both tested here)",
)

RNG = np.random.default_rng(5)
X = RNG.normal(size=(6, 3)).astype("float32")


def _model():
    keras.utils.set_random_seed(1)
    return keras.Sequential(
        [
            keras.Input((3,), name="features"),
            keras.layers.Dense(4, activation="relu"),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(2, name="head"),
        ]
    )


def _np(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def test_missing_tensorflow_names_the_install(monkeypatch):
    model = _model()
    monkeypatch.setitem(sys.modules, "tensorflow", None)  # `import tensorflow` now fails
    with pytest.raises(ImportError, match="pip install tensorflow"):
        export.ExportArchive()
    with pytest.raises(ImportError, match="pip install tensorflow"):
        model.export("unused", format="tf_saved_model")


def test_namespace():
    assert keras.export.ExportArchive is export.ExportArchive


def test_model_export_defaults_to_tf_saved_model():
    import inspect

    params = inspect.signature(keras.Model.export).parameters
    assert params["format"].default == "tf_saved_model"
    assert params["verbose"].default is None


@pytest.mark.skipif(
    not HAS_TF or ON_TF or ON_JAX,
    reason="needs TensorFlow installed and a backend other than tensorflow/jax",
)
def test_other_backends_get_a_clear_error():
    archive = export.ExportArchive()
    with pytest.raises(NotImplementedError, match="tensorflow or jax backend"):
        archive.track(_model())


@pytest.mark.skipif(
    not HAS_TF or ON_TF, reason="needs TensorFlow installed and another backend active"
)
def test_model_export_from_another_backend_goes_through_tensorflow(tmp_path):
    import tensorflow as tf

    a, b = keras.Input((3,), name="a"), keras.Input((2,), name="b")
    merged = keras.layers.Concatenate()([keras.layers.Dense(4, activation="tanh")(a), b])
    model = keras.Model([a, b], keras.layers.Dense(2)(merged))
    xb = RNG.normal(size=(6, 2)).astype("float32")
    path = str(tmp_path / "from_other")
    model.export(
        path,
        verbose=False,
        input_signature=[
            [
                keras.InputSpec(shape=(None, 3), dtype="float32"),
                keras.InputSpec(shape=(None, 2), dtype="float32"),
            ]
        ],
    )
    reloaded = tf.saved_model.load(path)
    np.testing.assert_allclose(
        reloaded.serve([X, xb]).numpy(),
        _np(model.predict([X, xb], verbose=0)),
        rtol=1e-5,
        atol=1e-6,
    )


@needs_tf_backend
def test_model_export_serves_the_same_predictions(tmp_path, capsys):
    import tensorflow as tf

    model = _model()
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, RNG.normal(size=(6, 2)).astype("float32"), epochs=1, verbose=0)
    path = tmp_path / "saved"
    model.export(str(path))
    assert "Endpoint 'serve'" in capsys.readouterr().out
    reloaded = tf.saved_model.load(str(path))
    expected = _np(model.predict(X, verbose=0))
    np.testing.assert_allclose(reloaded.serve(X).numpy(), expected, rtol=1e-6, atol=1e-6)
    assert set(reloaded.signatures) == {"serve", "serving_default"}
    served = reloaded.signatures["serving_default"](tf.constant(X))
    np.testing.assert_allclose(list(served.values())[0].numpy(), expected, rtol=1e-6, atol=1e-6)
    # Any batch size (the batch dimension stays unknown).
    np.testing.assert_allclose(reloaded.serve(X[:1]).numpy(), expected[:1], rtol=1e-6, atol=1e-6)
    kernels = sorted(v.shape.as_list() for v in reloaded.trainable_variables)
    assert kernels == [[2], [3, 4], [4], [4, 2]]


@needs_archive
def test_export_archive_endpoints_and_collections(tmp_path):
    import tensorflow as tf

    model = _model()
    model.build((None, 3))
    archive = export.ExportArchive()
    archive.track(model)
    spec = [keras.InputSpec(shape=(None, 3), dtype="float32")]
    archive.add_endpoint("call_inference", lambda x: model(x, training=False), spec)
    # Random draws take the unknown batch size on tensorflow; under jax2tf they need a
    # static one.
    batch = None if ON_TF else 64
    archive.add_endpoint(
        "call_training", lambda x: model(x, training=True), [tf.TensorSpec((batch, 3), tf.float32)]
    )
    archive.add_variable_collection("head_weights", model.get_layer("head").weights)
    assert len(archive.variables) >= 4 and len(archive.trainable_variables) == 4
    archive.write_out(str(tmp_path / "archive"), verbose=False)
    reloaded = tf.saved_model.load(str(tmp_path / "archive"))
    expected = _np(model(X, training=False))
    np.testing.assert_allclose(reloaded.call_inference(X).numpy(), expected, rtol=1e-6, atol=1e-6)
    trained = reloaded.call_training(np.ones((64, 3), "float32")).numpy()
    assert trained.shape == (64, 2)
    assert not np.allclose(trained, _np(model(np.ones((64, 3), "float32"), training=False)))
    assert set(reloaded.signatures) == {"call_inference", "call_training", "serving_default"}
    head = model.get_layer("head")
    np.testing.assert_array_equal(reloaded.head_weights[0].numpy(), _np(head.kernel.value))
    np.testing.assert_array_equal(reloaded.head_weights[1].numpy(), _np(head.bias.value))


@needs_tf_backend
def test_functional_model_with_two_inputs(tmp_path):
    import tensorflow as tf

    a, b = keras.Input((3,), name="a"), keras.Input((2,), name="b")
    merged = keras.layers.Concatenate()([keras.layers.Dense(4)(a), b])
    model = keras.Model([a, b], keras.layers.Dense(1)(merged))
    xb = RNG.normal(size=(6, 2)).astype("float32")
    model.export(str(tmp_path / "two"), verbose=False)
    reloaded = tf.saved_model.load(str(tmp_path / "two"))
    np.testing.assert_allclose(
        reloaded.serve([X, xb]).numpy(),
        _np(model.predict([X, xb], verbose=0)),
        rtol=1e-6,
        atol=1e-6,
    )


@needs_tf_backend
def test_tf_function_endpoint_without_signature(tmp_path):
    import tensorflow as tf

    model = _model()
    model.build((None, 3))
    archive = export.ExportArchive()
    archive.track(model)

    @tf.function
    def never_called(x):
        return model(x)

    with pytest.raises(ValueError, match="has never been called"):
        archive.add_endpoint("serve", never_called)

    @tf.function
    def called(x):
        return model(x)

    called(tf.constant(X))
    archive.add_endpoint("serve", called)
    archive.write_out(str(tmp_path / "fn"), verbose=False)
    reloaded = tf.saved_model.load(str(tmp_path / "fn"))
    np.testing.assert_allclose(reloaded.serve(X).numpy(), _np(model(X)), rtol=1e-6, atol=1e-6)


@needs_archive
def test_export_archive_errors():
    archive = export.ExportArchive()
    with pytest.raises(ValueError, match="has not yet been built"):
        archive.track(keras.layers.Dense(2))
    with pytest.raises(ValueError, match="Invalid resource type"):
        archive.track("not a layer")
    model = _model()
    model.build((None, 3))
    archive.track(model)
    with pytest.raises(ValueError, match="must provide an `input_signature`"):
        archive.add_endpoint("serve", model.call)
    spec = [keras.InputSpec(shape=(None, 3), dtype="float32")]
    archive.add_endpoint("serve", model.call, spec)
    with pytest.raises(ValueError, match="already taken"):
        archive.add_endpoint("serve", model.call, spec)
    if not ON_JAX:
        with pytest.raises(ValueError, match="only supported with the jax backend"):
            archive.add_endpoint("other", model.call, spec, jax2tf_kwargs={})
    with pytest.raises(ValueError, match="list/tuple/set"):
        archive.add_variable_collection("weights", model.weights[0])
    with pytest.raises(ValueError, match="tf.Variable"):
        archive.add_variable_collection("weights", [1.0])
    with pytest.raises(ValueError, match="No endpoints"):
        export.ExportArchive().write_out("unused")


@needs_archive
def test_export_archive_two_inputs_with_unknown_batch(tmp_path):
    import tensorflow as tf

    a, b = keras.Input((3,), name="a"), keras.Input((2,), name="b")
    merged = keras.layers.Concatenate()([keras.layers.Dense(4, activation="tanh")(a), b])
    model = keras.Model([a, b], keras.layers.Dense(2)(merged))
    xb = RNG.normal(size=(6, 2)).astype("float32")
    archive = export.ExportArchive()
    archive.track_and_add_endpoint(
        "serve",
        model,
        [
            [
                keras.InputSpec(shape=(None, 3), dtype="float32"),
                keras.InputSpec(shape=(None, 2), dtype="float32"),
            ]
        ],
    )
    archive.write_out(str(tmp_path / "pair"), verbose=False)
    reloaded = tf.saved_model.load(str(tmp_path / "pair"))
    expected = _np(model.predict([X, xb], verbose=0))
    for rows in (6, 2):
        np.testing.assert_allclose(
            reloaded.serve([X[:rows], xb[:rows]]).numpy(), expected[:rows], rtol=1e-5, atol=1e-6
        )
