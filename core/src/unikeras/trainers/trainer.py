"""`Trainer`: compile, the fit/evaluate/predict loops, losses and metrics of `Model`.

The loop is shared by every backend. The backend's trainer mixin (hook `trainer_mixin`),
which `Model` inherits from before `Trainer`, supplies `train_step` (gradients) and may
compile the steps in `make_train_function` & co.; the eager versions here call the steps
directly and are what `run_eagerly=True` uses.
"""

import threading
import warnings

import numpy as np

from unikeras import callbacks as callbacks_module
from unikeras import optimizers
from unikeras.backend import dtypes, global_state
from unikeras.backend.traceback_utils import filter_traceback
from unikeras.backend.config import floatx
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.backend.registry import backend, table, training_backend_hint
from unikeras.callbacks.callback_list import check_logs, pythonify_logs
from unikeras.metrics import Mean
from unikeras.trainers import compile_utils
from unikeras.trainers.data_adapters import data_adapter_utils
from unikeras.trainers.data_adapters.data_adapter_utils import unpack_x_y_sample_weight
from unikeras.trainers.epoch_iterator import EpochIterator
from unikeras.backend import tree


def _to_numpy(outputs):
    if table.is_tensor(outputs):  # one output: no tree walk
        return np.asarray(table.convert_to_numpy(outputs))
    return tree.map_structure(
        lambda a: None if a is None else np.asarray(table.convert_to_numpy(a)), outputs
    )


def _one_batch_size(x):
    """The number of samples in `x` when it is in-memory NumPy data that `predict` may run
    as one batch (an array, or a list or dict of arrays of one length); else None."""
    if x.__class__ is np.ndarray:
        return x.shape[0] if x.ndim else None
    if x.__class__ is list:
        leaves = x
    elif x.__class__ is dict:
        leaves = list(x.values())
    else:
        return None
    if not leaves or any(leaf.__class__ is not np.ndarray or not leaf.ndim for leaf in leaves):
        return None
    sizes = {leaf.shape[0] for leaf in leaves}
    return sizes.pop() if len(sizes) == 1 else None


# `model(x)` served through the compiled predict function (see `Trainer._serving_function`).
_SERVING = threading.local()
_SERVABLE_INPUT_KINDS = frozenset("fiub")


def _concatenate(batches):
    return tree.map_structure(lambda *parts: np.concatenate(parts, axis=0), *batches)


def _spec_of(leaf):
    if hasattr(leaf, "shape") and hasattr(leaf, "dtype"):
        return KerasTensor(tuple(leaf.shape), dtype=dtypes.standardize_dtype(leaf.dtype))
    return leaf


def _looks_like_metric(value):
    return all(hasattr(value, attr) for attr in ("update_state", "result", "reset_state"))


def _ordered(logs):
    """A step's logs in Keras' order, the same on every backend: keys sorted (a dict
    value, such as a metric returning several results, merged in)."""
    logs = check_logs(logs)
    flat = {}
    for key in sorted(logs):
        value = logs[key]
        if isinstance(value, dict):
            flat.update(_ordered(value))
        else:
            flat[key] = value
    return flat


def _verbosity(verbose):
    return 1 if verbose == "auto" else verbose


_LOSS_TAKES_TRAINING = {}  # model class -> whether its `compute_loss` takes `training`


def _has_no_call(model):
    """Whether `model` defines no `call` (its class keeps the base `Layer.call`)."""
    from unikeras.layers.layer import Layer

    return getattr(type(model), "call", None) is Layer.call


def _defers_build_to_its_steps(model):
    """Whether a model that cannot be built from a batch builds in its own steps instead:
    where the backend declares it (`backend_info()["builds_in_steps"]`, TensorFlow as Keras 3
    there), when the model overrides `train_step` or `test_step`."""
    if not table.backend_info().get("builds_in_steps", False):
        return False
    return any(
        not getattr(getattr(type(model), name, None), "__module__", "unikeras").startswith(
            "unikeras"
        )
        for name in ("train_step", "test_step")
    )


class Trainer:
    """Training and inference entry points of a `Model` (see Keras 3's `Model`)."""

    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self.loss = None
        self.stop_training = False
        self.stop_evaluating = False
        self.stop_predicting = False
        self.history = None
        self.steps_per_execution = 1
        self.train_function = None
        self.test_function = None
        self.predict_function = None
        self._run_eagerly = False
        self._jit_compile = None
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None
        self._initial_epoch = None

    def __setattr__(self, name, value):
        # Metrics assigned as attributes (`self.tracker = keras.metrics.Mean()`) join
        # `model.metrics`, as in Keras.
        super().__setattr__(name, value)
        if not name.startswith("_") and _looks_like_metric(value):
            tracked = self.__dict__.setdefault("_tracked_metrics", [])
            if not any(m is value for m in tracked):
                tracked.append(value)

    # --- compile ---------------------------------------------------------------------
    def compile(
        self,
        optimizer="rmsprop",
        loss=None,
        loss_weights=None,
        metrics=None,
        weighted_metrics=None,
        run_eagerly=False,
        steps_per_execution=1,
        jit_compile="auto",
        auto_scale_loss=True,
    ):
        """Configures the model for training and evaluation.

        Args:
            optimizer: Name, config dict or optimizer instance.
            loss: Loss name, function or `Loss`; a list/dict of them for several outputs.
            loss_weights: Float weights of the per-output losses (list or dict).
            metrics: Metrics (names, functions, `Metric`s); a list per output or a dict.
            weighted_metrics: Metrics that take the sample weights into account.
            run_eagerly: Runs the steps eagerly on every backend (for debugging).
            steps_per_execution: Batches run per call of the compiled step.
            jit_compile: Whether the backend compiles the steps (`"auto"`: its default).
            auto_scale_loss: With the model's dtype policy `"mixed_float16"`, wraps the
                optimizer in a `LossScaleOptimizer` (dynamic loss scaling).
        """
        if isinstance(optimizer, (str, dict)):
            optimizer = optimizers.get(optimizer)
        if (
            auto_scale_loss
            and optimizer is not None
            and self.dtype_policy.name == "mixed_float16"
            and not isinstance(optimizer, optimizers.LossScaleOptimizer)
        ):
            optimizer = optimizers.LossScaleOptimizer(optimizer, name="loss_scale_optimizer")
        self.optimizer = optimizer
        self.loss = loss
        output_names = self._output_names()
        self._compile_loss = (
            compile_utils.CompileLoss(loss, loss_weights, output_names)
            if loss is not None
            else None
        )
        self._compile_metrics = (
            compile_utils.CompileMetrics(metrics, weighted_metrics, output_names)
            if metrics or weighted_metrics
            else None
        )

        self._loss_tracker = Mean(name="loss")
        self.run_eagerly = run_eagerly
        self.jit_compile = jit_compile
        self.steps_per_execution = steps_per_execution
        self.auto_scale_loss = auto_scale_loss
        self.stop_training = False
        self.compiled = True
        self.train_function = self.test_function = self.predict_function = None

    def get_compile_config(self):
        """Returns the arguments the model was compiled with, as a serializable config.

        `model.save()` stores it in the `.keras` file (as `compile_config`) and
        `load_model` hands it to `compile_from_config`. A subclass that overrides
        `compile()` with its own arguments overrides both methods as a pair.

        Returns:
            A dict (empty when the model is not compiled).
        """
        from unikeras.saving import saving_lib

        return saving_lib.compile_config(self) or {}

    def compile_from_config(self, config):
        """Compiles the model with the arguments of a `get_compile_config()` config.

        When the model's class overrides `compile()`, the stored arguments may not fit it:
        the model is left uncompiled, with a warning, as Keras 3 does (such a class overrides
        `compile_from_config` too, or the model is compiled by hand after loading).

        Args:
            config: Dict from `get_compile_config()` (its objects serialized).
        """
        if type(self).compile is not Trainer.compile:
            warnings.warn(
                "`compile()` was not called as part of model loading because the model's "
                "`compile()` method is custom. All subclassed Models that have `compile()` "
                "overridden should also override `get_compile_config()` and "
                "`compile_from_config(config)`. Alternatively, you can call `compile()` "
                "manually after loading.",
                stacklevel=2,
            )
            return
        from unikeras.saving import saving_lib

        saving_lib.compile_from_config(self, config)

    compile_from_config.keras_default_compile = True  # saving calls an override, not this

    @property
    def run_eagerly(self):
        return self._run_eagerly

    @run_eagerly.setter
    def run_eagerly(self, value):
        self._run_eagerly = bool(value)

    @property
    def jit_compile(self):
        """Whether the steps are compiled: `"auto"` (the default) resolves to the backend's
        `backend_info()["jit_compile_auto"]`, False under `run_eagerly` or for a model with
        host-code layers."""
        if self.run_eagerly:
            return False
        if self._jit_compile is None or self._jit_compile == "auto":
            info = table.backend_info()
            return bool(info.get("jit_compile_auto", info.get("jit"))) and self.supports_jit_steps()
        return bool(self._jit_compile)

    def supports_jit_steps(self):
        """False when a layer of the model runs host code (`supports_jit = False`, e.g. the
        string preprocessing layers): its steps then run eagerly, as in Keras 3."""
        stack = [self]
        while stack:
            layer = stack.pop()
            if not getattr(layer, "supports_jit", True):
                return False
            stack.extend(layer._sublayers())
        return True

    @jit_compile.setter
    def jit_compile(self, value):
        self._jit_compile = value

    def _output_names(self):
        names = getattr(self, "output_names", None)
        if names:
            return list(names)
        outputs = getattr(self, "outputs", None)
        if outputs:
            return [
                t._keras_history[0].name if t._keras_history else f"output_{i + 1}"
                for i, t in enumerate(outputs)
            ]
        return None

    def _assert_compile_called(self, method):
        if not self.compiled:
            raise ValueError(f"You must call `compile()` before calling `{method}()`.")

    def _require_training_backend(self, method):
        """Raises when the active backend cannot train and the model did not define its own
        `train_step`."""
        if table.backend_info().get("training"):
            return
        from unikeras.layers.layer import Layer

        # A `train_step` of the user's model (a Layer subclass) may train without gradients;
        # the core's or the backend plugin's trainer mixin cannot: fail before any data work.
        owner = next(cls for cls in type(self).__mro__ if "train_step" in cls.__dict__)
        if not issubclass(owner, Layer):
            raise RuntimeError(
                f"`{method}` needs a training backend; the active backend {backend()!r} is "
                f"inference only (it runs `compile`, `evaluate` and `predict`). Install a "
                f"training backend, e.g. {training_backend_hint()}."
            )

    # --- losses and metrics -------------------------------------------------------------
    @property
    def metrics(self):
        """The metrics tracked by the model: the loss tracker, the compiled metrics, the
        per-output loss trackers, then metrics assigned as attributes."""
        found = []
        if self.compiled:
            if self._loss_tracker is not None:
                found.append(self._loss_tracker)
            if self._compile_metrics is not None:
                found.append(self._compile_metrics)
            if self._compile_loss is not None:
                found.extend(self._compile_loss.metrics)
        for metric in self.__dict__.get("_tracked_metrics", []):
            if not any(metric is m for m in found):
                found.append(metric)
        return found

    @property
    def metrics_names(self):
        """Names of `self.metrics`."""
        return [metric.name for metric in self.metrics]

    @property
    def metrics_variables(self):
        """State variables of all metrics."""
        return [v for metric in self.metrics for v in metric.variables]

    def reset_metrics(self):
        """Resets the state of every metric."""
        for metric in self.metrics:
            metric.reset_state()

    def get_metrics_result(self):
        """Returns `{name: result}` of all metrics (a dict result is merged in)."""
        return compile_utils.metric_results((metric.name, metric) for metric in self.metrics)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """Returns the total loss: the compiled loss plus the model's `losses`
        (regularization and `add_loss` terms).

        Override it to compute a custom loss (the default steps call it).
        """
        del x, training
        losses = []
        if self._compile_loss is not None:
            loss = self._compile_loss(y, y_pred, sample_weight)
            if loss is not None:
                losses.append(loss)
        for loss in self.losses:
            if not dtypes.is_float_dtype(dtypes.standardize_dtype(loss.dtype)):
                loss = table.cast(loss, floatx())
            losses.append(table.sum(loss))
        if not losses:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        total = losses[0]
        for loss in losses[1:]:
            total = total + loss
        return total

    def stateless_compute_loss(
        self,
        trainable_variables,
        non_trainable_variables,
        metrics_variables,
        x=None,
        y=None,
        y_pred=None,
        sample_weight=None,
        training=True,
    ):
        """`compute_loss` with the given variable values instead of the stored ones.

        Args:
            trainable_variables: Values of `model.trainable_variables`.
            non_trainable_variables: Values of `model.non_trainable_variables`.
            metrics_variables: Values of `model.metrics_variables`.
            x, y, y_pred, sample_weight, training: As for `compute_loss`.

        Returns:
            `(loss, (trainable_variables, non_trainable_variables, metrics_variables))`: the
            loss and the variables' values after computing it; the model's own variables
            are left untouched.
        """
        from unikeras.backend.registry import optional_hook

        groups = (self.trainable_variables, self.non_trainable_variables, self.metrics_variables)
        given = (trainable_variables, non_trainable_variables, metrics_variables)
        names = ("trainable", "non-trainable", "metrics")
        for group, values, name in zip(groups, given, names):
            if len(values) != len(group):
                raise ValueError(
                    f'Model "{self.name}": stateless_compute_loss expected {len(group)} {name} '
                    f"variable values, received {len(values)}."
                )
        snapshot = optional_hook("variable_snapshot") or (lambda value: value)
        flat = [v for group in groups for v in group]
        saved = [snapshot(v.value) for v in flat]
        try:
            for group, values in zip(groups, given):
                for variable, value in zip(group, values):
                    variable._direct_assign(value)
            loss = self._compute_loss(
                x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=training
            )
            new = tuple([snapshot(v.value) for v in group] for group in groups)
        finally:
            for variable, value in zip(flat, saved):
                variable._direct_assign(value)
        return loss, new

    def _loss_takes_training(self):
        """Whether `compute_loss` accepts `training`, cached per class in a module dict (not
        on the class: `torch.compile` breaks its graph on reading a class `__dict__`)."""
        cls = type(self)
        accepts = _LOSS_TAKES_TRAINING.get(cls)
        if accepts is None:
            import inspect

            parameters = inspect.signature(self.compute_loss).parameters
            accepts = _LOSS_TAKES_TRAINING[cls] = "training" in parameters or any(
                p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
            )
        return accepts

    def _compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """Calls `compute_loss`, passing `training` only when it accepts it (as Keras does:
        overrides written before Keras 3.3 have no `training` argument)."""
        if self._loss_takes_training():
            return self.compute_loss(
                x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=training
            )
        return self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Updates the compiled metrics with a batch and returns all metric results."""
        del x
        if self._compile_metrics is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def _update_loss_tracker(self, loss, x):
        """Adds a batch's loss to the `"loss"` metric, weighted by the batch size."""
        if self._loss_tracker is not None:
            first = tree.flatten(x)[0]
            # Host arrays (e.g. NumPy strings for the text layers) are not backend tensors.
            batch_size = (
                np.shape(first)[0] if isinstance(first, np.ndarray) else table.shape(first)[0]
            )
            self._loss_tracker.update_state(loss, sample_weight=batch_size)

    # --- steps (eager defaults) ---------------------------------------------------------
    def train_step(self, data):
        """One training step; supplied by the backend's trainer mixin."""
        raise RuntimeError(
            f"The unikeras backend {backend()!r} provides no train step (its plugin lacks the "
            f"`trainer_mixin` hook). Use a training backend: install one, e.g. "
            f"{training_backend_hint()}."
        )

    def test_step(self, data):
        """One evaluation step: forward pass, loss, metrics; returns the logs."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self._compute_loss(
            x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False
        )
        self._update_loss_tracker(loss, x)
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def predict_step(self, data):
        """One inference step; returns the model's outputs for the batch."""
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def _multi_step_function(self, step, collect=False):
        """Wraps a one-batch `step` into a function of an iterator of batches.

        It returns the last step's result, or the list of all results with `collect`
        (predict). Backends build their compiled functions with it.
        """

        def run_all(batches):
            return [step(data) for data in batches]

        def run_last(batches):
            logs = None
            for data in batches:
                logs = step(data)
            return logs

        return run_all if collect else run_last

    def make_train_function(self, force=False):
        """Sets and returns `self.train_function` (eager: calls `train_step`)."""
        if self.train_function is None or force:
            self.train_function = self._multi_step_function(self.train_step)
        return self.train_function

    def make_test_function(self, force=False):
        """Sets and returns `self.test_function` (eager: calls `test_step`)."""
        if self.test_function is None or force:
            self.test_function = self._multi_step_function(self.test_step)
        return self.test_function

    def make_predict_function(self, force=False):
        """Sets and returns `self.predict_function`, which returns a list of outputs."""
        if self.predict_function is None or force:
            self.predict_function = self._multi_step_function(self.predict_step, collect=True)
        return self.predict_function

    def _symbolic_build(self, data):
        """Builds the model, compiled losses/metrics and optimizer from one batch's shapes,
        so that every variable exists before a compiled step is traced."""
        x, y, _ = unpack_x_y_sample_weight(data)
        self._check_inputs(x)
        compile_loss = self._compile_loss
        compile_metrics = self._compile_metrics
        # Without targets (predict) "accuracy" and friends cannot be resolved yet.
        unbuilt = [
            part
            for part in (compile_loss, compile_metrics)
            if part is not None and not part.built and y is not None
        ]
        if not self.built and _has_no_call(self):
            # A model without `call` (a GAN holding its sub-models) trains only through its
            # own `train_step`, which builds what it uses: nothing to build symbolically (as
            # Keras 3 on TensorFlow, which builds in the first traced step).
            unbuilt = []
        elif not self.built or unbuilt:
            x_spec = tree.map_structure(_spec_of, x)
            try:
                self._maybe_build((x_spec,))
                y_pred = self.compute_output_spec(x_spec)
            except Exception as e:
                if _defers_build_to_its_steps(self):
                    # Keras 3 on TensorFlow never builds symbolically (without a
                    # distribution strategy): a model whose own train/test step does not
                    # call it on the batch as is (keras.io's GauGAN: `call` takes a latent
                    # vector and labels, the batch is (segmentation, image, labels)) builds
                    # in its first traced step, the optimizer with it (built now, it would
                    # miss the variables the step creates: transformer_asr's Transformer
                    # takes [source, target] and trains on {"source", "target"} batches).
                    return None
                raise RuntimeError(
                    f"Unable to automatically build the model {self.name!r} from inputs of "
                    f"shapes {tree.map_structure(lambda s: getattr(s, 'shape', s), x_spec)}: "
                    f"{e}. Build it yourself (call it on a batch or `model.build(shape)`) "
                    "before fit/evaluate/predict."
                ) from e
            self.built = True
            for part in unbuilt:
                part.build(y, y_pred)
        self._build_optimizer()

    def _build_optimizer(self):
        optimizer = self.optimizer
        if (
            optimizer is not None
            and hasattr(optimizer, "build")
            and not getattr(optimizer, "built", True)
        ):
            optimizer.build(self.trainable_variables)

    # --- fit ---------------------------------------------------------------------------
    @filter_traceback
    def fit(
        self,
        x=None,
        y=None,
        batch_size=None,
        epochs=1,
        verbose="auto",
        callbacks=None,
        validation_split=0.0,
        validation_data=None,
        shuffle=True,
        class_weight=None,
        sample_weight=None,
        initial_epoch=0,
        steps_per_epoch=None,
        validation_steps=None,
        validation_batch_size=None,
        validation_freq=1,
    ):
        """Trains the model for `epochs` epochs; returns a `History`.

        Args:
            x: Inputs: arrays (or a list/dict of them), a generator, a `PyDataset`, a
                `tf.data.Dataset` or a torch `DataLoader` (the last four yield
                `(x, y[, sample_weight])` batches themselves).
            y: Targets, with array `x`.
            batch_size: Samples per batch for array data (default 32).
            epochs: Index of the epoch to stop before (trains `epochs - initial_epoch`).
            verbose: `"auto"`/1 progress bar, 2 one line per epoch, 0 silent.
            callbacks: List of `keras.callbacks.Callback`.
            validation_split: Fraction of array data, taken from the end before
                shuffling, used for validation only.
            validation_data: `(x_val, y_val[, sample_weight_val])` or a dataset.
            shuffle: Shuffles array data each epoch (`"batch"`: in batch-sized chunks).
            class_weight: `{class index: weight}` applied as sample weights.
            sample_weight: Per-sample weights for array data.
            initial_epoch: Epoch to start at (to resume a run).
            steps_per_epoch: Batches per epoch (required for infinite data).
            validation_steps: Batches per validation run.
            validation_batch_size: Batch size of the validation data (default: `batch_size`).
            validation_freq: Validates every `validation_freq` epochs.

        Returns:
            The `History` callback; `history.history` maps log names to per-epoch values.
        """
        self._assert_compile_called("fit")
        self._require_training_backend("fit")
        max_epochs = global_state.LIMITS["max_epochs"]  # `keras.config.set_max_epochs`
        if max_epochs and max_epochs < epochs:
            warnings.warn(f"Limiting epochs to {max_epochs}", stacklevel=2)
            epochs = max_epochs
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = data_adapter_utils.train_validation_split(
                (x, y, sample_weight), validation_split
            )
        val_iterator = None
        if validation_data is not None:
            val_x, val_y, val_sample_weight = unpack_x_y_sample_weight(validation_data)
            val_iterator = EpochIterator(
                val_x,
                val_y,
                val_sample_weight,
                batch_size=validation_batch_size or batch_size,
                steps_per_epoch=validation_steps,
                shuffle=False,
                steps_per_execution=self.steps_per_execution,
            )
        iterator = EpochIterator(
            x,
            y,
            sample_weight,
            batch_size=batch_size,
            steps_per_epoch=steps_per_epoch,
            shuffle=shuffle,
            class_weight=class_weight,
            steps_per_execution=self.steps_per_execution,
        )
        self._build_from(iterator)
        callbacks = self._callback_list(
            callbacks, verbose, epochs, iterator.num_batches, add_history=True
        )
        self.stop_training = False
        self.make_train_function()
        callbacks.on_train_begin()
        training_logs = None
        start = self._initial_epoch if self._initial_epoch is not None else initial_epoch
        for epoch in range(start, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            logs = {}
            for first, last, batches in iterator.enumerate_epoch():
                callbacks.on_train_batch_begin(first)
                logs = _ordered(self.train_function(batches))
                callbacks.on_train_batch_end(last, logs)
                if self.stop_training:
                    break
            # Converted now, before validation reuses (on JAX: donates) the metric state.
            epoch_logs = pythonify_logs(logs)
            if val_iterator is not None and self._should_validate(epoch, validation_freq):
                val_logs = self._evaluate_loop(val_iterator, callbacks)
                epoch_logs.update({f"val_{name}": value for name, value in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            training_logs = epoch_logs
            if iterator.insufficient_data:
                self.stop_training = True
            if self.stop_training:
                break
        callbacks.on_train_end(logs=training_logs)
        self._initial_epoch = None
        return self.history

    @staticmethod
    def _should_validate(epoch, validation_freq):
        if isinstance(validation_freq, int):
            return (epoch + 1) % validation_freq == 0
        if isinstance(validation_freq, (list, tuple, set)):
            return epoch + 1 in validation_freq
        raise ValueError(
            f"`validation_freq` must be an int (or a list of epochs). Received: {validation_freq!r}"
        )

    def _callback_list(self, callbacks, verbose, epochs, steps, add_history=False):
        if isinstance(callbacks, callbacks_module.CallbackList):
            return callbacks
        verbose = _verbosity(verbose)
        return callbacks_module.CallbackList(
            callbacks,
            add_history=add_history,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=epochs,
            steps=steps,
        )

    def _build_from(self, iterator):
        first = iterator.peek()
        if first is not None:
            self._symbolic_build(first)
            data = getattr(iterator.data_adapter, "_data", None)  # all of the array data
            self._check_targets(data[1] if data is not None else unpack_x_y_sample_weight(first)[1])

    def _check_targets(self, y):
        """Host checks of the targets that the compiled steps cannot make (labels out of
        range train silently on some engines)."""
        if self._compile_loss is not None and y is not None:
            self._compile_loss.check_sparse_labels(y)

    def _check_inputs(self, x):
        """Raises a clear error when string arrays reach a model none of whose layers
        takes strings (they would fail deep in the engine)."""
        flat = tree.flatten(x) if tree.is_nested(x) else [x]
        strings = [
            i
            for i, leaf in enumerate(flat)
            if isinstance(leaf, np.ndarray)
            and leaf.dtype.kind in "USO"
            and leaf.size
            and isinstance(leaf.flat[0], (str, bytes))
        ]
        if not strings or not self.supports_jit_steps():
            return
        inputs = getattr(self, "inputs", None) or []
        names = (
            [
                t._keras_history[0].name if getattr(t, "_keras_history", None) else t.name
                for t in inputs
            ]
            if len(inputs) == len(flat)
            else []
        )
        index = strings[0]
        label = repr(names[index]) if names else f"at position {index}"
        raise ValueError(
            f"Input {label} of model {self.name!r} is an array of strings (dtype "
            f"{flat[index].dtype}), but the model has no layer that takes strings: add a "
            "`StringLookup`, `TextVectorization` or `Hashing` layer first, or convert the "
            "strings to numbers."
        )

    # --- evaluate ----------------------------------------------------------------------
    @filter_traceback
    def evaluate(
        self,
        x=None,
        y=None,
        batch_size=None,
        verbose="auto",
        sample_weight=None,
        steps=None,
        callbacks=None,
        return_dict=False,
        **kwargs,
    ):
        """Returns the loss and metric values of the model on the given data.

        Args:
            x, y, sample_weight, batch_size: As in `fit`.
            verbose: `"auto"`/1 progress bar, 2 one line, 0 silent.
            steps: Batches to evaluate (default: the whole data).
            callbacks: List of callbacks.
            return_dict: Returns `{name: value}` instead of a list.

        Returns:
            A scalar (only the loss), a list in `metrics_names` order, or a dict.
        """
        if kwargs:
            raise ValueError(f"Arguments not recognized by evaluate: {sorted(kwargs)}")
        self._assert_compile_called("evaluate")
        iterator = EpochIterator(
            x,
            y,
            sample_weight,
            batch_size=batch_size,
            steps_per_epoch=steps,
            shuffle=False,
            steps_per_execution=self.steps_per_execution,
        )
        self._build_from(iterator)
        callbacks = self._callback_list(callbacks, verbose, 1, iterator.num_batches)
        logs = self._evaluate_loop(iterator, callbacks)
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    def _evaluate_loop(self, iterator, callbacks):
        self.make_test_function()
        self.stop_evaluating = False
        callbacks.on_test_begin()
        self.reset_metrics()
        logs = {}
        for first, last, batches in iterator.enumerate_epoch():
            callbacks.on_test_batch_begin(first)
            logs = _ordered(self.test_function(batches))
            callbacks.on_test_batch_end(last, logs)
            if self.stop_evaluating:
                break
        logs = pythonify_logs(logs)
        callbacks.on_test_end(logs)
        return logs

    def _flatten_metrics_in_order(self, logs):
        names = []
        for metric in self.metrics:  # compiled metrics in compile order, as Keras
            if isinstance(metric, compile_utils.CompileMetrics):
                names += [name for name, *_ in metric._entries]
            else:
                names.append(metric.name)
        names = [name for name in names if name in logs]
        names += sorted(name for name in logs if name not in names)
        results = [logs[name] for name in names]
        return results[0] if len(results) == 1 else results

    # --- predict -----------------------------------------------------------------------
    @filter_traceback
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Returns the model's outputs for `x` as NumPy arrays (batches concatenated).

        In-memory NumPy data that fits one batch (with no `steps`, no callbacks and
        `verbose` "auto" or 0) runs as `predict_on_batch` does: no data adapter, no progress
        bar, one call of the predict function compiled for its input signature.

        Args:
            x: Inputs, as in `fit` (targets in the data are ignored).
            batch_size: Samples per batch for array data (default 32).
            verbose: `"auto"`/1 progress bar, 2 one line, 0 silent.
            steps: Batches to run (default: all).
            callbacks: List of callbacks.
        """
        if steps is None and not callbacks and verbose in ("auto", 0):
            # The serving path: one in-memory batch skips the data adapter and the progress
            # bar and runs the cached predict function once.
            size = _one_batch_size(x)
            if size and size <= (batch_size or 32):
                return _to_numpy(self._serve_batch(x))
        iterator = EpochIterator(
            x,
            batch_size=batch_size,
            steps_per_epoch=steps,
            shuffle=False,
            steps_per_execution=self.steps_per_execution,
        )
        self._build_from(iterator)
        callbacks = self._callback_list(callbacks, verbose, 1, iterator.num_batches)
        self.make_predict_function()
        self.stop_predicting = False
        callbacks.on_predict_begin()
        outputs = []
        for first, last, batches in iterator.enumerate_epoch():
            callbacks.on_predict_batch_begin(first)
            batch_outputs = [_to_numpy(out) for out in self.predict_function(batches)]
            outputs.extend(batch_outputs)
            callbacks.on_predict_batch_end(last, {"outputs": batch_outputs[-1]})
            if self.stop_predicting:
                break
        callbacks.on_predict_end()
        if not outputs:
            raise ValueError(
                "Unexpected result of `predict`: the input produced no batches. "
                "Make sure it is not empty."
            )
        return _concatenate(outputs)

    # --- single batches ----------------------------------------------------------------
    def _single_batch(self, x, y=None, sample_weight=None):
        data = data_adapter_utils.convert_batch((x, y, sample_weight))
        self._symbolic_build(data)
        self._check_targets(data[1])
        return data

    @filter_traceback
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """Runs one training step on a batch; returns the logs (scalar, list or dict)."""
        self._assert_compile_called("train_on_batch")
        self._require_training_backend("train_on_batch")
        data = self._single_batch(x, y, sample_weight)
        if class_weight is not None:
            data = data_adapter_utils.apply_class_weight(data, class_weight)
        self.reset_metrics()  # the logs describe this batch alone
        self.make_train_function()
        logs = pythonify_logs(_ordered(self.train_function([data])))
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    @filter_traceback
    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Runs one evaluation step on a batch; returns the logs (scalar, list or dict)."""
        self._assert_compile_called("test_on_batch")
        data = self._single_batch(x, y, sample_weight)
        self.reset_metrics()
        self.make_test_function()
        logs = pythonify_logs(_ordered(self.test_function([data])))
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    @filter_traceback
    def predict_on_batch(self, x):
        """Returns the model's outputs for one batch, as NumPy arrays.

        The predict function is made once and compiled (on backends that compile) once per
        input signature; it reads the current weights on every call.
        """
        return _to_numpy(self._serve_batch(x))

    def _serve_batch(self, x):
        """The model's outputs (backend tensors) for the one batch `x`."""
        if x.__class__ is not np.ndarray:
            x = data_adapter_utils.convert_batch(x)
        data = (x,)
        self._symbolic_build(data)
        return self.make_predict_function()([data])[0]

    # --- serving model(x) -----------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        # `Model` puts this class before `Layer`: a servable call skips the layer machinery.
        if (
            not self.__class__._serves_calls
            and len(args) == 1
            and (not kwargs or (len(kwargs) == 1 and kwargs.get("training", 1) in (None, False)))
        ):
            # Eager backends: an inference call of a graph model runs its plan directly.
            outputs = self._inference_call(args[0], kwargs.get("training"))
            if outputs is not None:
                return outputs
        function = self._serving_function(args, kwargs)
        if function is not None:
            return self._serve_call(function, args[0])
        return super().__call__(*args, **kwargs)

    def _serving_function(self, args, kwargs):
        """The predict function when the call `self(*args, **kwargs)` can be served by it,
        else None.

        A top-level inference call (`training` unset or False, no other arguments) of a
        built functional or Sequential model made only of unikeras' own layers (no activity
        regularizers, no output masks), on concrete arrays, runs through the backend's cached
        compiled predict function (one trace per input signature, current weights read on
        each call) on backends whose trainer mixin sets `_serves_calls`. Anything else runs
        the ordinary eager call.
        """
        if (
            len(args) != 1
            or (kwargs and (len(kwargs) != 1 or kwargs.get("training", True) not in (None, False)))
            or getattr(_SERVING, "active", False)
            or not self.__class__._serves_calls
            or not self.built
            or self._run_eagerly
        ):
            return None
        from unikeras.layers.layer import _call_context

        if _call_context():  # called inside another layer's call
            return None
        x = args[0]
        leaves = tree.flatten(x) if x.__class__ in (list, tuple, dict) else (x,)
        for leaf in leaves:
            if leaf.__class__ is np.ndarray and leaf.dtype.kind not in _SERVABLE_INPUT_KINDS:
                return None
        if not self._serving_inputs(leaves):
            return None
        function = self.make_predict_function()
        state = self.__dict__.get("_serving_state")
        if state is None or state[0] is not function:
            state = (function, self._servable())
            self.__dict__["_serving_state"] = state
        return function if state[1] else None

    # Set by the trainer mixins of backends whose predict function compiles.
    _serves_calls = False

    def _inference_call(self, inputs, training):
        """The outputs of the inference call `self(inputs, training=training)` when the model
        can run it without `Layer.__call__`'s work (graph models define it), else None."""
        return None

    def _serving_inputs(self, leaves):
        """Whether the call's input `leaves` (NumPy arrays or tensors) are concrete values
        outside any trace, so the compiled predict function may run on them; the mixins
        that set `_serves_calls` define it."""
        return False

    def _servable(self):
        """Whether this model's calls may be served by its compiled predict function."""
        cls = type(self)
        # The class whose `call` runs must be a graph model's own (Functional, Sequential:
        # `_serving_graph` in its own namespace, never inherited by a subclass that
        # overrides `call`; a marker, since trainers may not import models).
        call_owner = next(c for c in cls.__mro__ if "call" in c.__dict__)
        if call_owner.__dict__.get("_serving_graph") is not True:
            return False
        owner = next(c for c in cls.__mro__ if "predict_step" in c.__dict__)
        if not owner.__module__.startswith("unikeras"):
            return False
        if not self.supports_jit_steps():
            return False
        # A compiled function's outputs carry no `_keras_mask`: a graph whose outputs have
        # masks runs the ordinary call (masks inside the graph are computed in the trace).
        if any(getattr(t, "_keras_mask", None) is not None for t in self.outputs):
            return False
        stack = list(self._sublayers())
        while stack:
            layer = stack.pop()
            if (
                not type(layer).__module__.startswith("unikeras.")
                or getattr(layer, "activity_regularizer", None) is not None
            ):
                return False
            stack.extend(layer._sublayers())
        return True

    def _serve_call(self, function, x):
        """Runs the served call `self(x)` through `function` (see `_serving_function`)."""
        _SERVING.active = True
        try:
            return function([(x,)])[0]
        finally:
            _SERVING.active = False
