"""Small models for the training-loop tests: they override `train_step` without gradients, so
the whole `fit` loop runs on every backend, including the inference-only numpy one."""

import numpy as np

import unikeras as keras
from unikeras import ops


class MeanModel(keras.Model):
    """Sets its weight `w` to the (weighted) mean of each batch's targets.

    Records every training batch as `(x, y, sample_weight)` NumPy arrays in `seen` and every
    evaluation batch in `evaluated`.
    """

    def __init__(self):
        super().__init__()
        self.w = self.add_weight(shape=(), initializer="zeros", name="w")
        self.built = True
        self.seen = []
        self.evaluated = []

    def call(self, x):
        return ops.zeros_like(x[:, :1]) + self.w

    def train_step(self, data):
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        x, y = np.asarray(x), np.asarray(y, dtype="float32")
        weights = None if sample_weight is None else np.asarray(sample_weight)
        self.seen.append((x, y, weights))
        new = float(np.average(y, weights=weights))
        self.w.assign(new)
        return {"loss": float(np.mean((y - new) ** 2)), "w": new}

    def test_step(self, data):
        x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        self.evaluated.append(np.asarray(y))
        return {"loss": float(np.mean((np.asarray(y) - float(self.w.numpy())) ** 2))}


class ScriptedModel(MeanModel):
    """Like `MeanModel`, but epoch `i` logs `loss = train[i]` and validation
    `loss = val[i]`, and `w` holds the epoch index after each epoch."""

    def __init__(self, train, val=None):
        super().__init__()
        self.train_script = list(train)
        self.val_script = list(val or train)
        self.epoch = 0

    def train_step(self, data):
        super().train_step(data)
        self.w.assign(float(self.epoch))
        return {"loss": float(self.train_script[self.epoch])}

    def test_step(self, data):
        loss = float(self.val_script[self.epoch])
        self.epoch += 1
        return {"loss": loss}


class LearningRateHolder:
    """Stands in for an optimizer: a settable `learning_rate`, nothing else."""

    def __init__(self, learning_rate=0.1):
        self.learning_rate = learning_rate


def regression_data(samples=10, features=3):
    """Returns `(x, y)`: `x` float32 `(samples, features)`, `y` = 0, 1, 2, ... as float32."""
    x = np.arange(samples * features, dtype="float32").reshape(samples, features)
    return x, np.arange(samples, dtype="float32")
