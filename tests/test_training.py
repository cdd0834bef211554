"""Training through `fit` on the active backend: models learn, every optimizer descends, and
a few steps reproduce an independent NumPy training loop.

Written for any training backend (jax, torch, tensorflow, third-party ones). A training
backend whose plugin has no trainer mixin yet fails here on purpose.
"""

import os

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers
from unikeras.backend import table

if not table.backend_info()["training"]:
    pytest.skip("inference-only backend: fit raises by design", allow_module_level=True)


# --- data ----------------------------------------------------------------------------------


def blobs(n=480, dim=8, classes=3, seed=0):
    """Gaussian clusters around well separated centers; labels are the cluster indices."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=2.5, size=(classes, dim))
    labels = rng.integers(0, classes, size=n)
    x = centers[labels] + rng.normal(size=(n, dim))
    return x.astype("float32"), labels.astype("int32")


def bar_images(n=320, size=8, seed=0):
    """Noisy images with one horizontal (label 0) or vertical (label 1) bright bar."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, size=n)
    images = rng.normal(scale=0.3, size=(n, size, size, 1))
    where = rng.integers(1, size - 1, size=n)
    for i, (label, k) in enumerate(zip(labels, where)):
        if label == 0:
            images[i, k, :, 0] += 1.5
        else:
            images[i, :, k, 0] += 1.5
    return images.astype("float32"), labels.astype("int32")


def token_sequences(n=400, length=12, vocab=20, seed=0):
    """Token ids mostly from the first half of the vocabulary (label 0) or the second
    (label 1); a quarter of the tokens are drawn from the whole vocabulary."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, size=n)
    half = vocab // 2
    tokens = rng.integers(0, half, size=(n, length)) + half * labels[:, None]
    noise = rng.random((n, length)) < 0.25
    tokens = np.where(noise, rng.integers(0, vocab, size=(n, length)), tokens)
    return tokens.astype("int32"), labels.astype("int32")


def linear_data(n=64, seed=0):
    """`y = x @ w + b` with three features, no noise."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype("float32")
    y = x @ np.array([[1.5], [-2.0], [0.5]], "float32") + 0.7
    return x, y.astype("float32")


def mlp(dim=8, classes=3):
    return keras.Sequential(
        [
            keras.Input((dim,)),
            layers.Dense(16, activation="relu"),
            layers.Dense(classes, activation="softmax"),
        ]
    )


def linear_model():
    return keras.Sequential([keras.Input((3,)), layers.Dense(1)])


def mse(model, x, y):
    return float(np.mean((model.predict(x, verbose=0) - y) ** 2))


# --- models learn through fit ----------------------------------------------------------


VALIDATION_SPLIT = 0.25


def fit_and_check(model, x, y, tmp_path, optimizer, epochs, batch_size=32):
    """Fits with validation, EarlyStopping and ModelCheckpoint, then checks that the model
    learned and that the last epoch's validation logs are what `evaluate` returns."""
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    initial_loss = model.evaluate(x, y, batch_size=batch_size, verbose=0, return_dict=True)["loss"]
    checkpoints = str(tmp_path / "ckpt-{epoch:02d}.weights.h5")
    history = model.fit(
        x,
        y,
        batch_size=batch_size,
        epochs=epochs,
        validation_split=VALIDATION_SPLIT,
        shuffle=False,
        verbose=0,
        callbacks=[
            keras.callbacks.EarlyStopping(monitor="val_loss", patience=3),
            keras.callbacks.ModelCheckpoint(checkpoints, save_weights_only=True),
        ],
    )
    logs = history.history
    assert set(logs) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(logs["loss"]) == len(history.epoch) <= epochs
    assert logs["loss"][-1] <= initial_loss / 5, (initial_loss, logs["loss"])
    assert logs["accuracy"][-1] >= 0.9 and logs["val_accuracy"][-1] >= 0.85, logs
    assert sorted(os.listdir(tmp_path)) == [f"ckpt-{e + 1:02d}.weights.h5" for e in history.epoch]

    n_val = int(round(len(x) * VALIDATION_SPLIT))
    val = model.evaluate(x[-n_val:], y[-n_val:], batch_size=batch_size, verbose=0, return_dict=True)
    np.testing.assert_allclose(val["loss"], logs["val_loss"][-1], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(val["accuracy"], logs["val_accuracy"][-1], atol=1e-6)
    return history


def test_mlp_classifier_learns(tmp_path):
    keras.utils.set_random_seed(1)
    x, y = blobs()
    fit_and_check(mlp(), x, y, tmp_path, keras.optimizers.Adam(0.02), epochs=8)


def test_small_cnn_learns(tmp_path):
    keras.utils.set_random_seed(2)
    x, y = bar_images()
    model = keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            layers.Conv2D(8, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ]
    )
    fit_and_check(model, x, y, tmp_path, keras.optimizers.Adam(0.03), epochs=8)


def test_embedding_text_classifier_learns(tmp_path):
    keras.utils.set_random_seed(3)
    x, y = token_sequences()
    model = keras.Sequential(
        [
            keras.Input((12,), dtype="int32"),
            layers.Embedding(20, 8),
            layers.GlobalAveragePooling1D(),
            layers.Dense(2, activation="softmax"),
        ]
    )
    fit_and_check(model, x, y, tmp_path, keras.optimizers.Adam(0.05), epochs=8)


def test_early_stopping_stops_when_validation_loss_stalls():
    x, y = blobs(n=64)
    model = mlp()
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="sparse_categorical_crossentropy"
    )
    history = model.fit(
        x,
        y,
        epochs=20,
        validation_split=0.25,
        verbose=0,
        callbacks=[keras.callbacks.EarlyStopping(patience=2)],
    )
    assert history.epoch == [0, 1, 2]


# --- optimizers ------------------------------------------------------------------------------


OPTIMIZERS = {
    "sgd": dict(learning_rate=0.1),
    "adam": dict(learning_rate=0.05),
    "rmsprop": dict(learning_rate=0.05),
    "adamw": dict(learning_rate=0.05),
    "adagrad": dict(learning_rate=0.5),
    "adadelta": dict(learning_rate=1.0, epsilon=1e-2),
    "adamax": dict(learning_rate=0.1),
    "nadam": dict(learning_rate=0.05),
    "ftrl": dict(learning_rate=0.5),
    "lion": dict(learning_rate=0.15),  # sign updates: steps of at most lr per weight
    "adafactor": dict(learning_rate=0.5),
}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_reduces_a_linear_regression_loss(name):
    keras.utils.set_random_seed(4)
    x, y = linear_data()
    model = linear_model()
    optimizer = keras.optimizers.get({"class_name": name, "config": OPTIMIZERS[name]})
    model.compile(optimizer=optimizer, loss="mse")
    before = mse(model, x, y)
    history = model.fit(x, y, batch_size=16, epochs=15, verbose=0)
    after = mse(model, x, y)
    assert after < before / 10, (name, before, after)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert int(keras.ops.convert_to_numpy(optimizer.iterations)) == 15 * 4


# --- single batches, weights, compile options -------------------------------------------


def test_train_on_batch_and_test_on_batch():
    keras.utils.set_random_seed(5)
    x, y = blobs(n=64)
    model = mlp()
    model.compile(
        optimizer=keras.optimizers.Adam(0.05),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    first = model.test_on_batch(x, y)
    assert isinstance(first, list) and len(first) == 2
    losses = []
    for _ in range(30):
        model.reset_metrics()  # Keras 3 resets them itself only since 2026 (#22617)
        losses.append(model.train_on_batch(x, y)[0])
    assert losses[-1] < losses[0] / 5
    model.reset_metrics()
    logs = model.test_on_batch(x, y, return_dict=True)
    assert set(logs) == {"loss", "accuracy"}
    evaluated = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    np.testing.assert_allclose(logs["loss"], evaluated["loss"], rtol=1e-5)
    assert logs["loss"] < first[0] / 5 and logs["accuracy"] >= 0.9
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    assert isinstance(model.train_on_batch(x, y), float)


def _bias_only_probability(**fit_kwargs):
    """A sigmoid unit trained on constant inputs: it can only learn the (weighted) fraction
    of positive labels. Half the 40 labels are 1."""
    x = np.ones((40, 1), "float32")
    y = np.tile([0.0, 1.0], 20).astype("float32")[:, None]
    model = keras.Sequential(
        [keras.Input((1,)), layers.Dense(1, activation="sigmoid", kernel_initializer="zeros")]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss="binary_crossentropy")
    model.fit(x, y, batch_size=40, epochs=100, shuffle=False, verbose=0, **fit_kwargs)
    return float(np.mean(model.predict(x[:1], verbose=0)))


def test_sample_weight_and_class_weight_change_the_result():
    assert _bias_only_probability() == pytest.approx(0.5, abs=0.03)
    weights = np.tile([1.0, 4.0], 20).astype("float32")
    assert _bias_only_probability(sample_weight=weights) == pytest.approx(0.8, abs=0.03)
    assert _bias_only_probability(class_weight={0: 3.0, 1: 1.0}) == pytest.approx(0.25, abs=0.03)


def _train_linear(initial, **compile_kwargs):
    x, y = linear_data(n=32)
    model = linear_model()
    model.set_weights(initial)
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", **compile_kwargs)
    history = model.fit(x, y, batch_size=32, epochs=4, shuffle=False, verbose=0)
    return history.history["loss"], model.get_weights()


def test_jit_compile_and_run_eagerly_both_train_to_the_same_weights():
    initial = [np.full((3, 1), 0.1, "float32"), np.zeros((1,), "float32")]
    eager_losses, eager_weights = _train_linear(initial, run_eagerly=True)
    jit_losses, jit_weights = _train_linear(initial, jit_compile=True)
    assert eager_losses[-1] < eager_losses[0]
    np.testing.assert_allclose(jit_losses, eager_losses, rtol=1e-5)
    for jit, eager in zip(jit_weights, eager_weights):
        np.testing.assert_allclose(jit, eager, rtol=1e-5, atol=1e-6)


def test_regularization_losses_are_added_to_the_loss():
    x, y = linear_data(n=32)
    model = keras.Sequential(
        [keras.Input((3,)), layers.Dense(1, kernel_regularizer=keras.regularizers.L2(0.5))]
    )
    kernel = np.array([[1.0], [2.0], [-1.0]], "float32")
    model.set_weights([kernel, np.zeros((1,), "float32")])
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    expected = np.mean((x @ kernel - y) ** 2) + 0.5 * np.sum(kernel**2)
    np.testing.assert_allclose(model.test_on_batch(x, y), expected, rtol=1e-5)
    model.fit(x, y, batch_size=32, epochs=60, verbose=0)
    # The penalty pulls the kernel well inside the unregularized solution (1.5, -2, 0.5).
    assert np.sum(model.get_weights()[0] ** 2) < 0.5 * (1.5**2 + 2.0**2 + 0.5**2)


# --- exact agreement with a NumPy training loop --------------------------------------------


class NumpyMLP:
    """`tanh(x @ w1 + b1) @ w2 + b2` with MSE loss: hand-written forward and backward."""

    def __init__(self, weights):
        self.params = [np.asarray(w, "float64").copy() for w in weights]

    def gradients(self, x, y):
        w1, b1, w2, b2 = self.params
        hidden = np.tanh(x @ w1 + b1)
        out = hidden @ w2 + b2
        d_out = 2.0 * (out - y) / out.size
        d_pre = (d_out @ w2.T) * (1.0 - hidden**2)
        return [x.T @ d_pre, d_pre.sum(0), hidden.T @ d_out, d_out.sum(0)]


def sgd_rule(learning_rate):
    def update(param, grad, state, step):
        param -= learning_rate * grad

    return update


def adam_rule(learning_rate, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    def update(param, grad, state, step):
        m = state.setdefault("m", np.zeros_like(param))
        v = state.setdefault("v", np.zeros_like(param))
        m += (grad - m) * (1 - beta_1)
        v += (grad**2 - v) * (1 - beta_2)
        alpha = learning_rate * np.sqrt(1 - beta_2**step) / (1 - beta_1**step)
        param -= alpha * m / (np.sqrt(v) + epsilon)

    return update


def rmsprop_rule(learning_rate, rho=0.9, epsilon=1e-7):
    def update(param, grad, state, step):
        v = state.setdefault("v", np.zeros_like(param))
        v[...] = rho * v + (1 - rho) * grad**2
        param -= learning_rate * grad / np.sqrt(v + epsilon)

    return update


def numpy_training(weights, x, y, rule, epochs, batch_size):
    net = NumpyMLP(weights)
    states = [{} for _ in net.params]
    step = 0
    for _ in range(epochs):
        for start in range(0, len(x), batch_size):
            step += 1
            grads = net.gradients(x[start : start + batch_size], y[start : start + batch_size])
            for param, grad, state in zip(net.params, grads, states):
                rule(param, grad, state, step)
    return net.params


@pytest.mark.parametrize(
    "name, optimizer, rule",
    [
        ("sgd", lambda: keras.optimizers.SGD(0.1), sgd_rule(0.1)),
        ("adam", lambda: keras.optimizers.Adam(0.01), adam_rule(0.01)),
        ("rmsprop", lambda: keras.optimizers.RMSprop(0.01), rmsprop_rule(0.01)),
    ],
)
def test_fit_matches_a_numpy_training_loop(name, optimizer, rule):
    rng = np.random.default_rng(7)
    x = rng.normal(size=(40, 4)).astype("float32")
    y = (np.sin(x[:, :1]) + 0.5 * x[:, 1:2] * x[:, 2:3]).astype("float32")
    initial = [
        rng.normal(scale=0.5, size=shape).astype("float32")
        for shape in [(4, 6), (6,), (6, 1), (1,)]
    ]
    model = keras.Sequential(
        [keras.Input((4,)), layers.Dense(6, activation="tanh"), layers.Dense(1)]
    )
    model.set_weights(initial)
    model.compile(optimizer=optimizer(), loss="mse")
    model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    expected = numpy_training(
        initial, x.astype("float64"), y.astype("float64"), rule, epochs=3, batch_size=16
    )
    for got, want in zip(model.get_weights(), expected):
        np.testing.assert_allclose(got, want, atol=1e-4, err_msg=name)


def test_terminate_on_nan_keeps_the_last_good_checkpoint(tmp_path):
    keras.utils.set_random_seed(5)
    x, y = linear_data()
    model = linear_model()
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    path = str(tmp_path / "best.weights.h5")

    def poison(epoch, logs):
        if epoch == 2:  # from the third epoch on, every loss is NaN
            kernel = model.layers[-1].kernel
            kernel.assign(np.full(kernel.shape, np.nan, "float32"))

    history = model.fit(
        x,
        y,
        batch_size=16,
        epochs=6,
        verbose=0,
        callbacks=[
            keras.callbacks.LambdaCallback(on_epoch_begin=poison),
            keras.callbacks.ModelCheckpoint(
                path, monitor="loss", save_best_only=True, save_weights_only=True
            ),
            keras.callbacks.TerminateOnNaN(),
        ],
    )
    assert len(history.epoch) == 3  # stopped during the poisoned epoch
    assert np.isnan(model.get_weights()[0]).all()
    restored = linear_model()
    restored.load_weights(path)
    assert all(np.isfinite(w).all() for w in restored.get_weights())
    # The checkpoint holds the weights after the last good epoch: at least as good as that
    # epoch's running mean loss.
    assert mse(restored, x, y) <= history.history["loss"][1]


def test_predict_before_evaluate_keeps_accuracy_resolved_from_targets():
    # "accuracy" depends on the targets' shape; a predict first must not resolve it blind.
    x, y = blobs(n=64)
    model = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    predicted = model.predict(x, verbose=0)
    result = model.evaluate(x, y, verbose=0, return_dict=True)
    np.testing.assert_allclose(result["accuracy"], np.mean(predicted.argmax(1) == y), rtol=1e-6)
