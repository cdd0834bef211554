"""Engine layers: TorchModuleWrapper (torch), JaxLayer / FlaxLayer (jax), TFSMLayer
(tensorflow). Each works on its backend (outputs equal the wrapped engine object's, its
parameters are the layer's variables and train in `fit`); every other backend raises a
`ValueError` naming the backend to use."""

import numpy as np
import pytest
from layer_checks import assert_outputs_close, rand

import unikeras as keras
from unikeras.backend import table

BACKEND = keras.backend.backend()
OWNER = {
    "TorchModuleWrapper": "torch",
    "JaxLayer": "jax",
    "FlaxLayer": "jax",
    "TFSMLayer": "tensorflow",
}
TRAINS = table.backend_info()["training"]


def _regression_data(seed=0):
    x = np.random.default_rng(seed).uniform(-1, 1, (32, 3)).astype("float32")
    y = x @ np.array([[1.0, -2.0], [0.5, 1.5], [-1.0, 0.25]], "float32") + 0.5
    return x, y


def _fit_lowers_loss(model, x, y, epochs=4):
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    history = model.fit(x, y, epochs=epochs, batch_size=8, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < losses[0], losses


@pytest.mark.parametrize("name", sorted(OWNER))
def test_engine_layers_name_their_backend_elsewhere(name):
    cls = getattr(keras.layers, name)
    assert issubclass(cls, keras.layers.Layer)
    if OWNER[name] == BACKEND:
        impl = keras.layers.engine_layers.engine_layer_class(name, BACKEND)
        assert issubclass(impl, cls) and impl is not cls
        return
    with pytest.raises(
        ValueError,
        match=f"only available with the {OWNER[name]} backend.*UNIKERAS_BACKEND={OWNER[name]}",
    ):
        cls(None)
    with pytest.raises(ValueError, match=f"{OWNER[name]} backend"):
        cls.from_config({"name": "x"})


# --- torch ------------------------------------------------------------------------------


@pytest.fixture
def torch_module():
    if BACKEND != "torch":
        pytest.skip("TorchModuleWrapper runs on the torch backend (checked to raise above)")
    import torch

    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Linear(3, 5), torch.nn.BatchNorm1d(5), torch.nn.ReLU(), torch.nn.Linear(5, 2)
    )


def test_torch_module_wrapper_tracks_parameters_and_matches_module(torch_module):
    import torch

    layer = keras.layers.TorchModuleWrapper(torch_module, name="wrapped")
    assert isinstance(layer, keras.layers.TorchModuleWrapper)
    params = list(torch_module.parameters())
    assert [v.value for v in layer.trainable_weights] == params  # the same Parameters
    assert [tuple(v.shape) for v in layer.trainable_weights] == [tuple(p.shape) for p in params]
    assert layer.weights[0].path == "wrapped/0_weight"
    assert layer.count_params() == sum(p.numel() for p in params)
    x = rand((4, 3), seed=1)
    torch_module.eval()
    expected = torch_module(torch.as_tensor(x)).detach().numpy()
    assert_outputs_close(layer(x, training=False), expected, rtol=1e-5, atol=1e-6)
    assert not torch_module.training
    layer(x, training=True)
    assert torch_module.training
    inputs = keras.Input((3,))
    assert layer(inputs).shape == (None, 2)
    fixed = keras.layers.TorchModuleWrapper(torch.nn.Linear(3, 4), output_shape=(None, 4))
    assert fixed(inputs).shape == (None, 4)
    assert fixed.compute_output_shape((None, 3)) == (None, 4)


def test_torch_module_wrapper_trains_saves_and_reloads(torch_module, tmp_path):
    import torch

    layer = keras.layers.TorchModuleWrapper(torch_module)
    inputs = keras.Input((3,))
    model = keras.Model(inputs, layer(inputs))
    x, y = _regression_data()
    before = [p.detach().clone() for p in torch_module.parameters()]
    running_mean = torch_module[1].running_mean.clone()
    _fit_lowers_loss(model, x, y)
    assert all(not torch.equal(b, p) for b, p in zip(before, torch_module.parameters()))
    assert not torch.equal(running_mean, torch_module[1].running_mean)
    predicted = model.predict(x, verbose=0)
    torch_module.eval()
    np.testing.assert_allclose(
        predicted, torch_module(torch.as_tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-5
    )
    path = str(tmp_path / "wrapped.keras")
    model.save(path)
    with pytest.raises(ValueError, match="torch.load"):
        keras.models.load_model(path)
    restored = keras.models.load_model(path, safe_mode=False)
    np.testing.assert_allclose(restored.predict(x, verbose=0), predicted, rtol=1e-5, atol=1e-6)
    config = layer.get_config()
    assert isinstance(config["module"], str) and config["output_shape"] is None
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.layers.TorchModuleWrapper.from_config(config)
    clone = keras.layers.TorchModuleWrapper.from_config(config, safe_mode=False)
    assert isinstance(clone.module, torch.nn.Sequential)


def test_torch_module_wrapper_argument_errors(torch_module):
    import torch

    with pytest.raises(ValueError, match="LazyModule"):
        keras.layers.TorchModuleWrapper(torch.nn.LazyLinear(3))
    with pytest.raises(TypeError, match="torch.nn.Module"):
        keras.layers.TorchModuleWrapper(lambda x: x)


# --- jax --------------------------------------------------------------------------------


@pytest.fixture
def jax_modules():
    if BACKEND != "jax":
        pytest.skip("JaxLayer runs on the jax backend (checked to raise above)")
    import jax
    import jax.numpy as jnp

    return jax, jnp


def test_jax_layer_init_fn_params_matches_function_and_trains(jax_modules):
    jax, jnp = jax_modules

    def init_fn(rng, inputs):
        return {"w": jax.random.normal(rng, (inputs.shape[-1], 2)) * 0.1, "b": jnp.zeros((2,))}

    def call_fn(params, inputs):
        return inputs @ params["w"] + params["b"]

    layer = keras.layers.JaxLayer(call_fn, init_fn)
    inputs = keras.Input((3,))
    assert layer(inputs).shape == (None, 2)
    assert sorted(tuple(w.shape) for w in layer.trainable_weights) == [(2,), (3, 2)]
    x, y = _regression_data()
    params = {k: np.asarray(v.value) for k, v in layer.params.items()}
    assert_outputs_close(layer(x), x @ params["w"] + params["b"], rtol=1e-5, atol=1e-6)
    model = keras.Model(inputs, layer(inputs))
    _fit_lowers_loss(model, x, y)
    trained = {k: np.asarray(v.value) for k, v in layer.params.items()}
    assert not np.allclose(trained["w"], params["w"])
    assert_outputs_close(
        model.predict(x, verbose=0), x @ trained["w"] + trained["b"], rtol=1e-5, atol=1e-5
    )


def test_jax_layer_with_state_rng_and_training(jax_modules):
    jax, jnp = jax_modules

    def call_fn(params, state, rng, inputs, training):
        out = inputs * params["scale"]
        if training:
            keep = jax.random.bernoulli(rng, 0.5, out.shape)
            out = jnp.where(keep, out / 0.5, 0.0)
            state = {"calls": state["calls"] + 1}
        return out, state

    layer = keras.layers.JaxLayer(
        call_fn,
        params={"scale": np.full((4,), 2.0, "float32")},
        state={"calls": np.zeros((), "float32")},
        seed=3,
    )
    assert layer.built and len(layer.trainable_weights) == 1
    assert len(layer.non_trainable_weights) == 1
    x = np.ones((2, 4), "float32")
    assert_outputs_close(layer(x), 2 * x)
    assert float(layer.state["calls"].value) == 0.0
    dropped = keras.ops.convert_to_numpy(layer(x, training=True))
    assert set(np.unique(dropped)) <= {0.0, 4.0}
    assert float(layer.state["calls"].value) == 1.0
    again = keras.ops.convert_to_numpy(layer(x, training=True))
    assert not np.array_equal(dropped, again)  # a new key per call
    assert layer(keras.Input((4,)), training=True).shape == (None, 4)
    assert float(layer.state["calls"].value) == 2.0  # shape inference assigns nothing


def test_jax_layer_argument_errors_and_config(jax_modules):
    def call_fn(params, inputs):
        return inputs

    with pytest.raises(ValueError, match="cannot all be `None`"):
        keras.layers.JaxLayer(call_fn)
    with pytest.raises(ValueError, match="not supported"):
        keras.layers.JaxLayer(lambda inputs, other: inputs)
    with pytest.raises(ValueError, match="inputs"):
        keras.layers.JaxLayer(lambda params: params, params={"a": np.ones(2)})
    layer = keras.layers.JaxLayer(lambda inputs: inputs * 2)
    assert_outputs_close(layer(np.ones((2, 2), "float32")), np.full((2, 2), 2.0))
    config = layer.get_config()
    assert config["call_fn"]["class_name"] == "function"
    assert config["init_fn"] is None


def test_flax_layer_trains_and_updates_batch_stats(jax_modules):
    nn = pytest.importorskip("flax.linen", reason="FlaxLayer needs flax (`pip install flax`)")
    jax, jnp = jax_modules

    class Block(nn.Module):
        @nn.compact
        def __call__(self, x, training):
            x = nn.Dense(6)(x)
            x = nn.BatchNorm(use_running_average=not training, momentum=0.5)(x)
            x = nn.Dropout(0.25, deterministic=not training)(x)
            return nn.Dense(2)(x)

    module = Block()
    layer = keras.layers.FlaxLayer(module, seed=1)
    assert isinstance(layer, keras.layers.FlaxLayer) and isinstance(layer, keras.layers.JaxLayer)
    inputs = keras.Input((3,))
    model = keras.Model(inputs, layer(inputs))
    assert len(layer.trainable_weights) == 6  # two Dense kernels/biases, BN scale/bias
    assert len(layer.non_trainable_weights) == 2  # BN mean/var
    x, y = _regression_data()
    means = [np.asarray(v.value).copy() for v in layer.non_trainable_weights]
    _fit_lowers_loss(model, x, y)
    assert not all(
        np.allclose(m, np.asarray(v.value)) for m, v in zip(means, layer.non_trainable_weights)
    )
    assert set(layer.params) == {"params"} and set(layer.state) == {"batch_stats"}
    variables = {
        **jax.tree_util.tree_map(lambda v: v.value, layer.params),
        **jax.tree_util.tree_map(lambda v: v.value, layer.state),
    }
    expected = module.apply(variables, x, training=False)
    np.testing.assert_allclose(
        model.predict(x, verbose=0), np.asarray(expected), rtol=1e-5, atol=1e-5
    )


def test_flax_layer_with_given_variables_and_method(jax_modules):
    nn = pytest.importorskip("flax.linen", reason="FlaxLayer needs flax (`pip install flax`)")
    jax, jnp = jax_modules

    class Twin(nn.Module):
        def setup(self):
            self.dense = nn.Dense(2)

        def __call__(self, x):
            return self.dense(x)

        def doubled(self, x):
            return 2 * self.dense(x)

    module = Twin()
    x = rand((4, 3), seed=2)
    variables = module.init(jax.random.PRNGKey(0), x)
    layer = keras.layers.FlaxLayer(module, method="doubled", variables=variables)
    assert layer.built
    assert_outputs_close(
        layer(x), np.asarray(module.apply(variables, x, method="doubled")), rtol=1e-5, atol=1e-6
    )
    with pytest.raises(TypeError, match="get_config"):
        layer.get_config()  # as Keras 3: an unregistered Flax module cannot be serialized


# --- tensorflow -------------------------------------------------------------------------


@pytest.fixture
def saved_model(tmp_path):
    if BACKEND != "tensorflow":
        pytest.skip("TFSMLayer runs on the tensorflow backend (checked to raise above)")
    import tensorflow as tf

    class Affine(tf.Module):
        def __init__(self):
            super().__init__()
            rng = np.random.default_rng(0)
            self.w = tf.Variable(rng.normal(size=(3, 2)).astype("float32"), name="w")
            self.b = tf.Variable(np.zeros(2, "float32"), name="b")
            self.offset = tf.Variable(np.ones(2, "float32"), trainable=False, name="offset")

        @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
        def serve(self, x):
            return tf.matmul(x, self.w) + self.b

        @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
        def shifted(self, x):
            return tf.matmul(x, self.w) + self.b + self.offset

    module = Affine()
    path = str(tmp_path / "affine")
    tf.saved_model.save(module, path, signatures={"by_signature": module.shifted})
    return path, module


def test_tfsm_layer_calls_endpoints_and_trains(saved_model):
    path, module = saved_model
    layer = keras.layers.TFSMLayer(path)
    assert isinstance(layer, keras.layers.TFSMLayer)
    assert [w.name for w in layer.trainable_weights] == ["w", "b"]
    x, y = _regression_data()
    w, b = module.w.numpy(), module.b.numpy()
    assert_outputs_close(layer(x), x @ w + b, rtol=1e-5, atol=1e-5)
    both = keras.layers.TFSMLayer(path, call_endpoint="serve", call_training_endpoint="shifted")
    assert [w.name for w in both.non_trainable_weights] == ["offset"]
    assert_outputs_close(both(x, training=True), x @ w + b + 1, rtol=1e-5, atol=1e-5)
    assert_outputs_close(both(x, training=False), x @ w + b, rtol=1e-5, atol=1e-5)
    signature = keras.layers.TFSMLayer(path, call_endpoint="by_signature")
    outputs = signature(x)
    value = outputs if not isinstance(outputs, dict) else next(iter(outputs.values()))
    assert_outputs_close(value, x @ w + b + 1, rtol=1e-5, atol=1e-5)
    inputs = keras.Input((3,))
    model = keras.Model(inputs, layer(inputs))
    assert model.output_shape == (None, 2) if hasattr(model, "output_shape") else True
    _fit_lowers_loss(model, x, y)
    trained = [keras.ops.convert_to_numpy(v) for v in layer.trainable_weights]
    assert not np.allclose(trained[0], w)
    assert_outputs_close(
        model.predict(x, verbose=0), x @ trained[0] + trained[1], rtol=1e-5, atol=1e-5
    )
    frozen = keras.layers.TFSMLayer(path, trainable=False)
    assert frozen.trainable_weights == [] and len(frozen.weights) == 2


def test_tfsm_layer_errors_and_config(saved_model):
    path, _ = saved_model
    with pytest.raises(ValueError, match="'missing' is neither an attribute"):
        keras.layers.TFSMLayer(path, call_endpoint="missing")
    layer = keras.layers.TFSMLayer(path, name="sm")
    config = layer.get_config()
    assert config["filepath"] == path and config["call_endpoint"] == "serve"
    assert config["call_training_endpoint"] is None
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.layers.TFSMLayer.from_config(config)
    clone = keras.layers.TFSMLayer.from_config(config, safe_mode=False)
    x = rand((2, 3))
    assert_outputs_close(clone(x), layer(x))
