"""`keras.config` (all 25 names) and `keras.backend.clear_session`/`get_uid`: the switches,
their defaults, what `clear_session` resets, `fit`/`evaluate`/`predict` honouring max
epochs/steps, and the progress bar going to the logger with interactive logging off."""

import inspect
import logging
import warnings

import numpy as np
import pytest

import unikeras as keras
from unikeras.backend import table

TRAINING = table.backend_info()["training"]
needs_training = pytest.mark.skipif(
    not TRAINING, reason="inference-only backend: fit raises by design"
)

CONFIG_NAMES = """backend disable_flash_attention disable_interactive_logging
disable_traceback_filtering dtype_policy enable_flash_attention enable_interactive_logging
enable_traceback_filtering enable_unsafe_deserialization epsilon floatx image_data_format
is_flash_attention_enabled is_interactive_logging_enabled is_nnx_enabled
is_traceback_filtering_enabled max_epochs max_steps_per_epoch set_backend set_dtype_policy
set_epsilon set_floatx set_image_data_format set_max_epochs set_max_steps_per_epoch""".split()


@pytest.fixture(autouse=True)
def _restore():
    yield
    keras.config.set_max_epochs(None)
    keras.config.set_max_steps_per_epoch(None)
    keras.backend.clear_session(free_memory=False)


def test_all_config_names_present():
    assert len(CONFIG_NAMES) == 25
    missing = [n for n in CONFIG_NAMES if not callable(getattr(keras.config, n, None))]
    assert missing == []
    assert list(inspect.signature(keras.config.set_backend).parameters) == ["backend"]
    assert inspect.signature(keras.backend.clear_session).parameters["free_memory"].default is True


def test_switches_and_defaults():
    assert keras.config.is_flash_attention_enabled() is None
    keras.config.disable_flash_attention()
    assert keras.config.is_flash_attention_enabled() is False
    keras.config.enable_flash_attention()
    assert keras.config.is_flash_attention_enabled() is None

    assert keras.config.is_traceback_filtering_enabled() is True
    keras.config.disable_traceback_filtering()
    assert keras.config.is_traceback_filtering_enabled() is False
    keras.config.enable_traceback_filtering()
    assert keras.config.is_traceback_filtering_enabled() is True

    assert keras.config.is_interactive_logging_enabled() is True
    keras.config.disable_interactive_logging()
    assert keras.config.is_interactive_logging_enabled() is False
    keras.config.enable_interactive_logging()
    assert keras.config.is_interactive_logging_enabled() is True

    assert keras.config.is_nnx_enabled() is False
    assert keras.config.max_epochs() is None and keras.config.max_steps_per_epoch() is None
    keras.config.set_max_epochs(3)
    keras.config.set_max_steps_per_epoch(5)
    assert keras.config.max_epochs() == 3 and keras.config.max_steps_per_epoch() == 5


def test_dtype_policy_applies_to_new_layers():
    assert keras.config.dtype_policy().name == keras.config.floatx()
    keras.config.set_dtype_policy("mixed_float16")
    policy = keras.config.dtype_policy()
    assert isinstance(policy, keras.dtype_policies.DTypePolicy)
    assert (policy.name, policy.compute_dtype, policy.variable_dtype) == (
        "mixed_float16",
        "float16",
        "float32",
    )
    layer = keras.layers.Dense(2)
    assert layer.compute_dtype == "float16" and layer.variable_dtype == "float32"
    keras.config.set_dtype_policy(keras.dtype_policies.DTypePolicy("float32"))
    assert keras.config.dtype_policy().name == "float32"
    with pytest.raises(ValueError, match="policy"):
        keras.config.set_dtype_policy(3)


def test_clear_session_resets_names_and_settings():
    keras.backend.clear_session()
    first = keras.layers.Dense(2)
    second = keras.layers.Dense(2)
    assert (first.name, second.name) == ("dense", "dense_1")
    assert keras.backend.get_uid("dense") == 3  # the counter naming layers
    assert keras.layers.Dense(2).name == "dense_3"
    assert [keras.backend.get_uid("my_prefix") for _ in range(3)] == [1, 2, 3]
    keras.config.set_dtype_policy("mixed_bfloat16")
    keras.config.disable_traceback_filtering()
    keras.config.disable_flash_attention()
    keras.config.disable_interactive_logging()
    keras.config.set_max_epochs(2)
    keras.backend.clear_session(free_memory=False)
    assert keras.layers.Dense(2).name == "dense"
    assert keras.backend.get_uid("my_prefix") == 1
    assert keras.config.dtype_policy().name == keras.config.floatx()
    assert keras.config.is_traceback_filtering_enabled() is True
    assert keras.config.is_flash_attention_enabled() is None
    assert keras.config.is_interactive_logging_enabled() is True
    assert keras.config.max_epochs() == 2  # as in Keras: not part of the session state


def test_clear_session_drops_pending_scopes():
    scope = keras.StatelessScope()
    scope.__enter__()
    keras.backend.clear_session()
    v = keras.Variable(np.ones(2, "float32"))  # would be refused inside a stateless scope
    v.assign(np.zeros(2, "float32"))
    np.testing.assert_array_equal(v.numpy(), np.zeros(2))


def _model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def _data(n=40):
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, 3)).astype("float32"), rng.normal(size=(n, 1)).astype("float32")


@needs_training
def test_fit_honours_max_epochs_and_steps():
    x, y = _data()
    keras.config.set_max_epochs(2)
    keras.config.set_max_steps_per_epoch(3)
    steps = []

    class Count(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            steps.append(batch)

    with pytest.warns(UserWarning, match="Limiting"):
        history = _model().fit(x, y, batch_size=4, epochs=5, verbose=0, callbacks=[Count()])
    assert len(history.history["loss"]) == 2
    assert history.params["epochs"] == 2
    assert steps == [0, 1, 2, 0, 1, 2]
    # A smaller `epochs` is kept.
    keras.config.set_max_epochs(4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        history = _model().fit(x, y, batch_size=4, epochs=1, verbose=0)
    assert len(history.history["loss"]) == 1


def test_predict_honours_max_steps_per_epoch():
    x, _ = _data(40)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    keras.config.set_max_steps_per_epoch(2)
    with pytest.warns(UserWarning, match="Limiting steps_per_epoch to 2"):
        out = model.predict(x, batch_size=4, verbose=0)
    assert out.shape == (8, 1)
    np.testing.assert_allclose(
        out,
        x[:8] @ model.layers[0].kernel.numpy() + model.layers[0].bias.numpy(),
        rtol=1e-5,
        atol=1e-5,
    )


def test_progress_bar_goes_to_logger_without_interactive_logging(capsys, caplog):
    x, _ = _data(8)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    keras.config.disable_interactive_logging()
    with caplog.at_level(logging.INFO), caplog.at_level(logging.INFO, logger="absl"):
        model.predict(x, batch_size=4, verbose=1)
    assert "2/2" not in capsys.readouterr().out
    assert any("2/2" in record.getMessage() for record in caplog.records)
    keras.config.enable_interactive_logging()
    caplog.clear()
    with caplog.at_level(logging.INFO), caplog.at_level(logging.INFO, logger="absl"):
        model.predict(x, batch_size=4, verbose=1)
    assert "2/2" in capsys.readouterr().out
    assert not any("2/2" in record.getMessage() for record in caplog.records)


def _frames(error):
    import traceback

    return [frame.filename for frame in traceback.extract_tb(error.__traceback__)]


def test_traceback_filtering_hides_internal_frames():
    import os

    import unikeras

    package_dir = os.path.dirname(os.path.abspath(unikeras.__file__))
    x, _ = _data(8)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])

    class Fails(keras.callbacks.Callback):
        def on_predict_batch_end(self, batch, logs=None):
            raise KeyError("raised by user code")

    def internal(frames):
        return [f for f in frames if os.path.abspath(f).startswith(package_dir)]

    with pytest.raises(KeyError) as filtered:
        model.predict(x, batch_size=4, verbose=0, callbacks=[Fails()])
    keras.config.disable_traceback_filtering()
    with pytest.raises(KeyError) as full:
        model.predict(x, batch_size=4, verbose=0, callbacks=[Fails()])
    assert _frames(filtered.value)[-1] == __file__  # the user's frame is kept
    assert _frames(full.value)[-1] == __file__
    assert len(internal(_frames(filtered.value))) <= 1  # only the filtering wrapper
    assert len(internal(_frames(full.value))) > 2


def test_summary_and_epoch_lines_follow_interactive_logging(capsys, caplog):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    keras.config.disable_interactive_logging()
    with caplog.at_level(logging.INFO), caplog.at_level(logging.INFO, logger="absl"):
        model.summary()
    assert "Total params" not in capsys.readouterr().out
    assert any("Total params" in record.getMessage() for record in caplog.records)
    if not TRAINING:
        return
    x, y = _data(8)
    model.compile(optimizer="sgd", loss="mse")
    caplog.clear()
    with caplog.at_level(logging.INFO), caplog.at_level(logging.INFO, logger="absl"):
        model.fit(x, y[:, :1].repeat(2, axis=1), batch_size=4, epochs=2, verbose=2)
    assert "Epoch 2/2" not in capsys.readouterr().out
    messages = [record.getMessage() for record in caplog.records]
    assert "Epoch 1/2" in messages and "Epoch 2/2" in messages


def test_set_backend_returns_none_and_a_new_import_uses_the_backend(run_python):
    # As Keras 3's `set_backend` (its docstring example shows no value for the call).
    code = (
        "import unikeras\n"
        "print(unikeras.config.set_backend('numpy'))\n"
        "import unikeras\n"
        "print(unikeras.backend.backend(), type(unikeras.ops.ones(())).__module__)\n"
    )
    proc = run_python(code, UNIKERAS_BACKEND="numpy")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["None", "numpy", "numpy"]
