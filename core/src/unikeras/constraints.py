"""`keras.constraints`: projections applied to weights after each optimizer update."""

from unikeras import ops
from unikeras.backend.config import epsilon as _epsilon
from unikeras.saving import serialization


class Constraint:
    """Base class: `constraint(weight) -> projected weight`."""

    def __call__(self, w):
        return w

    def get_config(self):
        """Returns the constraint's config: a JSON-able dict of its constructor arguments."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Creates a constraint from its config (the output of `get_config`)."""
        return cls(**config)


def _norms(w, axis):
    return ops.sqrt(ops.sum(ops.square(w), axis=axis, keepdims=True))


class MaxNorm(Constraint):
    """Rescales weights whose norm along `axis` exceeds `max_value`.

    Args:
        max_value: The maximum norm (default `2`).
        axis: The axis (or axes) along which norms are computed (default `0`: per output unit of a
            `Dense` kernel).
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = ops.clip(norms, 0, self.max_value)
        return w * (desired / (norms + _epsilon()))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Sets negative weights to zero."""

    def __call__(self, w):
        return ops.multiply(w, ops.cast(ops.greater_equal(w, 0.0), w.dtype))


class UnitNorm(Constraint):
    """Rescales weights to unit norm along `axis`.

    Args:
        axis: The axis (or axes) along which norms are computed (default `0`).
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        return w / (_epsilon() + _norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Keeps the norm along `axis` between `min_value` and `max_value` (blended by `rate`).

    Args:
        min_value: The minimum norm (default `0.0`).
        max_value: The maximum norm (default `1.0`).
        rate: Enforcement rate: weights are rescaled to the norm
            `rate * clip(norm, min_value, max_value) + (1 - rate) * norm` (default `1.0`: strict).
        axis: The axis (or axes) along which norms are computed (default `0`).
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = (
            self.rate * ops.clip(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        )
        return w * (desired / (_epsilon() + norms))

    def get_config(self):
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }


max_norm = MaxNorm
non_neg = NonNeg
unit_norm = UnitNorm
min_max_norm = MinMaxNorm


def get(identifier):
    """Returns a constraint from a constraint, a name, a config dict or a callable.

    Args:
        identifier: A constraint, a name, a config dict, a callable or `None`.

    Returns:
        A constraint (or callable), or `None`.
    """
    return serialization.get_object(identifier, Constraint, "constraint")


def serialize(constraint):
    """Returns the config of `constraint` (for `deserialize`).

    Args:
        constraint: A constraint object.

    Returns:
        Its config dict (for `deserialize`).
    """
    return serialization.serialize_keras_object(constraint)


def deserialize(config, custom_objects=None):
    """Returns a constraint from its config (the output of `serialize`).

    Args:
        config: A config dict from `serialize` (or a name).
        custom_objects: Optional dict mapping names to custom classes or functions.

    Returns:
        The constraint.
    """
    return serialization._deserialize_object(config, custom_objects)
