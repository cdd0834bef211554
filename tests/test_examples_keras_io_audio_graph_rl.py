"""Pieces of keras.io audio, graph and reinforcement-learning examples that found unikeras
defects, run with `import unikeras as keras` on small synthetic data.

stft.py: `layers.STFTSpectrogram(..., trainable=False)` called eagerly and its output read
with NumPy (`np.concatenate`, `plt.imshow`); on torch the frozen layer's weights kept
`requires_grad`, so its output carried an autograd graph and NumPy refused it.
"""

import numpy as np
import pytest

import unikeras as keras


@pytest.fixture(autouse=True)
def _seeded():
    keras.utils.set_random_seed(1337)


def test_freezing_a_layer_freezes_its_weights_as_keras_3():
    # Keras 3: `layer.trainable = False` sets `trainable` of the weights created trainable
    # (not of those created non-trainable), and weights added to a frozen layer are frozen
    bn = keras.layers.BatchNormalization()
    bn.build((None, 3))
    bn.trainable = False
    assert [v.trainable for v in bn.weights] == [False] * 4
    bn.trainable = True
    assert [v.trainable for v in bn.weights] == [True, True, False, False]
    assert len(bn.trainable_weights) == 2

    frozen = keras.layers.Dense(2, trainable=False)
    frozen.build((None, 3))
    assert [v.trainable for v in frozen.weights] == [False, False]
    model = keras.Sequential([keras.layers.Input((3,)), frozen, keras.layers.Dense(1)])
    model.trainable = True
    assert [v.trainable for v in frozen.weights] == [True, True]
    model.trainable = False
    assert [v.trainable for v in model.weights] == [False] * 4
    assert model.trainable_weights == []


def test_frozen_stft_spectrogram_output_reads_as_numpy():
    layer = keras.layers.STFTSpectrogram(
        mode="log", frame_length=32, frame_step=8, fft_length=64, trainable=False
    )
    x = np.random.default_rng(0).normal(size=(1, 200, 1)).astype("float32")
    out = layer(x)[0, ...]
    spectrogram = np.asarray(out)  # the example's plt.imshow(spectrogram.T)
    assert spectrogram.shape == (22, 33)
    # Keras 3.15.1's values for this input (any backend)
    np.testing.assert_allclose(
        spectrogram[0, :4], [0.0972312, 0.20207119, 0.43030304, 0.61677295], rtol=1e-4
    )
    np.testing.assert_allclose(
        spectrogram[5, 10:13], [-0.0786742, -0.9126276, -0.5573784], rtol=1e-4
    )
    np.testing.assert_allclose(spectrogram.sum(), -224.0717, rtol=1e-5)
