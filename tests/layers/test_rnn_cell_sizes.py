"""`RNN` takes a cell's `state_size` as Keras 3 does (an int per state, or lists of them) and
refuses multi-dimensional ones with an error naming the layer, the cell and the entry: the
keras.io guide working_with_rnns' `NestedCell` declares `tf.TensorShape([unit_2, unit_3])`
sizes, which Keras 3.15.1 fails on too (an IndexError in the cell's `build`); unikeras failed
with "'NoneType' object is not iterable"."""

import numpy as np
import pytest

import unikeras as keras


class Shape:
    """A stand-in for `tf.TensorShape` (not a list or tuple), on every backend."""

    def __init__(self, dims):
        self.dims = list(dims)

    def __repr__(self):
        return f"Shape({self.dims})"


class NestedCell(keras.layers.Layer):
    """The guide's cell, with its `tf` calls written with `keras.ops`."""

    def __init__(self, unit_1, unit_2, unit_3, sizes=None, **kwargs):
        self.unit_1, self.unit_2, self.unit_3 = unit_1, unit_2, unit_3
        self.state_size = sizes or [Shape([unit_1]), Shape([unit_2, unit_3])]
        self.output_size = sizes[0] if sizes else self.state_size
        super().__init__(**kwargs)

    def build(self, input_shapes):
        self.kernel_1 = self.add_weight(shape=(input_shapes[0][1], self.unit_1), name="kernel_1")

    def call(self, inputs, states):
        state = states[0] + keras.ops.matmul(inputs[0], self.kernel_1)
        return state, [state]


def test_multi_dimensional_state_size_is_refused_clearly():
    rnn = keras.layers.RNN(NestedCell(2, 3, 4, name="nested_cell"), name="rnn")
    inputs = (keras.Input((None, 5)), keras.Input((None, 6, 7)))
    message = (
        r'Layer "rnn" \(RNN\): the cell "nested_cell" \(NestedCell\) declares '
        r"state_size=\[Shape\(\[2\]\), Shape\(\[3, 4\]\)\]; it must be an int or a list of "
        r"ints.* Received the entry Shape\(\[2\]\) of type Shape"
    )
    with pytest.raises(ValueError, match=message):
        rnn(inputs)
    eager = keras.layers.RNN(NestedCell(2, 3, 4))
    x = (np.ones((2, 3, 5), "float32"), np.ones((2, 3, 6, 7), "float32"))
    with pytest.raises(ValueError, match="must be an int or a list of ints"):
        eager(x)


def test_output_size_must_be_an_int():
    cell = NestedCell(2, 3, 4, sizes=[2])
    cell.output_size = (2,)
    with pytest.raises(ValueError, match=r"declares output_size=\(2,\); it must be an int,"):
        keras.layers.RNN(cell)(keras.Input((None, 5)))


def test_int_state_sizes_still_run():
    # The same cell with Keras 3's int sizes: the output is the running sum of x @ kernel.
    cell = NestedCell(2, 3, 4, sizes=[2])
    rnn = keras.layers.RNN(cell, return_sequences=True)
    x = np.arange(30, dtype="float32").reshape(2, 3, 5) / 10
    out = keras.ops.convert_to_numpy(rnn((x, np.ones((2, 3, 6, 7), "float32"))))
    kernel = keras.ops.convert_to_numpy(cell.kernel_1)
    np.testing.assert_allclose(out, np.cumsum(x @ kernel, axis=1), rtol=1e-5, atol=1e-6)
