"""The optimizer's iteration counter has Keras 3.15.1's dtype on each backend: Keras 3
creates it with `dtype="int"`, int64 on TensorFlow and int32 elsewhere, so weights files
(`optimizer/vars/0`) hold the same integer width as Keras 3's on that backend."""

import h5py
import numpy as np
import pytest

import unikeras as keras

# keras/src/backend/common/dtypes.py PYTHON_DTYPES_MAP["int"] in Keras 3.15.1.
KERAS3_COUNTER_DTYPE = "int64" if keras.backend.backend() == "tensorflow" else "int32"
TRAINING = keras.backend.backend() not in ("numpy", "openvino")


def test_iteration_counter_dtype_is_keras3s():
    optimizer = keras.optimizers.Adam()
    optimizer.build([keras.Variable(np.ones((2,), "float32"))])
    assert optimizer.iterations.dtype == KERAS3_COUNTER_DTYPE
    scaled = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD())
    scaled.build([keras.Variable(np.ones((2,), "float32"))])
    assert scaled.iterations.dtype == KERAS3_COUNTER_DTYPE
    assert scaled.step_counter.dtype == KERAS3_COUNTER_DTYPE


@pytest.mark.skipif(not TRAINING, reason="inference-only backend: no fit to count steps")
def test_iteration_counter_in_weights_file(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((4, 3), "float32"), np.ones((4, 1), "float32")
    model.fit(x, y, batch_size=2, epochs=1, verbose=0)
    path = tmp_path / "m.weights.h5"
    model.save_weights(path)
    with h5py.File(path, "r") as f:
        stored = f["optimizer/vars/0"]
        assert (stored.dtype.name, int(stored[()])) == (KERAS3_COUNTER_DTYPE, 2)
    model.optimizer.iterations.assign(7)
    model.load_weights(path)
    assert int(keras.ops.convert_to_numpy(model.optimizer.iterations)) == 2
    assert model.optimizer.iterations.dtype == KERAS3_COUNTER_DTYPE
