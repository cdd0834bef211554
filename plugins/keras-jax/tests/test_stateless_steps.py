"""Keras 3's JAX custom steps, `train_step(self, state, data)` returning `(logs, state)`, as
the keras.io guide "Customizing what happens in fit() with JAX" writes them."""

import jax
import numpy as np
import pytest

import unikeras as keras


class StatelessStepModel(keras.Model):
    def compute_loss_and_updates(
        self, trainable_variables, non_trainable_variables, metrics_variables, x, y, sw, training
    ):
        y_pred, non_trainable_variables = self.stateless_call(
            trainable_variables, non_trainable_variables, x, training=training
        )
        loss, (trainable_variables, non_trainable_variables, metrics_variables) = (
            self.stateless_compute_loss(
                trainable_variables,
                non_trainable_variables,
                metrics_variables,
                x=x,
                y=y,
                y_pred=y_pred,
                sample_weight=sw,
                training=training,
            )
        )
        return loss, (y_pred, non_trainable_variables, metrics_variables)

    def _update_metrics(self, metrics_variables, loss, y, y_pred, sample_weight):
        new_metrics_vars, logs = [], {}
        for metric in self.metrics:
            start = len(new_metrics_vars)
            this_metric_vars = metrics_variables[start : start + len(metric.variables)]
            if metric.name == "loss":
                this_metric_vars = metric.stateless_update_state(
                    this_metric_vars, loss, sample_weight=sample_weight
                )
            else:
                this_metric_vars = metric.stateless_update_state(
                    this_metric_vars, y, y_pred, sample_weight=sample_weight
                )
            logs[metric.name] = metric.stateless_result(this_metric_vars)
            new_metrics_vars += this_metric_vars
        return logs, new_metrics_vars

    def train_step(self, state, data):
        trainable_variables, non_trainable_variables, optimizer_variables, metrics_variables = state
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        grad_fn = jax.value_and_grad(self.compute_loss_and_updates, has_aux=True)
        (loss, (y_pred, non_trainable_variables, metrics_variables)), grads = grad_fn(
            trainable_variables,
            non_trainable_variables,
            metrics_variables,
            x,
            y,
            sample_weight,
            training=True,
        )
        trainable_variables, optimizer_variables = self.optimizer.stateless_apply(
            optimizer_variables, grads, trainable_variables
        )
        logs, new_metrics_vars = self._update_metrics(
            metrics_variables, loss, y, y_pred, sample_weight
        )
        state = (
            trainable_variables,
            non_trainable_variables,
            optimizer_variables,
            new_metrics_vars,
        )
        return logs, state

    def test_step(self, state, data):
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        trainable_variables, non_trainable_variables, metrics_variables = state
        y_pred, non_trainable_variables = self.stateless_call(
            trainable_variables, non_trainable_variables, x, training=False
        )
        loss, (trainable_variables, non_trainable_variables, metrics_variables) = (
            self.stateless_compute_loss(
                trainable_variables,
                non_trainable_variables,
                metrics_variables,
                x=x,
                y=y,
                y_pred=y_pred,
                sample_weight=sample_weight,
                training=False,
            )
        )
        logs, new_metrics_vars = self._update_metrics(
            metrics_variables, loss, y, y_pred, sample_weight
        )
        return logs, (trainable_variables, non_trainable_variables, new_metrics_vars)


def _pair():
    inputs = keras.Input(shape=(4,))
    custom = StatelessStepModel(inputs, keras.layers.Dense(1)(inputs))
    inputs = keras.Input(shape=(4,))
    plain = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    plain.set_weights(custom.get_weights())
    for model in (custom, plain):
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    return custom, plain


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_stateless_train_and_test_steps_match_the_built_in_ones(run_eagerly):
    rng = np.random.default_rng(0)
    x = rng.random((16, 4)).astype("float32")
    y = rng.random((16, 1)).astype("float32")
    custom, plain = _pair()
    custom.run_eagerly = run_eagerly
    history = custom.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    expected = plain.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for got, want in zip(custom.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(history.history["loss"], expected.history["loss"], rtol=1e-5)
    np.testing.assert_allclose(history.history["mae"], expected.history["mae"], rtol=1e-5)
    got = custom.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    want = plain.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    assert got.keys() >= {"loss", "mae"}
    np.testing.assert_allclose(got["loss"], want["loss"], rtol=1e-5)
    np.testing.assert_allclose(got["mae"], want["mae"], rtol=1e-5)


class StatelessPredictModel(keras.Model):
    """Keras 3's JAX `predict_step(state, data)`: returns `(outputs, non_trainable)`."""

    def predict_step(self, state, data):
        trainable_variables, non_trainable_variables = state
        x, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        outputs, non_trainable_variables = self.stateless_call(
            trainable_variables, non_trainable_variables, x, training=False
        )
        return outputs * 2.0, non_trainable_variables


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_stateless_predict_step(run_eagerly):
    rng = np.random.default_rng(1)
    x = rng.random((10, 4)).astype("float32")
    inputs = keras.Input(shape=(4,))
    hidden = keras.layers.BatchNormalization()(keras.layers.Dense(3)(inputs))
    custom = StatelessPredictModel(inputs, keras.layers.Dense(2)(hidden))
    custom.compile(run_eagerly=run_eagerly)
    kernel, bias = (w.numpy() for w in custom.layers[1].weights)
    gamma, beta, mean, var = (w.numpy() for w in custom.layers[2].weights)
    k2, b2 = (w.numpy() for w in custom.layers[3].weights)
    h = (x @ kernel + bias - mean) / np.sqrt(var + 1e-3) * gamma + beta
    expected = 2.0 * (h @ k2 + b2)
    np.testing.assert_allclose(
        custom.predict(x, batch_size=4, verbose=0), expected, rtol=1e-5, atol=1e-6
    )
    # The built-in step takes Keras 3's stateless form too, and changes no Variable.
    state = (
        [v.value for v in custom.trainable_variables],
        [v.value for v in custom.non_trainable_variables],
    )
    outputs, non_trainable = keras.Model.predict_step(custom, state, (x,))
    np.testing.assert_allclose(np.asarray(outputs), expected / 2.0, rtol=1e-5)
    assert len(non_trainable) == len(custom.non_trainable_variables)
    np.testing.assert_allclose(np.asarray(non_trainable[0]), mean)


class SuperStatelessModel(keras.Model):
    """Keras 3's JAX trainer: an override of the stateless steps can call the built-in ones
    with `super().train_step(state, data)` / `super().test_step(state, data)`."""

    calls = 0

    def train_step(self, state, data):
        type(self).calls += 1
        logs, state = super().train_step(state, data)
        return {**logs, "twice_loss": logs["loss"] * 2.0}, state

    def test_step(self, state, data):
        logs, state = super().test_step(state, data)
        return {**logs, "twice_loss": logs["loss"] * 2.0}, state


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_super_stateless_steps_match_the_built_in_ones(run_eagerly):
    rng = np.random.default_rng(2)
    x = rng.random((16, 4)).astype("float32")
    y = rng.random((16, 1)).astype("float32")
    inputs = keras.Input(shape=(4,))
    custom = SuperStatelessModel(inputs, keras.layers.Dense(1)(inputs))
    inputs = keras.Input(shape=(4,))
    plain = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    plain.set_weights(custom.get_weights())
    for model in (custom, plain):
        model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse", metrics=["mae"])
    custom.run_eagerly = run_eagerly
    SuperStatelessModel.calls = 0
    history = custom.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    expected = plain.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    assert SuperStatelessModel.calls >= 1
    for got, want in zip(custom.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(history.history["loss"], expected.history["loss"], rtol=1e-5)
    np.testing.assert_allclose(history.history["mae"], expected.history["mae"], rtol=1e-5)
    np.testing.assert_allclose(
        history.history["twice_loss"], 2.0 * np.asarray(expected.history["loss"]), rtol=1e-5
    )
    assert int(custom.optimizer.iterations.numpy()) == 4
    got = custom.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    want = plain.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    np.testing.assert_allclose(got["loss"], want["loss"], rtol=1e-5)
    np.testing.assert_allclose(got["twice_loss"], 2.0 * want["loss"], rtol=1e-5)


def test_built_in_stateless_train_step_leaves_the_variables_unchanged():
    inputs = keras.Input(shape=(3,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="mse")
    x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")
    model.fit(x, y, epochs=1, verbose=0)  # builds the optimizer and metrics
    before = [v.numpy().copy() for v in model.trainable_variables]
    state = (
        [v.value for v in model.trainable_variables],
        [v.value for v in model.non_trainable_variables],
        [v.value for v in model.optimizer.variables],
        [v.value for v in model.metrics_variables],
    )
    logs, new_state = keras.Model.train_step(model, state, (x, y))
    assert len(new_state) == 4 and [len(s) for s in new_state] == [len(s) for s in state]
    for variable, value in zip(model.trainable_variables, before):
        np.testing.assert_array_equal(variable.numpy(), value)
    # SGD: kernel - 0.5 * d(mse)/d(kernel), with d(mse)/d(kernel) = x^T (2 (xW + b) / n) / 4.
    kernel, bias = before
    grad = x.T @ (2.0 * (x @ kernel + bias) / 2) / 4
    np.testing.assert_allclose(np.asarray(new_state[0][0]), kernel - 0.5 * grad, rtol=1e-5)
    np.testing.assert_allclose(float(logs["loss"]), np.mean((x @ kernel + bias) ** 2), rtol=1e-5)
    with pytest.raises(ValueError, match=r"train_step\(state, data\): `state` must hold 4"):
        keras.Model.train_step(model, state[:2], (x, y))
    logs, new_state = keras.Model.test_step(model, (state[0], state[1], state[3]), (x, y))
    assert len(new_state) == 3
    np.testing.assert_allclose(float(logs["loss"]), np.mean((x @ kernel + bias) ** 2), rtol=1e-5)
