"""`tf.GradientTape` over unikeras Variables, as Keras 3's custom TensorFlow train steps use it
(keras.io guide "Customizing what happens in fit() with TensorFlow")."""

import numpy as np
import pytest
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


def test_gradient_penalty_through_conv_and_leaky_relu_matches_tensorflow():
    # keras.io example "WGAN-GP overriding Model.train_step": the critic loss holds the norm
    # of an inner tape's gradient, so the outer tape differentiates the conv's gradient (it
    # failed in TF's nn_grad, "'NoneType' object has no attribute 'decode'", when the conv
    # op carried no data_format) and LeakyReLU's gradient (zeros, not None, as tf.nn's).
    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(6, 6, 1))
    x = keras.layers.Conv2D(3, 3, strides=2, padding="same")(inputs)
    x = keras.layers.LeakyReLU(0.2)(x)
    x = keras.layers.Conv2D(2, 3, padding="same")(x)
    outputs = keras.layers.Dense(1)(keras.layers.Flatten()(x))
    critic = keras.Model(inputs, outputs)
    images = tf.constant(np.random.default_rng(0).normal(size=(2, 6, 6, 1)), tf.float32)

    def penalty(forward, variables):
        with tf.GradientTape() as tape:
            with tf.GradientTape() as inner:
                inner.watch(images)
                scores = forward(images)
            grads = inner.gradient(scores, [images])[0]
            norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2, 3]))
            loss = tf.reduce_mean((norm - 1.0) ** 2)
        return tape.gradient(loss, variables)

    k1, b1, k2, b2, k3, b3 = (tf.Variable(w) for w in critic.get_weights())

    def reference(x):  # the same critic in TensorFlow ops ("same" padding of stride 2: 0/1)
        x = tf.nn.conv2d(tf.pad(x, [[0, 0], [0, 1], [0, 1], [0, 0]]), k1, 2, "VALID") + b1
        x = tf.nn.leaky_relu(x, alpha=0.2)
        x = tf.nn.conv2d(x, k2, 1, "SAME") + b2
        return tf.reshape(x, (-1, 18)) @ k3 + b3

    ours = penalty(lambda x: critic(x, training=True), critic.trainable_variables)
    expected = penalty(reference, [k1, b1, k2, b2, k3, b3])
    for got, want in zip(ours, expected):
        assert (got is None) == (want is None)
        if want is not None:
            np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-4, atol=1e-5)
    assert ours[0] is not None and ours[1] is not None  # the first conv's kernel and bias


class _Trainer(keras.Model):
    # keras_recipes/trainer_pattern (tf.keras era): a train_step on compiled_loss and
    # compiled_metrics, which Keras 3's TensorFlow trainer keeps as deprecated shims.
    def __init__(self, model):
        super().__init__()
        self.model = model

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self.model(x, training=True)
            loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        self.compiled_metrics.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}

    def call(self, x):
        return self.model(x)


def test_trainer_pattern_with_compiled_loss_and_compiled_metrics():
    rng = np.random.default_rng(0)
    x = rng.random((16, 5)).astype("float32")
    y = rng.integers(0, 3, size=(16,))
    inner = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3, activation="softmax")])
    trainer = _Trainer(inner)
    trainer.compile(
        keras.optimizers.SGD(0.0), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    probabilities = inner.predict(x, verbose=0)
    with pytest.warns(UserWarning, match="compiled_loss"):
        loss = trainer.compiled_loss(y, probabilities)
    expected = -np.mean(np.log(probabilities[np.arange(16), y]))
    np.testing.assert_allclose(float(loss), expected, rtol=1e-5)
    # A learning rate of 0 keeps the weights: the logged accuracy is the model's own.
    logs = trainer.fit(x, y, batch_size=16, epochs=1, verbose=0).history
    accuracy = np.mean(np.argmax(probabilities, axis=1) == y)
    np.testing.assert_allclose(logs["accuracy"][0], accuracy)
