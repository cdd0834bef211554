"""The JAX trainer mixin: jitted, stateless train/test/predict steps.

A compiled step is a pure function `(state, data) -> (outputs, new_state)`, where the state is
the values of every Variable the step may touch: trainable weights, non-trainable weights and
seed-generator states, optimizer variables, metric variables. Inside the trace the state's
tracers are loaded into the unikeras Variables, the ordinary (stateful-looking) step runs on
them, and the Variables' values are read back out, so the layers, optimizers and metrics need
no JAX-specific code and the trace stays pure. The state buffers are donated to `jax.jit`, and
after each call the new arrays are stored back into the Variables: this costs no copy (JAX
arrays are immutable, the Variable just points at the new one), and callbacks, which run
between calls, always see the current weights.

Gradients come from `jax.value_and_grad` over a function of the trainable values that loads
them into the trainable Variables the same way. The same `train_step` therefore runs eagerly
too (`run_eagerly=True`, `jit_compile=False`), where JAX differentiates op by op.
"""

from functools import partial

import jax
import numpy as np

from unikeras_jax import distribution
from unikeras_jax.variable import TRACED_ASSIGNS
from unikeras.backend.api import global_seed_state
from unikeras.utils import unpack_x_y_sample_weight

# Steps defined here or in the core `Trainer` are known to trace; a model's own override
# is compiled only when it asks for it with `jit_compile=True`.
_OWN_STEP_MODULES = ("unikeras_jax.trainer", "unikeras.trainers.trainer")


def _unique(variables):
    """`variables` without repeats (a Variable can be reachable twice)."""
    seen, result = set(), []
    for variable in variables:
        if id(variable) not in seen:
            seen.add(id(variable))
            result.append(variable)
    return result


def _with_values(variables, values, fn):
    """Runs `fn()` with `variables` holding `values`; returns `(fn's result, the variables'
    values afterwards)` and leaves the variables as they were (so no tracer escapes). A
    Variable outside `variables` that `fn` assigns a tracer (one the model does not track,
    such as the seed generator of an augmentation layer used from a global) keeps its value:
    its update is dropped, as under Keras 3's stateless scope."""
    saved = [v._value for v in variables]
    assigned = {}  # any other Variable given a tracer meanwhile: restored too
    TRACED_ASSIGNS.append(assigned)
    try:
        for variable, value in zip(variables, values):
            variable._value = value
        result = fn()
        return result, [v._value for v in variables]
    finally:
        TRACED_ASSIGNS.pop()
        threaded = {id(v) for v in variables}
        untracked = [pair for key, pair in assigned.items() if key not in threaded]
        if TRACED_ASSIGNS:  # a step around this one restores them (after its own checks)
            for variable, value in untracked:
                TRACED_ASSIGNS[-1].setdefault(id(variable), (variable, value))
        else:
            for variable, value in untracked:
                variable._value = value
        for variable, value in zip(variables, saved):
            variable._value = value


def _store(variables, values):
    for variable, value in zip(variables, values):
        variable._value = value


def _no_unseeded_random(fn):
    """Runs `fn()` (a step being traced), failing clearly if it drew from the global seed
    generator (`seed=None`): that generator is not part of the threaded state, so its draw
    would be baked into the compiled step and its state would leak a tracer."""
    generator = global_seed_state["generator"]
    before = None if generator is None else generator.state._value
    result = fn()
    if global_seed_state["generator"] is generator and (
        generator is None or generator.state._value is before
    ):
        return result
    if generator is None:  # created by this trace: drop it
        global_seed_state["generator"] = None
    else:
        generator.state._value = before
    raise RuntimeError(
        "A random op with `seed=None` ran inside a jitted step. Under JAX, give it a seed "
        "that is part of the model's state: create a `keras.random.SeedGenerator` in the "
        "layer's `__init__` and pass it as `seed=`, or compile with `run_eagerly=True`."
    )


def _compiled(step, mutable, readonly):
    """`step(data)` as a jitted pure function of the Variables' values.

    `mutable` Variables are threaded as donated state and written back after each call;
    `readonly` ones (weights that predict or evaluate only read) are passed in as arguments.
    """
    variables = mutable + readonly
    shardings = []  # under keras.distribution: the state's shardings, kept by the step

    def pure(state, constants, data):
        outputs, values = _with_values(
            variables,
            list(state) + list(constants),
            lambda: _no_unseeded_random(lambda: step(data)),
        )
        if shardings:
            return outputs, distribution.keep_shardings(values[: len(mutable)], shardings)
        return outputs, values[: len(mutable)]

    jitted = jax.jit(pure, donate_argnums=0)

    def run(data):
        if distribution.active():
            shardings[:] = shardings or distribution.shardings_of([v._value for v in mutable])
            data = distribution.shard_batch(data)
        outputs, new_state = jitted([v._value for v in mutable], [v._value for v in readonly], data)
        _store(mutable, new_state)
        return outputs

    return run


def _concrete(leaf):
    return leaf.__class__ is np.ndarray or (
        isinstance(leaf, jax.Array) and not isinstance(leaf, jax.core.Tracer)
    )


class JaxTrainer:
    """Trainer mixin of the JAX backend (see the `trainer_mixin` hook)."""

    # `model(x)` on concrete arrays runs the jitted predict function (see the core Trainer).
    _serves_calls = True

    def _serving_inputs(self, leaves):
        """Concrete arrays only (a tracer means the call is part of a larger trace), and no
        trace under way: a model called on a NumPy constant inside another model's traced
        step (gnn_citations' `self.preprocess(self.node_features)`) runs in that trace."""
        return all(_concrete(leaf) for leaf in leaves) and not isinstance(
            jax.numpy.zeros(()), jax.core.Tracer
        )

    def train_step(self, *args):
        """One training step. `train_step(data)`: forward pass and loss under
        `jax.value_and_grad`, optimizer update, metrics; returns the metric results.
        `train_step(state, data)`, Keras 3's stateless JAX form with `state` the
        `(trainable_variables, non_trainable_variables, optimizer_variables,
        metrics_variables)` values: returns `(logs, new_state)` and leaves the Variables
        unchanged (so a model's own `train_step(state, data)` can call
        `super().train_step(state, data)`)."""
        if len(args) == 2:
            return self._step_on_state("train_step", *args)
        (data,) = args
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        trainable = self.trainable_variables
        others = _unique(self.non_trainable_variables + self.metrics_variables)
        (_, (loss, y_pred, new_others)), grads = jax.value_and_grad(
            self._loss_and_updates, has_aux=True
        )([v.value for v in trainable], trainable, others, x, y, sample_weight)
        _store(others, new_others)
        self._update_loss_tracker(loss, x)
        if trainable:
            self.optimizer.apply(grads, trainable)
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def _loss_and_updates(self, trainable_values, trainable, others, x, y, sample_weight):
        """The loss scaled for the optimizer, as a function of the trainable values, plus
        `(loss, y_pred, the new values of others)`: seed generators, moving statistics and
        per-output loss trackers change during the forward pass."""

        def forward():
            y_pred = self(x, training=True)
            loss = self._compute_loss(
                x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True
            )
            self._clear_losses()  # they hold this trace's values
            return loss, y_pred

        values = list(trainable_values) + [v._value for v in others]
        (loss, y_pred), new_values = _with_values(trainable + others, values, forward)
        scale_loss = getattr(self.optimizer, "scale_loss", None)
        scaled = scale_loss(loss) if scale_loss is not None else loss
        return scaled, (loss, y_pred, new_values[len(trainable) :])

    def predict_step(self, *args):
        """One inference step. `predict_step(data)` returns the model's outputs;
        `predict_step(state, data)`, Keras 3's stateless JAX form with `state` the
        `(trainable_variables, non_trainable_variables)` values, returns `(outputs,
        non_trainable_variables)` and leaves the model's Variables unchanged."""
        if len(args) != 2:
            return super().predict_step(*args)
        (trainable_values, non_trainable_values), data = args
        x, _, _ = unpack_x_y_sample_weight(data)
        return self.stateless_call(trainable_values, non_trainable_values, x, training=False)

    def test_step(self, *args):
        """One evaluation step. `test_step(data)` returns the metric results;
        `test_step(state, data)`, Keras 3's stateless JAX form with `state` the
        `(trainable_variables, non_trainable_variables, metrics_variables)` values, returns
        `(logs, new_state)` and leaves the Variables unchanged."""
        if len(args) == 2:
            return self._step_on_state("test_step", *args)
        return super().test_step(*args)

    # --- Keras 3's stateless JAX steps: `train_step(self, state, data)` -----------------
    def _state_groups(self, name):
        """The Variables of the `state` a stateless `name` step takes and returns, by group
        (Keras 3's order)."""
        groups = [self.trainable_variables, self.non_trainable_variables]
        if name == "train_step":
            groups.append(list(getattr(self.optimizer, "variables", None) or []))
        groups.append(self.metrics_variables)
        return groups

    def _step_on_state(self, name, state, data):
        """The built-in `name` step (`"train_step"`/`"test_step"`) run on the values in
        `state` instead of the Variables': `(logs, new_state)`, the Variables unchanged."""
        groups = self._state_groups(name)
        sizes = [len(group) for group in groups]
        try:
            given = [len(values) for values in state]
        except TypeError:
            given = None
        if given != sizes:
            raise ValueError(
                f"{type(self).__name__}.{name}(state, data): `state` must hold {len(groups)} "
                f"lists of values, of lengths {sizes} (the model's "
                + (
                    "trainable, non-trainable, optimizer and metrics variables"
                    if name == "train_step"
                    else "trainable, non-trainable and metrics variables"
                )
                + f"). Received lengths {given}."
            )
        # This class's own step of `data` (a model's override of the stateless form is what
        # called here: `self.train_step` would be that override).
        step = super().test_step if name == "test_step" else partial(JaxTrainer.train_step, self)
        logs, values = _with_values(
            [v for group in groups for v in group],
            [value for values in state for value in values],
            lambda: step(data),
        )
        new_state, start = [], 0
        for size in sizes:
            new_state.append(values[start : start + size])
            start += size
        return logs, tuple(new_state)

    def _stateless_step(self, name):
        """A model's own `train_step(state, data)` / `test_step(state, data)` /
        `predict_step(state, data)` (the signatures Keras 3 documents for JAX: they return
        `(logs, new_state)`, and `(outputs, non_trainable_variables)` for predict) as a
        step of `data` that loads the new state into the Variables; `None` for a
        `step(data)`."""
        import inspect

        method = getattr(self, name)
        owner = next(cls for cls in type(self).__mro__ if name in cls.__dict__)
        if owner.__module__ in _OWN_STEP_MODULES:
            return None
        try:
            parameters = [
                p
                for p in inspect.signature(method).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            ]
        except (TypeError, ValueError):  # pragma: no cover
            return None
        if len(parameters) != 2:
            return None
        groups = self._state_groups(name)

        if name == "predict_step":
            trainable, non_trainable = groups[0], groups[1]

            def predict(data):
                state = ([v.value for v in trainable], [v.value for v in non_trainable])
                outputs, new_values = method(state, data)
                _store(non_trainable, new_values)
                return outputs

            return predict

        def step(data):
            state = tuple([v.value for v in group] for group in groups)
            logs, new_state = method(state, data)
            for group, values in zip(groups, new_state):
                _store(group, values)
            return logs

        return step

    # --- compiled functions -------------------------------------------------------------
    def _compiles(self, name):
        """Whether the `name` step (`"train_step"`...) runs jitted."""
        if self.run_eagerly or not self.jit_compile:
            return False
        owner = next(cls for cls in type(self).__mro__ if name in cls.__dict__)
        return owner.__module__ in _OWN_STEP_MODULES or self._jit_compile is True

    def _model_state(self):
        return _unique(self.trainable_variables + self.non_trainable_variables)

    def make_train_function(self, force=False):
        if self.train_function is not None and not force:
            return self.train_function
        stateless = self._stateless_step("train_step")
        if stateless is not None and (self.run_eagerly or not self.jit_compile):
            self.train_function = self._multi_step_function(stateless)
            return self.train_function
        if stateless is None and not self._compiles("train_step"):
            return super().make_train_function(force=True)
        optimizer_variables = list(getattr(self.optimizer, "variables", None) or [])
        state = _unique(self._model_state() + optimizer_variables + self.metrics_variables)
        self.train_function = self._multi_step_function(
            _compiled(stateless or self.train_step, state, [])
        )
        return self.train_function

    def make_test_function(self, force=False):
        if self.test_function is not None and not force:
            return self.test_function
        stateless = self._stateless_step("test_step")
        if stateless is not None and (self.run_eagerly or not self.jit_compile):
            self.test_function = self._multi_step_function(stateless)
            return self.test_function
        if stateless is None and not self._compiles("test_step"):
            return super().make_test_function(force=True)
        weights = self.trainable_variables
        state = _unique(self.non_trainable_variables + self.metrics_variables)
        if stateless is not None:  # it returns new values of every group: thread them all
            state, weights = _unique(weights + state), []
        self.test_function = self._multi_step_function(
            _compiled(stateless or self.test_step, state, weights)
        )
        return self.test_function

    def make_predict_function(self, force=False):
        if self.predict_function is not None and not force:
            return self.predict_function
        stateless = self._stateless_step("predict_step")
        if stateless is not None and (self.run_eagerly or not self.jit_compile):
            self.predict_function = self._multi_step_function(stateless, collect=True)
            return self.predict_function
        if stateless is None and not self._compiles("predict_step"):
            return super().make_predict_function(force=True)
        self.predict_function = self._multi_step_function(
            _compiled(
                stateless or self.predict_step,
                self.non_trainable_variables,
                self.trainable_variables,
            ),
            collect=True,
        )
        return self.predict_function
