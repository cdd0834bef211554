"""`tf.GradientTape` over unikeras Variables, as Keras 3's custom TensorFlow train steps use it
(keras.io guide "Customizing what happens in fit() with TensorFlow")."""

import numpy as np
import tensorflow as tf

import unikeras as keras


def test_tape_gradient_with_respect_to_model_trainable_variables():
    inputs = keras.Input(shape=(3,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    x = np.arange(12, dtype="float32").reshape(4, 3)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model(x, training=True))
    kernel_grad, bias_grad = tape.gradient(loss, model.trainable_variables)
    # loss = mean over (4, 2) of x @ W + b: d/dW = column means of x / 2, d/db = 1 / 2.
    np.testing.assert_allclose(kernel_grad.numpy(), np.tile(x.mean(axis=0)[:, None] / 2, 2))
    np.testing.assert_allclose(bias_grad.numpy(), [0.5, 0.5])


class TapeStepModel(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(gradients, self.trainable_variables)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def test_custom_tape_train_step_matches_the_built_in_fit():
    rng = np.random.default_rng(0)
    x = rng.random((16, 4)).astype("float32")
    y = rng.random((16, 1)).astype("float32")
    inputs = keras.Input(shape=(4,))
    custom = TapeStepModel(inputs, keras.layers.Dense(1)(inputs))
    inputs = keras.Input(shape=(4,))
    plain = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    plain.set_weights(custom.get_weights())
    for model in (custom, plain):
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
        model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for got, want in zip(custom.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
