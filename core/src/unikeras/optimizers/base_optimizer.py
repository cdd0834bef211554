"""`keras.optimizers.Optimizer`: the machinery shared by every optimizer.

Optimizers are written with `unikeras.ops` and `Variable.assign*` only, and all their state
(the iteration counter, the learning rate, slots, EMA copies, gradient accumulators) lives in
`Variable`s listed by `optimizer.variables`. Steps that happen only sometimes (gradient
accumulation, EMA overwrites, loss scaling) are computed every time and kept with
`ops.where`, never with Python branches on tensor values: so a compiled train step can load
traced values into the variables, run `apply`, and read them back (`stateless_apply`).
"""

import numbers
import re
import warnings

from unikeras import initializers, ops
from unikeras.backend import floatx
from unikeras.backend.name_scope import name_scope
from unikeras.backend.registry import optional_hook
from unikeras.ops.operation import to_snake_case
from unikeras.optimizers.schedules import learning_rate_schedule
from unikeras.saving import serialization
from unikeras import variables
from unikeras.variables import BaseVariable


def global_norm(values):
    """The L2 norm of all of `values` (None entries skipped) taken together."""
    squares = [ops.sum(ops.square(v)) for v in values if v is not None]
    return ops.sqrt(ops.sum(ops.stack(squares)))


def clip_by_global_norm(values, clip_norm):
    """Scales `values` so that their global norm is at most `clip_norm` (NaN if it is not
    finite)."""
    norm = global_norm(values)
    scale = clip_norm * ops.minimum(1.0 / norm, 1.0 / clip_norm)
    scale = scale + (norm - norm)  # non-finite norm -> NaN scale
    return [None if v is None else ops.multiply(v, scale) for v in values]


def _snapshot(variables):
    # Copies: some backends (PyTorch) assign in place, which would overwrite a bare `value`.
    return [ops.copy(v.value) for v in variables]


def run_where(condition, fn, variables):
    """Runs the stateful `fn`, then keeps the new values of `variables` only where the
    scalar boolean tensor `condition` is true (their old values otherwise).

    The jit-compatible form of `if condition: fn()`. A backend with the optional hook
    `conditional_update` branches (`fn` runs only where `condition` is true); otherwise `fn`
    always runs and every variable is where-selected.
    """
    branch = optional_hook("conditional_update")
    if branch is not None and branch(condition, fn, list(variables)) is not None:
        return
    before = _snapshot(variables)
    fn()
    for variable, old in zip(variables, before):
        variable.assign(ops.where(condition, variable.value, old))


def _counter_dtype():
    """The dtype of the optimizers' integer counters (`iterations`), Keras 3's per backend:
    `int64` on TensorFlow, `int32` elsewhere; a backend declares it as
    `backend_info()["counter_dtype"]` (default `"int32"`)."""
    from unikeras.backend.registry import table

    return table.backend_info().get("counter_dtype", "int32")


class Optimizer:
    """Base class of all optimizers.

    Subclasses create their slots in `build(var_list)` (calling `super().build(var_list)`
    first) and implement `update_step(gradient, variable, learning_rate)`.

    Args:
        learning_rate: A float, a `keras.optimizers.schedules.LearningRateSchedule`, or a
            callable taking no arguments and returning the rate.
        weight_decay: If set, each step first shrinks every variable (not excluded with
            `exclude_from_weight_decay`) by `variable * weight_decay * learning_rate`.
        clipnorm: Clip each gradient to this L2 norm.
        clipvalue: Clip each gradient element to `[-clipvalue, clipvalue]`.
        global_clipnorm: Clip all gradients together to this global L2 norm.
        use_ema: Keep an exponential moving average of the trained variables.
        ema_momentum: Momentum of that average: `average = m * average + (1 - m) * value`.
        ema_overwrite_frequency: Every this many (update) iterations, overwrite the trained
            variables with their average; `None`: only in `finalize_variable_values`.
        loss_scale_factor: If set, `scale_loss` multiplies the loss by it and `apply`
            divides the gradients by it.
        gradient_accumulation_steps: If an int >= 2, variables are updated only every that
            many steps, with the average of the gradients accumulated since the last update.
        name: Name of the optimizer (prefix of its variables' paths).
    """

    def __init__(
        self,
        learning_rate,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        **kwargs,
    ):
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.")
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        _check_arguments(
            clipnorm,
            clipvalue,
            global_clipnorm,
            use_ema,
            ema_momentum,
            ema_overwrite_frequency,
            gradient_accumulation_steps,
        )
        self.name = name or to_snake_case(type(self).__name__)
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._hyperparameter_names = []
        self._variables = []
        self._trainable_variables = []
        self._trainable_variables_indices = {}
        self._exclude_ids = set()
        self._exclude_pattern = None
        self._iterations = self.add_variable(
            (),
            initializer="zeros",
            dtype=_counter_dtype(),
            aggregation="only_first_replica",
            name="iteration",
        )
        self._learning_rate = self._make_learning_rate(learning_rate)

    def _make_learning_rate(self, learning_rate):
        if isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule) or callable(
            learning_rate
        ):
            return learning_rate
        if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real):
            raise ValueError(
                "Argument `learning_rate` should be float, or an instance of "
                "LearningRateSchedule, or a callable (that takes in the current iteration "
                f"value and returns the corresponding learning rate value). Received instead: "
                f"learning_rate={learning_rate!r}"
            )
        return self.add_variable(
            (),
            initializer=initializers.Constant(float(learning_rate)),
            dtype=floatx(),
            aggregation="only_first_replica",
            name="learning_rate",
        )

    def _set_hyperparameters(self, **values):
        """Stores a subclass's constructor arguments as attributes listed by `get_config`."""
        for key, value in values.items():
            setattr(self, key, value)
            self._hyperparameter_names.append(key)

    # --- state --------------------------------------------------------------------------
    def add_variable(
        self, shape, initializer="zeros", dtype=None, aggregation="mean", name=None, layout=None
    ):
        """Creates a non-trainable optimizer variable (listed in `variables`); `layout`
        places it under a `keras.distribution`."""
        with name_scope(self.name):
            variable = variables.Variable(
                initializers.get(initializer),
                shape=tuple(shape),
                dtype=dtype,
                trainable=False,
                aggregation=aggregation,
                name=name,
                layout=layout,
            )
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """Creates a variable with the shape and dtype of `reference_variable`, named
        `<reference path with _ for />_<name>`."""
        prefix = getattr(reference_variable, "path", None) or str(reference_variable.name)
        name = prefix.replace("/", "_").replace(":", "_") + "_" + (name or "var")
        return self.add_variable(
            reference_variable.shape,
            initializer=initializer,
            dtype=reference_variable.dtype,
            name=name,
            layout=getattr(reference_variable, "_layout", None),
        )

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """One `add_variable_from_reference` slot per variable; `name` may be a list of
        names, giving one list of slots per name. Slots are created variable by variable
        (all names of one variable, then the next), the order Keras 3 saves them in."""
        if isinstance(name, str):
            return [
                self.add_variable_from_reference(v, name, initializer) for v in trainable_variables
            ]
        slots = tuple([] for _ in name)
        for variable in trainable_variables:
            for slot, slot_name in zip(slots, name):
                slot.append(self.add_variable_from_reference(variable, slot_name, initializer))
        return slots

    def build(self, var_list):
        """Creates the slots for `var_list` (EMA averages and gradient accumulators here;
        subclasses add theirs after calling `super().build(var_list)`)."""
        var_list = list(var_list)
        self._trainable_variables_indices = {id(v): i for i, v in enumerate(var_list)}
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(var_list, "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = self.add_optimizer_variables(
                var_list, "gradient_accumulator"
            )
        self._trainable_variables = var_list
        self.built = True

    @property
    def variables(self):
        """All optimizer state, in creation order (`iteration` first)."""
        return self._variables[:]

    @property
    def iterations(self):
        """Number of updates applied (optimizer steps // accumulation steps when
        accumulating)."""
        if self.gradient_accumulation_steps:
            return ops.floor_divide(self._iterations, self.gradient_accumulation_steps)
        return self._iterations

    def _get_variable_index(self, variable):
        return self._trainable_variables_indices[id(variable)]

    @property
    def learning_rate(self):
        """The current learning rate (a schedule is evaluated at the optimizer step)."""
        if isinstance(self._learning_rate, learning_rate_schedule.LearningRateSchedule):
            return self._learning_rate(self._iterations)
        if callable(self._learning_rate):
            return self._learning_rate()
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        previous = self._learning_rate
        if isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule) or callable(
            learning_rate
        ):
            self._learning_rate = learning_rate
            if isinstance(previous, BaseVariable):
                # By identity: a variable's `==` is elementwise.
                self._variables[:] = [v for v in self._variables if v is not previous]
        elif isinstance(previous, learning_rate_schedule.LearningRateSchedule):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` object as its "
                "`learning_rate` constructor argument, hence its learning rate is not "
                "settable. If you need the learning rate to be settable, you should "
                "instantiate the optimizer with a float `learning_rate` argument."
            )
        else:
            previous.assign(learning_rate)

    def assign(self, variable, value):
        """Sets `variable` (model or optimizer variable) to `value`."""
        variable.assign(value)

    def assign_add(self, variable, value):
        """Adds `value` to `variable`."""
        variable.assign_add(value)

    def assign_sub(self, variable, value):
        """Subtracts `value` from `variable`."""
        variable.assign_sub(value)

    # --- weight decay ---------------------------------------------------------------------
    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Excludes variables from weight decay (call before the optimizer is built).

        Args:
            var_list: Variables to exclude.
            var_names: Strings or regex patterns; a variable whose name contains a match is
                excluded (e.g. `["bias"]`).
        """
        if self.built:
            raise ValueError(
                "`exclude_from_weight_decay()` can only be configured before the optimizer "
                "is built."
            )
        self._exclude_ids = {id(v) for v in var_list or ()}
        self._exclude_pattern = re.compile("|".join(set(var_names))) if var_names else None

    def _use_weight_decay(self, variable):
        if id(variable) in self._exclude_ids:
            return False
        return self._exclude_pattern is None or self._exclude_pattern.search(variable.name) is None

    def _apply_weight_decay(self, variables):
        if self.weight_decay is None:
            return
        for variable in variables:
            if self._use_weight_decay(variable):
                lr = ops.cast(self.learning_rate, variable.dtype)
                wd = ops.cast(self.weight_decay, variable.dtype)
                variable.assign(variable - variable * wd * lr)

    # --- gradients ------------------------------------------------------------------------
    def _clip_by_norm(self, values):
        l2sum = ops.sum(ops.square(values), keepdims=True)
        positive = l2sum > 0
        # Where the sum is 0 take sqrt of 1 instead: keeps sqrt's gradient finite.
        l2norm = ops.where(positive, ops.sqrt(ops.where(positive, l2sum, 1.0)), l2sum)
        return values * self.clipnorm / ops.maximum(l2norm, self.clipnorm)

    def _clip_gradients(self, grads):
        if self.clipnorm and self.clipnorm > 0:
            return [None if g is None else self._clip_by_norm(g) for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            return clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue and self.clipvalue > 0:
            limit = self.clipvalue
            return [None if g is None else ops.clip(g, -limit, limit) for g in grads]
        return grads

    def _overwrite_with_gradients(self, grads, variables):
        """Assigns the gradient itself to variables marked `overwrite_with_gradient`
        (e.g. float8 scales) and returns the remaining pairs. While accumulating, the
        running maximum of those gradients is assigned on update steps."""
        kept_grads, kept_vars = [], []
        for g, v in zip(grads, variables):
            if g is None or not getattr(v, "overwrite_with_gradient", False):
                kept_grads.append(g)
                kept_vars.append(v)
            elif self.gradient_accumulation_steps:
                update = self._is_accumulation_update_step()
                accumulator = self._accumulated_gradients[self._get_variable_index(v)]
                largest = ops.maximum(g, accumulator)
                v.assign(ops.where(update, largest, v.value))
                accumulator.assign(ops.where(update, ops.zeros_like(largest), largest))
            else:
                v.assign(g)
        return kept_grads, kept_vars

    @staticmethod
    def _filter_empty_gradients(grads, variables):
        missing = [v.name for g, v in zip(grads, variables) if g is None]
        if len(missing) == len(variables):
            raise ValueError("No gradients provided for any variable.")
        if missing:
            warnings.warn(
                f"Gradients do not exist for variables {missing} when minimizing the loss. "
                "If using `model.compile()`, did you forget to provide a `loss` argument?"
            )
        pairs = [(g, v) for g, v in zip(grads, variables) if g is not None]
        return [g for g, _ in pairs], [v for _, v in pairs]

    # --- applying -------------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars):
        """Applies `[(gradient, variable), ...]`; returns the iteration counter."""
        grads, trainable_variables = zip(*grads_and_vars)
        self.apply(grads, trainable_variables)
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Updates the trainable variables with their gradients.

        Args:
            grads: Gradients, one per variable (`None` entries are skipped with a warning).
            trainable_variables: The variables; defaults to those the optimizer was built
                with. The first call builds the optimizer on them.
        """
        grads = list(grads)
        if not grads:
            return
        trainable_variables = self._resolve_variables(grads, trainable_variables)
        with name_scope(self.name):
            grads, trainable_variables = self._overwrite_with_gradients(grads, trainable_variables)
            if not trainable_variables:
                return
            grads, trainable_variables = self._filter_empty_gradients(grads, trainable_variables)
            if self.loss_scale_factor is not None:
                grads = [g / self.loss_scale_factor for g in grads]
            self._apply_updates(grads, trainable_variables)
            for variable in trainable_variables:
                if getattr(variable, "constraint", None) is not None:
                    variable.assign(variable.constraint(variable))

    def _resolve_variables(self, grads, trainable_variables):
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be "
                    "built on a list of variables. Call `optimizer.build(trainable_variables)` "
                    "first."
                )
            if len(grads) != len(self._trainable_variables):
                raise ValueError(
                    "When passing `grads` as a list of gradient tensors, the gradients must "
                    f"match the optimizer's variables one-to-one. Received {len(grads)} "
                    f"gradients, but the optimizer is tracking "
                    f"{len(self._trainable_variables)} trainable variables."
                )
            return list(self._trainable_variables)
        trainable_variables = list(trainable_variables)
        if len(grads) != len(trainable_variables):
            raise ValueError(
                f"Received {len(grads)} gradients for {len(trainable_variables)} variables."
            )
        if not self.built:
            with name_scope(self.name):
                self.build(trainable_variables)
            self.built = True
        for v in trainable_variables:
            if id(v) not in self._trainable_variables_indices:
                raise ValueError(
                    f"Unknown variable: {v.path!r}. This optimizer can only be called for "
                    "the variables it was originally built with. When working with a new "
                    "set of variables, you should recreate a new optimizer instance."
                )
        return trainable_variables

    def _apply_updates(self, grads, trainable_variables):
        """Gradient step (or accumulation), EMA, then the iteration counter."""
        if self.gradient_accumulation_steps:
            self._accumulate_and_maybe_update(grads, trainable_variables)
        else:
            self._clip_decay_and_update(grads, trainable_variables)
        if self.use_ema:
            self._update_model_variables_moving_average(self._trainable_variables)
            if self.ema_overwrite_frequency:
                due = ops.equal(
                    ops.mod(ops.add(self.iterations, 1), self.ema_overwrite_frequency), 0
                )
                for var, average in zip(
                    self._trainable_variables, self._model_variables_moving_average
                ):
                    var.assign(ops.where(due, average.value, var.value))
        self._iterations.assign_add(1)

    def _clip_decay_and_update(self, grads, trainable_variables):
        grads = self._clip_gradients(grads)
        self._apply_weight_decay(trainable_variables)
        self._backend_update_step(grads, trainable_variables, self.learning_rate)

    def _is_accumulation_update_step(self):
        return ops.equal(ops.mod(ops.add(self._iterations, 1), self.gradient_accumulation_steps), 0)

    def _accumulate_and_maybe_update(self, grads, trainable_variables):
        update = self._is_accumulation_update_step()
        accumulators = [
            self._accumulated_gradients[self._get_variable_index(v)] for v in trainable_variables
        ]
        sums = [ops.add(g, a) for g, a in zip(grads, accumulators)]
        steps = self.gradient_accumulation_steps
        run_where(
            update,
            lambda: self._clip_decay_and_update([s / steps for s in sums], trainable_variables),
            list(trainable_variables) + self.variables,
        )
        for accumulator, total in zip(accumulators, sums):
            accumulator.assign(ops.where(update, ops.zeros_like(total), total))

    def _backend_update_step(self, grads, trainable_variables, learning_rate):
        for grad, variable in zip(grads, trainable_variables):
            self.update_step(grad, variable, learning_rate)

    def update_step(self, gradient, variable, learning_rate):
        """Updates `variable` (and its slots) from `gradient`; implemented by subclasses."""
        raise NotImplementedError(f"Optimizer {type(self).__name__} must implement `update_step`.")

    def stateless_apply(self, optimizer_variables, grads, trainable_variables):
        """`apply` on given values instead of the stored ones.

        Args:
            optimizer_variables: Values for `self.variables`, in order.
            grads: Gradients, one per variable the optimizer was built with.
            trainable_variables: Values for those variables, in order.

        Returns:
            `(new_trainable_values, new_optimizer_values)`; the stored variables are left
            unchanged.
        """
        if not self.built:
            raise ValueError(
                f"To call `stateless_apply`, {type(self).__name__} must be built (i.e. its "
                "variables must have been created). You can build it via "
                "`optimizer.build(trainable_variables)`."
            )
        own, model = self.variables, self._trainable_variables
        if len(optimizer_variables) != len(own) or len(trainable_variables) != len(model):
            raise ValueError(
                f"`stateless_apply` expected {len(own)} optimizer values and {len(model)} "
                f"trainable values, received {len(optimizer_variables)} and "
                f"{len(trainable_variables)}."
            )
        tracked = model + own
        # The values as they are where assignment stores a new tensor (JAX: no op, so no
        # tracer is left in the variables when this runs under `jax.jit`), copies where
        # it writes in place (torch).
        snapshot = optional_hook("variable_snapshot") or (lambda value: value)
        saved = [snapshot(v.value) for v in tracked]
        try:
            for variable, value in zip(
                tracked, list(trainable_variables) + list(optimizer_variables)
            ):
                variable._direct_assign(value)
            self.apply(grads)
            new_values = [snapshot(v.value) for v in tracked]
        finally:
            for variable, value in zip(tracked, saved):
                variable._direct_assign(value)
        return new_values[: len(model)], new_values[len(model) :]

    def scale_loss(self, loss):
        """Multiplies `loss` by `loss_scale_factor` (when set)."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    # --- EMA ------------------------------------------------------------------------------
    def _update_model_variables_moving_average(self, trainable_variables):
        not_first_step = ops.not_equal(self.iterations, 0)
        for var, average in zip(trainable_variables, self._model_variables_moving_average):
            momentum = ops.cast(not_first_step, var.dtype) * self.ema_momentum
            average.assign(
                ops.add(ops.multiply(momentum, average), ops.multiply(1 - momentum, var))
            )

    def _overwrite_model_variables_with_average_value(self, trainable_variables):
        averages = self._model_variables_moving_average
        if len(trainable_variables) != len(averages):
            raise ValueError(
                f"The length of model variables ({len(trainable_variables)}) to override "
                f"does not match the length of model variables stored in the optimizer "
                f"({len(averages)}). Please check if the optimizer was called on your model."
            )
        for var, average in zip(trainable_variables, averages):
            var.assign(average)

    def finalize_variable_values(self, var_list):
        """Sets the trained variables' final values (their moving average under EMA)."""
        if self.use_ema:
            self._overwrite_model_variables_with_average_value(var_list)

    # --- saving ---------------------------------------------------------------------------
    def set_weights(self, weights):
        """Sets the values of `variables` from a list of arrays."""
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. "
                "Please call `optimizer.build(trainable_variables)` to create the optimizer "
                "weights before calling `set_weights()`."
            )
        for variable, weight in zip(self.variables, weights):
            if tuple(variable.shape) != tuple(getattr(weight, "shape", ())):
                raise ValueError(
                    f"Optimizer variable {variable.path!r} has shape {variable.shape} not "
                    f"compatible with provided weight shape {getattr(weight, 'shape', ())}."
                )
            variable.assign(weight)

    def get_weights(self):
        """Returns the values of `variables` as NumPy arrays."""
        return [v.numpy() for v in self.variables]

    def save_own_variables(self, store):
        """Writes the variables into `store` under keys `"0"`, `"1"`, ..."""
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        """Reads the variables written by `save_own_variables` (skipped with a warning when
        the counts differ, e.g. an optimizer not built yet)."""
        variables = self.variables
        if len(store.keys()) != len(variables):
            warnings.warn(
                f"Skipping variable loading for optimizer '{self.name}', because it has "
                f"{len(variables)} variables whereas the saved optimizer has "
                f"{len(store.keys())} variables."
            )
            return
        for i, variable in enumerate(variables):
            variable.assign(store[str(i)])

    def get_config(self):
        """Returns the constructor arguments as a JSON-able dict."""
        learning_rate = self._learning_rate
        if isinstance(learning_rate, BaseVariable):
            learning_rate = float(learning_rate.numpy())
        else:
            learning_rate = serialization.serialize_keras_object(learning_rate)
        config = {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }
        config.update({key: getattr(self, key) for key in self._hyperparameter_names})
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Creates an optimizer from `get_config()` output."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = learning_rate_schedule.deserialize(
                config["learning_rate"], custom_objects=custom_objects
            )
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _check_arguments(
    clipnorm,
    clipvalue,
    global_clipnorm,
    use_ema,
    ema_momentum,
    ema_overwrite_frequency,
    gradient_accumulation_steps,
):
    if gradient_accumulation_steps and not gradient_accumulation_steps >= 2:
        raise ValueError(
            "`gradient_accumulation_steps` must be an integer >= 2. Received: "
            f"gradient_accumulation_steps={gradient_accumulation_steps}"
        )
    if use_ema:
        if not 0 <= ema_momentum <= 1:
            raise ValueError(
                f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={ema_momentum}"
            )
        if ema_overwrite_frequency and (
            not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1
        ):
            raise ValueError(
                "`ema_overwrite_frequency` must be an integer >= 1 or None. Received: "
                f"ema_overwrite_frequency={ema_overwrite_frequency}"
            )
    if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
        raise ValueError(
            "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
            f"clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}"
        )
