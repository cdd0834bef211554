"""On an inference-only backend (numpy, openvino: `backend_info()["training"]` is False)
`compile` and `evaluate` work, while `fit`/`train_on_batch` fail at once, before touching the
data, with an error naming the backend and the training backend to install.
"""

import numpy as np
import pytest

import unikeras as keras
from unikeras.backend import table

pytestmark = pytest.mark.skipif(
    bool(table.backend_info()["training"]),
    reason="training backend: fit trains here (tests/test_training.py)",
)


def _model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    return model


def test_compile_and_evaluate_work():
    model = _model()
    x = np.arange(12, dtype="float32").reshape(4, 3) / 10
    y = np.ones((4, 1), "float32")
    loss, mae = model.evaluate(x, y, verbose=0)
    kernel, bias = model.get_weights()
    error = x @ kernel + bias - y
    np.testing.assert_allclose(loss, np.mean(error**2), rtol=1e-5)
    np.testing.assert_allclose(mae, np.mean(np.abs(error)), rtol=1e-5)


def test_fit_fails_before_any_data_work():
    def batches():
        raise AssertionError("fit read the data")
        yield  # pragma: no cover

    name = keras.backend.backend()
    model = _model()
    for run in (
        lambda: model.fit(batches(), epochs=1, verbose=0),
        lambda: model.train_on_batch(np.ones((2, 3), "float32"), np.ones((2, 1), "float32")),
    ):
        with pytest.raises(RuntimeError, match="inference only") as info:
            run()
        message = str(info.value)
        assert repr(name) in message and "pip install unikeras-" in message
        assert "UNIKERAS_BACKEND=" in message


def test_a_custom_train_step_may_run():
    class Counting(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)
            self.steps = 0

        def call(self, x):
            return self.dense(x)

        def train_step(self, data):
            self.steps += 1
            return {"steps": self.steps}

    model = Counting()
    model.compile(loss="mse")
    model.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), batch_size=2, verbose=0)
    assert model.steps == 2
