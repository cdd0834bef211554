"""IoU metrics (IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU) have Keras 3.15.1's dtypes:
the confusion matrix is `"int"` by default (int64 on TensorFlow, int32 elsewhere), so float
sample weights are truncated with a warning, out-of-range ids count nowhere, the result is
float32 whatever `dtype` is, and get_config carries the dtype. Expected values are Keras
3.15.1's (checked on jax, torch and tensorflow) and NumPy's."""

import warnings

import numpy as np
import pytest

import unikeras as keras

KERAS3_INT = "int64" if keras.backend.backend() == "tensorflow" else "int32"
LABELS = np.array([0, 1, 2, 1])
PREDICTIONS = np.array([0, 2, 2, 1])

CASES = [
    ("IoU", dict(num_classes=3, target_class_ids=[0, 1]), 0.75),
    ("MeanIoU", dict(num_classes=3), 2 / 3),
    ("BinaryIoU", dict(), 1 / 3),
    ("OneHotIoU", dict(num_classes=3, target_class_ids=[0]), 1.0),
    ("OneHotMeanIoU", dict(num_classes=3), 2 / 3),
]


def _inputs(name):
    if name == "BinaryIoU":
        return np.array([0, 1, 1, 0.0]), np.array([0.2, 0.7, 0.4, 0.9])
    if name.startswith("OneHot"):
        return np.eye(3)[LABELS], np.eye(3)[PREDICTIONS]
    return LABELS, PREDICTIONS


@pytest.mark.parametrize("dtype", [None, "float64", "int32"])
@pytest.mark.parametrize("name,kwargs,expected", CASES, ids=[c[0] for c in CASES])
def test_dtypes_and_result(name, kwargs, expected, dtype):
    metric = getattr(keras.metrics, name)(**kwargs, dtype=dtype)
    want = dtype or KERAS3_INT
    assert metric.dtype == want
    assert [(v.name, v.dtype) for v in metric.variables] == [("total_confusion_matrix", want)]
    assert metric.get_config()["dtype"] == want
    metric.update_state(*_inputs(name))
    result = metric.result()
    assert keras.backend.standardize_dtype(result.dtype) == "float32"
    np.testing.assert_allclose(float(result), expected, rtol=1e-5)
    rebuilt = type(metric).from_config(metric.get_config())
    assert rebuilt.dtype == want and rebuilt.get_config() == metric.get_config()


def test_int_matrix_truncates_float_weights_and_skips_out_of_range_ids():
    metric = keras.metrics.MeanIoU(3)
    weights = np.array([0.5, 1.0, 1.0, 1.0, 1.0], "float32")
    with pytest.warns(UserWarning, match="truncated"):
        metric.update_state(np.array([0, 1, 2, 5, -1]), np.array([0, 2, 2, 1, 1]), weights)
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(metric.total_cm.value), [[0, 0, 0], [0, 0, 1], [0, 0, 1]]
    )
    np.testing.assert_allclose(float(metric.result()), 0.25, rtol=1e-5)

    as_float = keras.metrics.MeanIoU(3, dtype="float32")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        as_float.update_state(np.array([0, 1, 2, 5, -1]), np.array([0, 2, 2, 1, 1]), weights)
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(as_float.total_cm.value),
        [[0.5, 0, 0], [0, 0, 1], [0, 0, 1]],
    )
    np.testing.assert_allclose(float(as_float.result()), 0.5, rtol=1e-5)


@pytest.mark.parametrize("name,kwargs,expected", CASES, ids=[c[0] for c in CASES])
def test_update_state_returns_the_updated_confusion_matrix(name, kwargs, expected):
    # Keras 3.15.1 returns the accumulated matrix (rows: labels, columns: predictions).
    metric = getattr(keras.metrics, name)(**kwargs)
    y_true, y_pred = _inputs(name)
    labels = LABELS if name != "BinaryIoU" else y_true.astype(int)
    preds = PREDICTIONS if name != "BinaryIoU" else (y_pred >= 0.5).astype(int)
    size = 2 if name == "BinaryIoU" else 3
    once = np.zeros((size, size), int)
    np.add.at(once, (labels, preds), 1)
    metric.update_state(y_true, y_pred)
    returned = metric.update_state(y_true, y_pred)
    assert returned is not None
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(returned), 2 * once)
    assert keras.backend.standardize_dtype(returned.dtype) == KERAS3_INT
