"""Keras 3's SwapEMAWeights (with `use_ema=True` optimizers, MultiOptimizer included),
RemoteMonitor (against a local HTTP server), `TerminateOnNaN(raise_error=...)` and
OrbaxCheckpoint's install error."""

import http.server
import json
import threading
import urllib.parse
import warnings

import numpy as np
import pytest

import unikeras as keras
from unikeras import callbacks, optimizers
from unikeras.backend import table

needs_training = pytest.mark.skipif(
    not table.backend_info()["training"], reason="inference-only backend: fit raises by design"
)

RNG = np.random.default_rng(3)
X = RNG.normal(size=(16, 3)).astype("float32")
Y = (X @ np.array([[1.0], [-1.0], [0.5]], "float32")).astype("float32")


def _model(optimizer):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, name="out")])
    model.compile(optimizer=optimizer, loss="mse")
    return model


def _np_mse(weights):
    kernel, bias = weights
    return float(np.mean((X @ kernel + bias - Y) ** 2))


def _averages(optimizer):
    return [np.array(v.numpy()) for v in optimizer._model_variables_moving_average]


# --- SwapEMAWeights ----------------------------------------------------------------------------


@needs_training
def test_swap_ema_weights_evaluates_with_the_averages_and_restores():
    model = _model(optimizers.SGD(learning_rate=0.1, use_ema=True, ema_momentum=0.5))
    model.fit(X, Y, epochs=3, batch_size=4, verbose=0)
    trained = [np.array(w) for w in model.get_weights()]
    averages = _averages(model.optimizer)
    assert not np.allclose(trained[0], averages[0])
    loss = model.evaluate(X, Y, batch_size=16, verbose=0, callbacks=[callbacks.SwapEMAWeights()])
    np.testing.assert_allclose(loss, _np_mse(averages), rtol=1e-5)
    for now, before in zip(model.get_weights(), trained):
        np.testing.assert_array_equal(now, before)
    for now, before in zip(_averages(model.optimizer), averages):
        np.testing.assert_array_equal(now, before)
    # predict also runs with the averages and puts the trained weights back.
    prediction = model.predict(X, verbose=0, callbacks=[callbacks.SwapEMAWeights()])
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(prediction), X @ averages[0] + averages[1], rtol=1e-5, atol=1e-6
    )
    for now, before in zip(model.get_weights(), trained):
        np.testing.assert_array_equal(now, before)


@needs_training
def test_swap_ema_weights_during_fit_validation():
    seen = []

    class Recorder(callbacks.Callback):
        def on_test_end(self, logs=None):
            seen.append(
                ([np.array(w) for w in self.model.get_weights()], _averages(self.model.optimizer))
            )

    model = _model(optimizers.Adam(learning_rate=0.05, use_ema=True, ema_momentum=0.8))
    history = model.fit(
        X,
        Y,
        epochs=2,
        batch_size=4,
        verbose=0,
        validation_data=(X, Y),
        callbacks=[Recorder(), callbacks.SwapEMAWeights()],
    )
    # Validation ran on the averages: at Recorder.on_test_end (called before
    # SwapEMAWeights.on_test_end swaps back) the model holds them, and val_loss is their MSE.
    for (weights, _), val_loss in zip(seen, history.history["val_loss"]):
        np.testing.assert_allclose(val_loss, _np_mse(weights), rtol=1e-5)
    final_averages = _averages(model.optimizer)
    assert not np.allclose(model.get_weights()[0], final_averages[0])


@needs_training
def test_swap_ema_weights_swap_on_epoch():
    records = []

    class Before(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            records.append({"averages": _averages(self.model.optimizer)})

    class After(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            records[-1]["model"] = [np.array(w) for w in self.model.get_weights()]

    model = _model(optimizers.SGD(learning_rate=0.1, use_ema=True, ema_momentum=0.5))
    model.fit(
        X,
        Y,
        epochs=3,
        batch_size=4,
        verbose=0,
        callbacks=[Before(), callbacks.SwapEMAWeights(swap_on_epoch=True), After()],
    )
    for record in records:
        for a, b in zip(record["model"], record["averages"]):
            np.testing.assert_allclose(a, b)
    # After the last epoch the EMA weights stay in the model and the averages equal them.
    for w, a in zip(model.get_weights(), _averages(model.optimizer)):
        np.testing.assert_allclose(w, a)
    for w, a in zip(model.get_weights(), records[-1]["averages"]):
        np.testing.assert_allclose(w, a)


@needs_training
def test_swap_ema_weights_with_multi_optimizer():
    multi = optimizers.MultiOptimizer(
        optimizers.OptimizerMap(
            optimizers.SGD(learning_rate=0.1),
            {".*out/kernel": optimizers.SGD(learning_rate=0.1, use_ema=True, ema_momentum=0.5)},
        )
    )
    model = _model(multi)
    model.fit(X, Y, epochs=2, batch_size=4, verbose=0)
    kernel, bias = [np.array(w) for w in model.get_weights()]
    ema_optimizer = [o for o in multi.optimizers if o.use_ema][0]
    (kernel_average,) = _averages(ema_optimizer)
    loss = model.evaluate(X, Y, batch_size=16, verbose=0, callbacks=[callbacks.SwapEMAWeights()])
    np.testing.assert_allclose(loss, _np_mse([kernel_average, bias]), rtol=1e-5)
    np.testing.assert_array_equal(model.get_weights()[0], kernel)


@needs_training
def test_swap_ema_weights_requires_use_ema():
    model = _model(optimizers.SGD())
    model.fit(X, Y, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="use_ema=True"):
        model.evaluate(X, Y, verbose=0, callbacks=[callbacks.SwapEMAWeights()])
    multi = _model(optimizers.MultiOptimizer(optimizers.OptimizerMap(optimizers.SGD())))
    multi.fit(X, Y, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="at least one inner optimizer"):
        multi.evaluate(X, Y, verbose=0, callbacks=[callbacks.SwapEMAWeights()])


# --- RemoteMonitor ------------------------------------------------------------------------------


class _Server:
    """An HTTP server on 127.0.0.1 (free port) recording each POST in a thread."""

    def __init__(self):
        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                received.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": self.rfile.read(length).decode("utf-8"),
                    }
                )
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.root = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_remote_monitor_posts_form_encoded_json():
    with _Server() as server:
        monitor = callbacks.RemoteMonitor(
            root=server.root, path="/events/", headers={"X-Run": "abc"}
        )
        monitor.on_epoch_end(0, {"loss": np.float32(0.5), "acc": np.array(0.25), "lr": 0.1})
        monitor.on_epoch_end(1, {"loss": 0.25})
    assert [r["path"] for r in server.received] == ["/events/", "/events/"]
    first = server.received[0]
    assert first["headers"]["X-Run"] == "abc"
    assert first["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    form = urllib.parse.parse_qs(first["body"])
    assert json.loads(form["data"][0]) == {"epoch": 0, "loss": 0.5, "acc": 0.25, "lr": 0.1}
    assert json.loads(urllib.parse.parse_qs(server.received[1]["body"])["data"][0]) == {
        "epoch": 1,
        "loss": 0.25,
    }


def test_remote_monitor_send_as_json_and_custom_field():
    with _Server() as server:
        callbacks.RemoteMonitor(root=server.root, send_as_json=True).on_epoch_end(
            3, {"loss": np.float64(1.5)}
        )
        callbacks.RemoteMonitor(root=server.root, field="payload").on_epoch_end(4, {"loss": 2.0})
    as_json, as_form = server.received
    assert as_json["path"] == "/publish/epoch/end/"
    assert as_json["headers"]["Content-Type"] == "application/json"
    assert json.loads(as_json["body"]) == {"epoch": 3, "loss": 1.5}
    assert json.loads(urllib.parse.parse_qs(as_form["body"])["payload"][0]) == {
        "epoch": 4,
        "loss": 2.0,
    }


def test_remote_monitor_unreachable_server_warns():
    with _Server() as server:
        root = server.root
    monitor = callbacks.RemoteMonitor(root=root)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        monitor.on_epoch_end(0, {"loss": 1.0})
    assert any("Could not reach RemoteMonitor root server" in str(w.message) for w in caught)


def test_remote_monitor_defaults():
    monitor = callbacks.RemoteMonitor()
    assert (monitor.root, monitor.path, monitor.field, monitor.headers, monitor.send_as_json) == (
        "http://localhost:9000",
        "/publish/epoch/end/",
        "data",
        None,
        False,
    )


@needs_training
def test_remote_monitor_in_fit():
    model = _model(optimizers.SGD(learning_rate=0.05))
    with _Server() as server:
        history = model.fit(
            X,
            Y,
            epochs=2,
            batch_size=8,
            verbose=0,
            callbacks=[callbacks.RemoteMonitor(root=server.root, send_as_json=True)],
        )
    sent = [json.loads(r["body"]) for r in server.received]
    assert [s["epoch"] for s in sent] == [0, 1]
    np.testing.assert_allclose([s["loss"] for s in sent], history.history["loss"], rtol=1e-6)


# --- TerminateOnNaN -----------------------------------------------------------------------------


def test_terminate_on_nan_signature():
    assert callbacks.TerminateOnNaN().raise_error is False
    assert callbacks.TerminateOnNaN(raise_error=True).raise_error is True


@needs_training
def test_terminate_on_nan_stops_or_raises():
    y_nan = Y.copy()
    y_nan[5] = np.nan
    ended = []

    class EndRecorder(callbacks.Callback):
        def on_train_end(self, logs=None):
            ended.append(True)

    model = _model(optimizers.SGD(learning_rate=0.01))
    history = model.fit(
        X,
        y_nan,
        epochs=3,
        batch_size=4,
        verbose=0,
        shuffle=False,
        callbacks=[callbacks.TerminateOnNaN(), EndRecorder()],
    )
    assert len(history.history["loss"]) == 1 and ended == [True]
    model = _model(optimizers.SGD(learning_rate=0.01))
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 1"):
        model.fit(
            X,
            y_nan,
            epochs=3,
            batch_size=4,
            verbose=0,
            shuffle=False,
            callbacks=[callbacks.TerminateOnNaN(raise_error=True), EndRecorder()],
        )
    assert ended == [True]  # on_train_end was not run for the raising fit


# --- OrbaxCheckpoint ----------------------------------------------------------------------------


def test_orbax_checkpoint_names_its_install():
    try:
        import orbax.checkpoint  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pip install orbax-checkpoint"):
            callbacks.OrbaxCheckpoint("/tmp/ckpt")
    else:  # pragma: no cover - orbax is not a test dependency
        with pytest.raises(NotImplementedError, match="OrbaxCheckpoint"):
            callbacks.OrbaxCheckpoint("/tmp/ckpt")
