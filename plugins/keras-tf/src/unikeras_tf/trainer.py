"""The TensorFlow trainer mixin: steps run inside `tf.function` (XLA with `jit_compile=True`).

Gradients come from a `tf.GradientTape` on the `tf.Variable`s of the trainable weights; the
optimizer then assigns the new values in place. `run_eagerly=True` runs the steps eagerly,
for debugging.

With the default `jit_compile="auto"` only the steps unikeras defines are traced: a step a
model overrides runs eagerly, since Python side effects in it (appending to a list, counting
calls) would run once at trace time instead of once per batch. `jit_compile=True` traces
overridden steps too (with XLA). "auto" uses XLA only where `backend_info()["jit_compile_auto"]`
says so (with a GPU); on CPU XLA measured slower than plain `tf.function`.
"""

import warnings

import numpy as np
import tensorflow as tf

from unikeras_tf import distribution
from unikeras_tf.convert import convert_to_tensor
from unikeras.backend.api import tree
from unikeras.metrics import Mean
from unikeras.utils import unpack_x_y_sample_weight


def _traced(step):
    """`step` as an XLA-compiled `tf.function`; a step that cannot be traced (one that
    converts tensors to NumPy, as an overridden `train_step` may) runs eagerly instead, with
    a warning."""
    traced = tf.function(tf.autograph.experimental.do_not_convert(step), jit_compile=True)
    state = {"run": traced, "checked": False}

    def run(data):
        if state["checked"]:
            return state["run"](data)
        try:
            result = traced(data)
        except (
            NotImplementedError,
            TypeError,
            ValueError,
            tf.errors.OperatorNotAllowedInGraphError,
        ) as e:
            warnings.warn(
                f"The step {getattr(step, '__name__', step)} cannot run inside "
                f"tf.function ({type(e).__name__}: {str(e).splitlines()[0]}); "
                "running it eagerly."
            )
            state["run"] = step
            result = step(data)
        state["checked"] = True
        return result

    return run


def _to_tensors(data):
    """The NumPy arrays of a batch as tensors, so a traced step sees tensor inputs (one
    trace per batch shape) rather than constants."""
    return tree.map_structure(
        lambda a: convert_to_tensor(a) if isinstance(a, np.ndarray) else a, data
    )


def _runs_cudnn_rnn(model):
    """Whether an LSTM/GRU layer of `model` runs cuDNN's kernel (a GPU is present and the
    layer's arguments allow it: `unikeras_tf.rnn`), which XLA cannot compile, so that
    `jit_compile="auto"` keeps the model's steps off XLA, as Keras 3 does."""
    from unikeras import activations
    from unikeras_tf import rnn

    if not rnn._gpu_available():
        return False
    stack = [model]
    while stack:
        layer = stack.pop()
        cell = getattr(layer, "cell", None)
        if getattr(layer, "use_cudnn", False) in ("auto", True) and cell is not None:
            if (
                getattr(cell, "activation", None) is activations.tanh
                and getattr(cell, "recurrent_activation", None) is activations.sigmoid
                and getattr(cell, "use_bias", False)
                and getattr(cell, "reset_after", True)
                and not getattr(layer, "unroll", False)
            ):
                return True
        stack.extend(layer._sublayers())
    return False


def _defined_by_unikeras(cls, method):
    """Whether `cls.method` is unikeras' own (this mixin's or the core Trainer's)."""
    owner = next(c for c in cls.__mro__ if method in c.__dict__)
    return owner.__module__.startswith(("unikeras_tf.", "unikeras."))


class TFTrainer:
    """Trainer mixin of the TensorFlow backend (see the `trainer_mixin` hook)."""

    # `model(x)` on eager values runs the cached `tf.function` predict (see the core Trainer).
    _serves_calls = True

    def _serving_inputs(self, leaves):
        """Eager values only: inside a `tf.function` the ordinary call is traced."""
        return tf.executing_eagerly() and all(
            leaf.__class__ is np.ndarray or isinstance(leaf, tf.Tensor) for leaf in leaves
        )

    def train_step(self, data):
        """Forward pass and loss under a gradient tape, optimizer update of the trainable
        variables; returns the metric results."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        variables = self.trainable_variables
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self._compute_loss(
                x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True
            )
            scale_loss = getattr(self.optimizer, "scale_loss", None)
            scaled = scale_loss(loss) if scale_loss is not None else loss
        self._update_loss_tracker(loss, x)
        if variables:
            grads = tape.gradient(scaled, [v.native for v in variables])
            # Gathers (embeddings) give sparse gradients: the optimizers take dense ones.
            grads = [
                tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g for g in grads
            ]
            grads = distribution.all_reduce_gradients(grads)  # under a strategy: the mean
            self.optimizer.apply(grads, variables)
        else:
            warnings.warn("The model does not have any trainable weights.")
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def _make_function(self, step, collect=False):
        name = step.__name__
        strategy = distribution.current_strategy(self.variables)
        if strategy is not None and name == "train_step":
            step = distribution.replicated_step(step, strategy)  # strategy.run per replica
        # XLA when asked for, or by "auto" where the backend resolves it to XLA (with a GPU),
        # for unikeras' own steps only (see the module docstring).
        xla = self._jit_compile is True or (
            self.jit_compile
            and _defined_by_unikeras(type(self), name)
            and not _runs_cudnn_rnn(self)
        )
        if self.run_eagerly or not self.supports_jit_steps():
            pass  # host code (string layers) cannot run inside tf.function
        elif xla and strategy is None:
            step = _traced(step)
        elif self._jit_compile is True:
            warnings.warn(
                f"jit_compile=True: the {name} runs under a tf.distribute strategy, "
                "whose variables live on several devices; it runs in tf.function "
                "without XLA (as Keras does with tf.distribute)."
            )
            step = tf.function(tf.autograph.experimental.do_not_convert(step))
        elif _defined_by_unikeras(type(self), name):
            step = tf.function(tf.autograph.experimental.do_not_convert(step))
        return self._multi_step_function(lambda data: step(_to_tensors(data)), collect=collect)

    def _steps_strategy_changed(self):
        """Whether the tf.distribute strategy differs from the one the step functions were
        made for (they are then made again)."""
        strategy = distribution.current_strategy(self.variables)
        changed = strategy is not getattr(self, "_tf_steps_strategy", None)
        self._tf_steps_strategy = strategy
        return changed

    def fit(self, *args, **kwargs):
        with distribution.scope(self.variables):  # the strategy of the model's variables
            return super().fit(*args, **kwargs)

    def evaluate(self, *args, **kwargs):
        with distribution.scope(self.variables):
            return super().evaluate(*args, **kwargs)

    def predict(self, *args, **kwargs):
        with distribution.scope(self.variables):
            return super().predict(*args, **kwargs)

    def make_train_function(self, force=False):
        if self._steps_strategy_changed():
            self.train_function = self.test_function = self.predict_function = None
        if self.train_function is None or force:
            self.train_function = self._make_function(self.train_step)
        return self.train_function

    def make_test_function(self, force=False):
        if self._steps_strategy_changed():
            self.train_function = self.test_function = self.predict_function = None
        if self.test_function is None or force:
            self.test_function = self._make_function(self.test_step)
        return self.test_function

    def make_predict_function(self, force=False):
        if self._steps_strategy_changed():
            self.train_function = self.test_function = self.predict_function = None
        if self.predict_function is None or force:
            self.predict_function = self._make_function(self.predict_step, collect=True)
        return self.predict_function

    # --- Keras 3's backwards-compatibility shims of the TensorFlow trainer -----------------
    @property
    def compiled_metrics(self):
        """Deprecated tf.keras spelling: `compiled_metrics.update_state(y, y_pred)` updates
        every metric of `self.metrics` (a `Mean` tracker with `y_pred`), as Keras 3's
        TensorFlow trainer does for older custom `train_step`s."""
        model = self

        class DeprecatedCompiledMetric:
            def update_state(self, y, y_pred, sample_weight=None):
                warnings.warn(
                    "`model.compiled_metrics()` is deprecated. Instead, use e.g.:\n"
                    "for metric in self.metrics:\n"
                    "    metric.update_state(y, y_pred)\n",
                    stacklevel=2,
                )
                for metric in model.metrics:
                    if isinstance(metric, Mean):
                        metric.update_state(y_pred, sample_weight=sample_weight)
                    else:
                        metric.update_state(y, y_pred, sample_weight=sample_weight)

        return DeprecatedCompiledMetric()

    def compiled_loss(self, y, y_pred, sample_weight=None, regularization_losses=None):
        """Deprecated tf.keras spelling of `compute_loss(x=None, y, y_pred, sample_weight)`
        (which adds the model's own losses itself; `regularization_losses` is ignored, as in
        Keras 3's TensorFlow trainer).

        Returns:
            The scalar loss.
        """
        warnings.warn(
            "`model.compiled_loss()` is deprecated. Instead, use "
            "`model.compute_loss(x, y, y_pred, sample_weight, training)`.",
            stacklevel=2,
        )
        return self.compute_loss(x=None, y=y, y_pred=y_pred, sample_weight=sample_weight)
