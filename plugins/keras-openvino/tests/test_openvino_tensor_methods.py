"""OpenVINO tensors have the `reshape` and `squeeze` methods Keras 3's OpenVINO tensors have
(Keras' docstring examples write `keras.ops.arange(6).reshape((3, 2))`)."""

import numpy as np

from unikeras import ops


def test_reshape_takes_a_tuple_or_integers():
    x = ops.arange(6)
    np.testing.assert_array_equal(
        ops.convert_to_numpy(x.reshape((3, 2))), np.arange(6).reshape(3, 2)
    )
    np.testing.assert_array_equal(
        ops.convert_to_numpy(x.reshape(2, -1)), np.arange(6).reshape(2, 3)
    )


def test_squeeze():
    x = ops.ones((1, 3, 1))
    assert tuple(x.squeeze().shape) == (3,)
    assert tuple(x.squeeze(axis=0).shape) == (3, 1)
