"""A fixed small model, batch and loss whose gradients the gradient tests compare.

The gradient is read through training itself: one `train_on_batch` with SGD at learning rate
1 moves every weight by exactly minus its gradient, on any training backend.
"""

import numpy as np

import unikeras as keras

INPUTS, HIDDEN, OUTPUTS, BATCH = 3, 4, 2, 5


def initial_weights():
    rng = np.random.default_rng(7)
    return [
        rng.normal(size=(INPUTS, HIDDEN)).astype("float32") * 0.5,
        rng.normal(size=(HIDDEN,)).astype("float32") * 0.1,
        rng.normal(size=(HIDDEN, OUTPUTS)).astype("float32") * 0.5,
        rng.normal(size=(OUTPUTS,)).astype("float32") * 0.1,
    ]


def batch():
    rng = np.random.default_rng(8)
    x = rng.normal(size=(BATCH, INPUTS)).astype("float32")
    y = rng.normal(size=(BATCH, OUTPUTS)).astype("float32")
    return x, y


def model():
    net = keras.Sequential(
        [
            keras.Input((INPUTS,)),
            keras.layers.Dense(HIDDEN, activation="tanh"),
            keras.layers.Dense(OUTPUTS),
        ]
    )
    net.set_weights(initial_weights())
    return net


def loss_and_gradients():
    """Returns (loss at the initial weights, list of gradients) on the active backend."""
    net = model()
    net.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0), loss="mse")
    x, y = batch()
    loss = float(net.test_on_batch(x, y))
    net.train_on_batch(x, y)
    gradients = [w0 - w1 for w0, w1 in zip(initial_weights(), net.get_weights())]
    return loss, gradients


def numpy_loss(weights, x, y):
    """The same network and mean squared error in plain NumPy (float64)."""
    k1, b1, k2, b2 = [np.asarray(w, "float64") for w in weights]
    out = np.tanh(x @ k1 + b1) @ k2 + b2
    return np.mean((out - y) ** 2)
