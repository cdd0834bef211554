"""`keras.optimizers.legacy`: Keras 2's legacy optimizers do not exist in Keras 3; every name
here raises an `ImportError` explaining what to use instead, as Keras 3 does."""


class LegacyOptimizerWarning:
    """Stand-in for a Keras 2 legacy optimizer: instantiating it raises `ImportError`."""

    def __init__(self, *args, **kwargs):
        raise ImportError(
            "`keras.optimizers.legacy` is not supported in Keras 3. When using "
            "`tf.keras`, to continue using a `tf.keras.optimizers.legacy` optimizer, you can "
            "install the `tf_keras` package (Keras 2) and set the environment variable "
            "`TF_USE_LEGACY_KERAS=True` to configure TensorFlow to use `tf_keras` when "
            "accessing `tf.keras`. With unikeras, use the optimizers of "
            "`keras.optimizers` (e.g. `keras.optimizers.Adam`)."
        )


Adagrad = Adam = Ftrl = Optimizer = RMSprop = SGD = LegacyOptimizerWarning
