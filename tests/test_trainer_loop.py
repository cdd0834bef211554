"""The shared fit/evaluate/predict loop (runs on every backend, numpy included)."""

import warnings

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers
from trainer_models import MeanModel, regression_data


def _compiled(model=None, **kwargs):
    model = model or MeanModel()
    model.compile(optimizer=None, **kwargs)
    return model


def test_fit_runs_the_whole_loop_with_a_custom_train_step():
    x, y = regression_data(10)
    model = _compiled()
    history = model.fit(x, y, batch_size=5, epochs=3, shuffle=False, verbose=0)
    assert history is model.history
    assert history.epoch == [0, 1, 2]
    assert history.history["w"] == [7.0, 7.0, 7.0]  # mean of the last batch (5..9)
    assert all(type(v) is float for v in history.history["loss"])
    assert float(model.w.numpy()) == 7.0


def test_ragged_last_batch_and_batch_counts():
    x, y = regression_data(10)
    model = _compiled()
    model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    assert [len(batch_y) for _, batch_y, _ in model.seen] == [4, 4, 2, 4, 4, 2]


def test_shuffle_permutes_each_epoch_and_keeps_pairs():
    x, y = regression_data(64)
    model = _compiled()
    model.fit(x, y, batch_size=64, epochs=2, shuffle=True, verbose=0)
    (x1, y1, _), (x2, y2, _) = model.seen
    assert sorted(y1.tolist()) == y.tolist() and not np.array_equal(y1, y)
    assert not np.array_equal(y1, y2)
    np.testing.assert_array_equal(x1[:, 0], y1 * 3)  # rows stay with their targets


def test_validation_split_takes_the_last_fraction_before_shuffling():
    x, y = regression_data(10)
    model = _compiled()
    history = model.fit(x, y, batch_size=10, epochs=1, validation_split=0.2, verbose=0)
    assert sorted(model.seen[0][1].tolist()) == list(range(8))
    np.testing.assert_array_equal(model.evaluated[0], [8.0, 9.0])
    assert set(history.history) == {"loss", "w", "val_loss"}


def test_validation_data_and_validation_freq():
    x, y = regression_data(10)
    model = _compiled()
    history = model.fit(
        x, y, epochs=4, validation_data=(x[:3], y[:3]), validation_freq=2, verbose=0
    )
    assert len(history.history["val_loss"]) == 2
    assert len(model.evaluated) == 2


def test_class_weight_becomes_sample_weight_in_the_step():
    x = np.zeros((4, 2), "float32")
    y = np.array([0, 1, 1, 0], "float32")
    model = _compiled()
    model.fit(x, y, batch_size=4, class_weight={0: 2.0, 1: 0.5}, shuffle=False, verbose=0)
    np.testing.assert_allclose(model.seen[0][2], [2.0, 0.5, 0.5, 2.0])
    assert float(model.w.numpy()) == pytest.approx(0.2)


def test_sample_weight_arrives_in_the_step():
    x, y = regression_data(4)
    weights = np.array([1.0, 0.0, 0.0, 1.0], "float32")
    model = _compiled()
    model.fit(x, y, batch_size=4, sample_weight=weights, shuffle=False, verbose=0)
    np.testing.assert_array_equal(model.seen[0][2], weights)
    assert float(model.w.numpy()) == pytest.approx(1.5)


def test_generator_with_steps_per_epoch_and_exhaustion():
    x, y = regression_data(6)

    def batches():
        for i in range(0, 6, 2):
            yield x[i : i + 2], y[i : i + 2]

    model = _compiled()
    with pytest.warns(UserWarning, match="ran out of data"):
        history = model.fit(batches(), steps_per_epoch=2, epochs=3, verbose=0)
    assert len(model.seen) == 3
    assert len(history.epoch) == 2


def test_finite_generator_defines_one_epoch():
    x, y = regression_data(6)
    model = _compiled()
    model.fit(((x[i : i + 3], y[i : i + 3]) for i in (0, 3)), epochs=1, verbose=0)
    assert len(model.seen) == 2


def test_steps_per_execution_groups_batches():
    x, y = regression_data(10)
    model = _compiled(steps_per_execution=2)
    ends = []
    record = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: ends.append(batch)
    )
    model.fit(x, y, batch_size=2, epochs=1, shuffle=False, verbose=0, callbacks=[record])
    assert len(model.seen) == 5
    assert ends == [1, 3, 4]


def test_initial_epoch_and_stop_training():
    x, y = regression_data(4)
    model = _compiled()
    history = model.fit(x, y, epochs=5, initial_epoch=3, verbose=0)
    assert history.epoch == [3, 4]

    def stop(epoch, logs):
        model.stop_training = True

    history = model.fit(
        x, y, epochs=5, verbose=0, callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=stop)]
    )
    assert history.epoch == [0]


def test_fit_needs_compile():
    x, y = regression_data(4)
    with pytest.raises(ValueError, match="compile"):
        MeanModel().fit(x, y, verbose=0)


def _dense_model(outputs=1, **dense_kwargs):
    inputs = keras.Input((3,))
    dense = layers.Dense(
        outputs, kernel_initializer="ones", bias_initializer="zeros", **dense_kwargs
    )
    return keras.Model(inputs, dense(inputs))


def test_fit_on_an_inference_only_backend_names_a_training_backend():
    if keras.backend.backend() != "numpy":
        pytest.skip("checks the numpy backend's inference-only error")
    model = _dense_model()
    model.compile(optimizer=None, loss="mse")
    x, y = regression_data(4)
    with pytest.raises(RuntimeError, match="pip install unikeras-jax"):
        model.fit(x, y, verbose=0)
    with pytest.raises(RuntimeError, match="inference only"):
        model.train_step((x, y))


def test_evaluate_with_a_compiled_loss_and_metric():
    x, y = regression_data(10)
    model = _dense_model()
    model.compile(optimizer=None, loss="mse", metrics=["mae"])
    y_pred = x.sum(axis=1)
    logs = model.evaluate(x, y, batch_size=4, verbose=0, return_dict=True)
    assert set(logs) == {"loss", "mae"}
    assert logs["loss"] == pytest.approx(np.mean((y_pred - y) ** 2), rel=1e-5)
    assert logs["mae"] == pytest.approx(np.mean(np.abs(y_pred - y)), rel=1e-5)
    loss, mae = model.evaluate(x, y, verbose=0)
    assert (loss, mae) == (pytest.approx(logs["loss"]), pytest.approx(logs["mae"]))


def test_evaluate_with_only_a_loss_returns_a_scalar_and_adds_regularization():
    x, y = regression_data(4)
    model = _dense_model(kernel_regularizer=keras.regularizers.L2(0.5))
    model.compile(optimizer=None, loss="mse")
    loss = model.evaluate(x, y, verbose=0)
    expected = np.mean((x.sum(axis=1) - y) ** 2) + 0.5 * 3
    assert isinstance(loss, float) and loss == pytest.approx(expected, rel=1e-5)


def test_weighted_metrics_use_sample_weight():
    x, y = regression_data(4)
    model = _dense_model()
    model.compile(optimizer=None, loss="mae", metrics=["mae"], weighted_metrics=["mae"])
    weights = np.array([1.0, 0.0, 0.0, 0.0], "float32")
    logs = model.evaluate(x, y, sample_weight=weights, verbose=0, return_dict=True)
    errors = np.abs(x.sum(axis=1) - y)
    assert logs["mae"] == pytest.approx(errors.mean(), rel=1e-5)
    assert logs["weighted_mae"] == pytest.approx(errors[0], rel=1e-5)


def test_multi_output_losses_weights_and_metric_prefixes():
    inputs = keras.Input((3,))
    first = layers.Dense(1, kernel_initializer="ones", name="first")(inputs)
    second = layers.Dense(1, kernel_initializer="zeros", name="second")(inputs)
    model = keras.Model(inputs, [first, second])
    model.compile(
        optimizer=None, loss=["mse", "mae"], loss_weights=[1.0, 2.0], metrics=[["mae"], ["mse"]]
    )
    x, y = regression_data(4)
    logs = model.evaluate(x, [y, y], verbose=0, return_dict=True)
    first_mse = np.mean((x.sum(axis=1) - y) ** 2)
    second_mae = np.mean(np.abs(y))
    assert logs["first_loss"] == pytest.approx(first_mse, rel=1e-5)
    assert logs["second_loss"] == pytest.approx(second_mae, rel=1e-5)
    assert logs["loss"] == pytest.approx(first_mse + 2 * second_mae, rel=1e-5)
    assert {"first_mae", "second_mse"} <= set(logs)
    by_name = model.evaluate(x, {"first": y, "second": y}, verbose=0, return_dict=True)
    assert by_name["loss"] == pytest.approx(logs["loss"], rel=1e-6)


def test_predict_concatenates_batches_of_structured_outputs():
    inputs = {"a": keras.Input((3,), name="a"), "b": keras.Input((3,), name="b")}
    total = layers.Add()([inputs["a"], inputs["b"]])
    model = keras.Model(inputs, {"sum": total, "double": layers.Add()([total, total])})
    x, _ = regression_data(10)
    out = model.predict({"a": x, "b": x}, batch_size=4, verbose=0)
    np.testing.assert_allclose(out["sum"], 2 * x)
    np.testing.assert_allclose(out["double"], 4 * x)


def test_predict_list_outputs_and_steps():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, [layers.Identity()(inputs), layers.Dense(2)(inputs)])
    x, _ = regression_data(10)
    out = model.predict(x, batch_size=3, verbose=0)
    assert [o.shape for o in out] == [(10, 3), (10, 2)]
    assert model.predict(x, batch_size=3, steps=2, verbose=0)[0].shape == (6, 3)


def test_single_batch_methods():
    x, y = regression_data(4)
    model = _compiled()
    logs = model.train_on_batch(x, y, return_dict=True)
    assert logs == {"loss": pytest.approx(1.25), "w": 1.5}
    assert model.train_on_batch(x, y, class_weight={0: 1.0, 1: 1.0}) == [pytest.approx(1.25), 1.5]
    assert model.test_on_batch(x, y) == pytest.approx(1.25)
    np.testing.assert_allclose(model.predict_on_batch(x), np.full((4, 1), 1.5))


def test_run_eagerly_and_jit_compile_flags():
    model = _compiled(run_eagerly=True, jit_compile=False)
    assert model.run_eagerly and not model.jit_compile
    x, y = regression_data(4)
    model.fit(x, y, verbose=0)


def test_attribute_metrics_are_tracked_and_reset():
    model = _compiled()
    model.tracker = keras.metrics.Mean(name="tracked")
    model.tracker.update_state(3.0)
    assert "tracked" in model.metrics_names
    model.reset_metrics()
    assert float(keras.ops.convert_to_numpy(model.tracker.result())) == 0.0


def test_no_warning_for_a_clean_fit():
    x, y = regression_data(4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _compiled().fit(x, y, epochs=2, verbose=0)
