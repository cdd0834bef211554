"""`keras.regularizers`: penalties on weights added to the training loss."""

import math

from unikeras import ops
from unikeras.saving import serialization


class Regularizer:
    """Base class: `regularizer(weight) -> scalar penalty`."""

    def __call__(self, x):
        return 0.0

    def get_config(self):
        """Returns the regularizer's config: a JSON-able dict of its constructor arguments."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Creates a regularizer from its config (the output of `get_config`)."""
        return cls(**config)


class L1L2(Regularizer):
    """`l1 * sum(|x|) + l2 * sum(x**2)`.

    Args:
        l1: L1 factor (default 0).
        l2: L2 factor (default 0).
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = float(l1)
        self.l2 = float(l2)

    def __call__(self, x):
        total = 0.0
        if self.l1:
            total = total + self.l1 * ops.sum(ops.absolute(x))
        if self.l2:
            total = total + self.l2 * ops.sum(ops.square(x))
        return total

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    """`l1 * sum(|x|)` (default `l1=0.01`).

    Args:
        l1: The L1 factor (default `0.01`).
    """

    def __init__(self, l1=0.01):
        super().__init__(l1=l1)

    def get_config(self):
        return {"l1": self.l1}


class L2(L1L2):
    """`l2 * sum(x**2)` (default `l2=0.01`).

    Args:
        l2: The L2 factor (default `0.01`).

    Examples:
        >>> float(keras.regularizers.L2(0.1)(np.array([1.0, 2.0])))  # 0.1 * (1 + 4)
        0.5
    """

    def __init__(self, l2=0.01):
        super().__init__(l2=l2)

    def get_config(self):
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2-D weight towards being orthogonal.

    The penalty is `factor * 0.5 * sum(|P - diag(P)|) / (n * (n - 1) / 2)`, `P` being the
    Gram matrix of the L2-normalized rows (`mode="rows"`) or columns (`"columns"`) and `n`
    their number: `factor` times the mean absolute cosine between distinct pairs.

    Args:
        factor: Non-negative regularization factor (default 0.01).
        mode: `"rows"` (default) or `"columns"`.
    """

    def __init__(self, factor=0.01, mode="rows"):
        if (
            isinstance(factor, bool)
            or not isinstance(factor, (int, float))
            or not math.isfinite(factor)
            or factor < 0
        ):
            raise ValueError(
                "OrthogonalRegularizer: `factor` must be a non-negative float. "
                f"Received: factor={factor!r}"
            )
        if mode not in ("rows", "columns"):
            raise ValueError(
                'OrthogonalRegularizer: `mode` must be one of "rows", "columns". '
                f"Received: mode={mode!r}"
            )
        self.factor = float(factor)
        self.mode = mode

    def __call__(self, x):
        if len(x.shape) != 2:
            raise ValueError(
                "OrthogonalRegularizer: the weight must have rank 2. "
                f"Received: shape={tuple(x.shape)}"
            )
        if self.mode == "columns":
            x = ops.transpose(x)
        x = ops.normalize(x, axis=1)
        size = x.shape[0]
        product = ops.matmul(x, ops.transpose(x)) * (1.0 - ops.eye(size, dtype=x.dtype))
        return self.factor * 0.5 * ops.sum(ops.absolute(product)) / (size * (size - 1) / 2.0)

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer


def get(identifier):
    """Returns a regularizer from a regularizer, a name, a config dict or a callable.

    Args:
        identifier: A regularizer, a name, a config dict, a callable or `None`.

    Returns:
        A regularizer (or callable), or `None`.
    """
    return serialization.get_object(identifier, Regularizer, "regularizer")


def serialize(regularizer):
    """Returns the config of `regularizer` (for `deserialize`).

    Args:
        regularizer: A regularizer object.

    Returns:
        Its config dict (for `deserialize`).
    """
    return serialization.serialize_keras_object(regularizer)


def deserialize(config, custom_objects=None):
    """Returns a regularizer from its config (the output of `serialize`).

    Args:
        config: A config dict from `serialize` (or a name).
        custom_objects: Optional dict mapping names to custom classes or functions.

    Returns:
        The regularizer.
    """
    return serialization._deserialize_object(config, custom_objects)
