"""Layer-owned integer counters have Keras 3.15.1's dtype on each backend: `add_weight(
dtype="int")` (Keras 3's `Normalization.count`, and any layer's own `"int"` variable) is
int64 on TensorFlow and int32 elsewhere, like the optimizer's iteration counter, so weights
files hold Keras 3's integer width; a file written under a backend of the other width loads."""

import h5py
import numpy as np

import unikeras as keras

# keras/src/backend/common/dtypes.py PYTHON_DTYPES_MAP["int"] in Keras 3.15.1 (Keras 3.15.1's
# Normalization.count: int32 on jax and torch, int64 on tensorflow, checked with each).
KERAS3_INT = "int64" if keras.backend.backend() == "tensorflow" else "int32"
OTHER_INT = "int32" if KERAS3_INT == "int64" else "int64"


class Counting(keras.layers.Layer):
    def build(self, shape):
        self.seen = self.add_weight(shape=(), dtype="int", initializer="zeros", name="seen")
        self.steps = self.add_weight(shape=(2,), dtype=int, initializer="ones", name="steps")
        self.exact = self.add_weight(shape=(), dtype="int32", initializer="zeros", name="exact")

    def call(self, x):
        return x


def test_int_variables_have_keras3s_width():
    layer = keras.layers.Normalization()
    layer.adapt(np.arange(12, dtype="float32").reshape(4, 3))
    assert [(v.name, v.dtype) for v in layer.weights] == [
        ("mean", "float32"),
        ("variance", "float32"),
        ("count", KERAS3_INT),
    ]
    counting = Counting()
    counting.build((None, 1))
    assert [v.dtype for v in counting.weights] == [KERAS3_INT, KERAS3_INT, "int32"]


def _integer_datasets(f):
    found = []

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset) and obj.dtype.kind == "i":
            found.append(name)

    f.visititems(visit)
    return found


def test_counter_loads_from_a_file_of_the_other_width(tmp_path):
    data = np.arange(12, dtype="float32").reshape(4, 3)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Normalization(), Counting()])
    model.layers[0].adapt(data)
    model.layers[1].seen.assign(5)
    path = tmp_path / "m.weights.h5"
    model.save_weights(path)
    with h5py.File(path, "r+") as f:
        names = _integer_datasets(f)
        assert len(names) == 4  # count, seen, steps, exact
        assert sorted(f[n].dtype.name for n in names) == sorted([KERAS3_INT] * 3 + ["int32"])
        for name in names:  # as written under a backend of the other width
            value = f[name][()]
            del f[name]
            f[name] = np.asarray(value + 1, dtype=OTHER_INT)
    model.load_weights(path)
    normalization, counting = model.layers
    assert normalization.count.dtype == KERAS3_INT
    assert int(keras.ops.convert_to_numpy(normalization.count)) == 1
    assert counting.seen.dtype == KERAS3_INT
    assert int(keras.ops.convert_to_numpy(counting.seen)) == 6
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(counting.steps), [2, 2])
    assert counting.exact.dtype == "int32"
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(normalization.mean), data.mean(0, keepdims=True), rtol=1e-6
    )
