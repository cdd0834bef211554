"""`keras.optimizers.MultiOptimizer` and `keras.optimizers.OptimizerMap`: different
optimizers for different variables."""

import re
from collections.abc import MutableMapping

from unikeras.optimizers.base_optimizer import Optimizer
from unikeras.optimizers.loss_scale_optimizer import LossScaleOptimizer
from unikeras.saving import serialization


class OptimizerMap(MutableMapping):
    """Maps variable paths (exact strings or regexes matched with `re.fullmatch`) to
    optimizers; unmatched variables get `default_optimizer`.

    Args:
        default_optimizer: The optimizer of variables no key matches.
        optimizer_map: Optional dict `{path or regex: optimizer}`.
    """

    def __init__(self, default_optimizer, optimizer_map=None):
        if not isinstance(default_optimizer, Optimizer):
            raise TypeError(
                "default_optimizer must be a Keras Optimizer instance. "
                f"Received: {default_optimizer}"
            )
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(f"optimizer_map must be a dictionary. Received: {optimizer_map}")
        self._default_optimizer = default_optimizer
        self._optimizer_map = {}
        for key, optimizer in (optimizer_map or {}).items():
            self[key] = optimizer

    @property
    def default_optimizer(self):
        """The optimizer of the variables that no pattern matches."""
        return self._default_optimizer

    def __getitem__(self, key):
        """The optimizer of path `key`: an exact key first, then the one regex key that
        fully matches it (more than one is an error), else the default optimizer."""
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matches = [pattern for pattern in self._optimizer_map if re.fullmatch(pattern, key)]
        if len(matches) > 1:
            raise ValueError(f"Multiple optimizers assigned to variable {key}: {matches}.")
        if matches:
            return self._optimizer_map[matches[0]]
        return self._default_optimizer

    def __setitem__(self, key, optimizer):
        if key in self._optimizer_map:
            raise ValueError(
                f"'{key}' already exists in the OptimizerMap with value "
                f"{self._optimizer_map[key]}. Please make sure to not use duplicated keys."
            )
        if not isinstance(key, str):
            raise ValueError(f"key must be a string. Received: {key}")
        if not isinstance(optimizer, Optimizer):
            raise ValueError(f"optimizer must be a Keras Optimizer instance. Received: {optimizer}")
        if isinstance(optimizer, LossScaleOptimizer):
            raise ValueError("optimizer cannot be LossScaleOptimizer.")
        if isinstance(optimizer, MultiOptimizer):
            raise ValueError("optimizer cannot be MultiOptimizer.")
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key):
        del self._optimizer_map[key]

    def __len__(self):
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable):
        return self[variable.path]

    def get_config(self):
        """Returns the map's config: each pattern's optimizer and the default optimizer."""
        return {
            "default_optimizer": serialization.serialize_keras_object(self._default_optimizer),
            "optimizer_map": serialization.serialize_keras_object(self._optimizer_map),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Creates a map from its config (the output of `get_config`)."""
        default = serialization._deserialize_object(
            config["default_optimizer"], custom_objects=custom_objects
        )
        mapping = {
            key: serialization._deserialize_object(value, custom_objects=custom_objects)
            for key, value in (config.get("optimizer_map") or {}).items()
        }
        return cls(default, mapping)


class MultiOptimizer(Optimizer):
    """Delegates each variable to the optimizer an `OptimizerMap` (or a callable
    `variable -> optimizer`) chooses for it.

    Its `variables` are its own (`iteration`, `learning_rate`) followed by those of each
    sub-optimizer; `optimizers` lists the sub-optimizers. `learning_rate` is not defined
    on a `MultiOptimizer` (each sub-optimizer has its own).

    Args:
        optimizer_map: An `OptimizerMap`, or a callable returning an optimizer for a
            variable.
        loss_scale_factor: Overrides the `loss_scale_factor` of the sub-optimizers.
        name: Name of the optimizer.
    """

    def __init__(self, optimizer_map, loss_scale_factor=None, name=None):
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        self._optimizer_map = optimizer_map
        self._inner_optimizers = []
        candidates = list(optimizer_map.values()) if hasattr(optimizer_map, "values") else []
        default = getattr(optimizer_map, "default_optimizer", None)
        if default is not None:
            candidates.append(default)
        for optimizer in candidates:
            if not any(optimizer is known for known in self._inner_optimizers):
                optimizer.loss_scale_factor = loss_scale_factor
                self._inner_optimizers.append(optimizer)

    def _index_of(self, optimizer):
        for i, known in enumerate(self._inner_optimizers):
            if known is optimizer:
                return i
        return None

    def build(self, var_list):
        if self.built:
            return
        var_list = list(var_list)
        self._var_to_optimizer_idx = {}
        per_optimizer = [[] for _ in self._inner_optimizers]
        for variable in var_list:
            optimizer = self._optimizer_map(variable)
            if not isinstance(optimizer, Optimizer):
                raise ValueError(
                    f"Optimizer for variable {variable.path!r} is not an Optimizer "
                    f"instance. Received: {optimizer!r}"
                )
            if isinstance(optimizer, LossScaleOptimizer):
                raise ValueError("LossScaleOptimizer cannot be used inside an MultiOptimizer.")
            if isinstance(optimizer, MultiOptimizer):
                raise ValueError("MultiOptimizer cannot be used inside an MultiOptimizer.")
            index = self._index_of(optimizer)
            if index is None:
                optimizer.loss_scale_factor = self.loss_scale_factor
                self._inner_optimizers.append(optimizer)
                per_optimizer.append([])
                index = len(self._inner_optimizers) - 1
            self._var_to_optimizer_idx[id(variable)] = index
            per_optimizer[index].append(variable)
        for optimizer, variables in zip(self._inner_optimizers, per_optimizer):
            if variables:
                optimizer.build(variables)
        super().build(var_list)

    @property
    def optimizers(self):
        """The sub-optimizers."""
        return self._inner_optimizers

    @property
    def variables(self):
        found = self._variables[:]
        for optimizer in self._inner_optimizers:
            found.extend(optimizer.variables)
        return found

    @property
    def learning_rate(self):
        raise AttributeError(
            "Learning rate cannot be accessed on a MultiOptimizer. Access the learning rate "
            "on the individual sub-optimizers instead."
        )

    @learning_rate.setter
    def learning_rate(self, value):
        raise AttributeError(
            "Learning rate cannot be set on a MultiOptimizer. Set the learning rate on the "
            "individual sub-optimizers instead."
        )

    @property
    def loss_scale_factor(self):
        """The loss scale factor applied before gradients are computed (None: none)."""
        return getattr(self, "_loss_scale_factor", None)

    @loss_scale_factor.setter
    def loss_scale_factor(self, value):
        self._loss_scale_factor = value
        for optimizer in getattr(self, "_inner_optimizers", ()):
            optimizer.loss_scale_factor = value

    @property
    def iterations(self):
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Hands each `(gradient, variable)` pair to its sub-optimizer, then counts one
        iteration."""
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be "
                    "built on a list of variables. Call `optimizer.build(trainable_variables)` "
                    "first."
                )
            trainable_variables = self._trainable_variables
        trainable_variables = list(trainable_variables)
        if not self.built:
            self.build(trainable_variables)
        if len(grads) != len(trainable_variables):
            raise ValueError(
                "Gradients must match trainable variables one-to-one. Received "
                f"{len(grads)} gradients and {len(trainable_variables)} variables."
            )
        grouped = [[] for _ in self._inner_optimizers]
        for grad, variable in zip(grads, trainable_variables):
            index = self._var_to_optimizer_idx.get(id(variable))
            if index is None:
                raise ValueError(
                    f"Unknown variable: {variable.path!r}. This optimizer can only be called "
                    "for the variables it was originally built with."
                )
            grouped[index].append((grad, variable))
        for optimizer, pairs in zip(self._inner_optimizers, grouped):
            if pairs:
                optimizer.apply([g for g, _ in pairs], [v for _, v in pairs])
        self._iterations.assign_add(1)

    def finalize_variable_values(self, var_list):
        grouped = [[] for _ in self._inner_optimizers]
        for variable in var_list:
            grouped[self._var_to_optimizer_idx[id(variable)]].append(variable)
        for optimizer, variables in zip(self._inner_optimizers, grouped):
            if variables:
                optimizer.finalize_variable_values(variables)

    def set_weights(self, weights):
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. "
                "Please call `optimizer.build(trainable_variables)` to create the optimizer "
                "weights before calling `set_weights()`."
            )
        weights = list(weights)
        own = len(self._variables)
        for variable, weight in zip(self._variables, weights[:own]):
            variable.assign(weight)
        start = own
        for optimizer in self._inner_optimizers:
            count = len(optimizer.variables)
            if count and optimizer.built:
                optimizer.set_weights(weights[start : start + count])
            start += count

    def get_config(self):
        return {
            "optimizer_map": serialization.serialize_keras_object(self._optimizer_map),
            "loss_scale_factor": self.loss_scale_factor,
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["optimizer_map"] = serialization._deserialize_object(
            config["optimizer_map"], custom_objects=custom_objects
        )
        return cls(**config)
