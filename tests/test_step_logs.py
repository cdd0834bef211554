"""Step logs stay backend tensors in the fit/evaluate loops: they become Python floats only
when a callback reads batch logs (once per batch for all of them), when the progress bar
draws, and at the end of an epoch or evaluation."""

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers
from unikeras.backend import table
from unikeras.callbacks import callback_list
from unikeras.utils import progbar

TRAINING = table.backend_info()["training"]


@pytest.fixture
def conversions(monkeypatch):
    """Counts the log values converted to Python numbers."""
    count = [0]
    convert = callback_list._to_python

    def counting(value):
        count[0] += 1
        return convert(value)

    monkeypatch.setattr(callback_list, "_to_python", counting)
    return count


def _model():
    if not TRAINING:
        pytest.skip("inference-only backend: fit raises by design")
    model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    return model


def _data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(32, 3)).astype("float32"), rng.normal(size=(32, 1)).astype("float32")


def test_logs_converted_only_at_epoch_end(conversions):
    model = _model()
    x, y = _data()
    history = model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    # 8 steps per epoch, 2 log values (loss, mae): only the 2 epoch ends convert them.
    assert conversions[0] == 2 * 2
    assert all(type(v) is float for values in history.history.values() for v in values)
    conversions[0] = 0
    result = model.evaluate(x, y, batch_size=4, verbose=0, return_dict=True)
    assert conversions[0] == 2 and all(type(v) is float for v in result.values())


def test_batch_callbacks_get_floats_converted_once_per_batch(conversions):
    model = _model()
    x, y = _data()
    seen = []

    class Reader(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(logs)

    legacy = []
    lam = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: legacy.append(logs))
    model.fit(
        x,
        y,
        batch_size=4,
        epochs=1,
        verbose=0,
        callbacks=[Reader(), lam, keras.callbacks.TerminateOnNaN()],
    )
    assert len(seen) == 8 and all(type(v) is float for logs in seen for v in logs.values())
    assert [id(logs) for logs in legacy] == [id(logs) for logs in seen]  # shared conversion
    assert conversions[0] == 8 * 2 + 2


def test_progress_bar_draws_tensor_logs(monkeypatch, capsys):
    monkeypatch.setattr(progbar, "_is_dynamic", lambda: True)
    monkeypatch.setattr(progbar.Progbar, "__init__", _no_interval(progbar.Progbar.__init__))
    model = _model()
    x, y = _data()
    seen = []

    class Last(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(logs["loss"])

    model.fit(x, y, batch_size=4, epochs=1, verbose=1, callbacks=[Last()])
    lines = capsys.readouterr().out.split("\r")
    # The bar drawn after batch 3 shows that batch's running loss.
    drawn = next(line for line in lines if line.startswith("3/8 "))
    assert f"loss: {progbar.format_value(seen[2])}" in drawn


def _no_interval(init):
    def patched(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.interval = 0.0

    return patched
