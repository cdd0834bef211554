"""`keras.losses.Loss`: the base class of losses, and the reductions that losses and metrics
share (sample weights, masks, squeezing labels and predictions to the same rank)."""

import inspect
import math

from unikeras import backend, dtype_policies, ops
from unikeras.backend import tree
from unikeras.ops.operation import to_snake_case, unique_name
from unikeras.saving import serialization

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


def standardize_reduction(reduction):
    """Checks `reduction` against the reductions Keras 3 accepts and returns it."""
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"Invalid value for argument `reduction`. Expected one of {REDUCTIONS}. "
            f"Received: reduction={reduction!r}"
        )
    return reduction


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Makes ranks equal when they differ by one and the longer one ends in a size-1 axis.

    The size-1 axis is squeezed away, except when the other tensor is rank 1 and
    `expand_rank_1`: then that one gets a trailing axis instead.
    """
    rank1, rank2 = len(x1.shape), len(x2.shape)
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            return x1, ops.expand_dims(x2, -1)
        return ops.squeeze(x1, -1), x2
    if rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            return ops.expand_dims(x1, -1), x2
        return x1, ops.squeeze(x2, -1)
    return x1, x2


def align_sample_weight(values, sample_weight):
    """Matches the ranks of `values` and `sample_weight`; per-sample weights of lower rank
    get trailing unit axes so they broadcast over the remaining axes of `values`."""
    values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
    if len(sample_weight.shape):
        for _ in range(len(values.shape) - len(sample_weight.shape)):
            sample_weight = ops.expand_dims(sample_weight, -1)
    return values, sample_weight


def num_elements(x, dtype):
    """The number of elements of `x`, as a scalar tensor of `dtype`."""
    return ops.cast(ops.size(x), dtype)


def apply_mask(sample_weight, mask, dtype, reduction):
    """Folds a boolean `mask` into `sample_weight` (returned; `None` when both are `None`).

    For the averaging reductions the kept entries are scaled by `total / kept`, so that the
    average runs over the unmasked entries only.
    """
    if mask is None:
        return sample_weight
    mask = ops.cast(mask, dtype)
    if reduction in ("mean", "sum_over_batch_size"):
        kept = ops.sum(mask)
        mask = mask * (num_elements(mask, dtype) / (kept + backend.epsilon()))
    if sample_weight is None:
        return mask
    mask, sample_weight = align_sample_weight(mask, ops.cast(sample_weight, dtype))
    return sample_weight * mask


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Reduces (already weighted) per-sample `values` to a scalar according to `reduction`."""
    if reduction in (None, "none") or tuple(values.shape) in ((), (0,)):
        return values
    if reduction == "sum":
        return ops.sum(values)
    weighted_mean = reduction == "mean_with_sample_weight" and sample_weight is not None
    if (
        not weighted_mean
        and all(isinstance(size, int) for size in values.shape)
        and math.prod(values.shape)
    ):
        # A static, non-zero element count: the plain mean (one kernel, one gradient node).
        return ops.mean(values)
    total = ops.sum(values)
    if weighted_mean:
        divisor = ops.cast(ops.sum(sample_weight), total.dtype)
    else:
        divisor = num_elements(values, total.dtype)
    return ops.divide_no_nan(total, divisor)


def reduce_weighted_values(
    values, sample_weight=None, mask=None, reduction="sum_over_batch_size", dtype=None
):
    """Applies `mask` and `sample_weight` (broadcast to `values`), then `reduction`.

    Args:
        values: The per-sample values (a tensor).
        sample_weight: Optional weights broadcastable to `values` (default `None`).
        mask: Optional boolean mask of the entries to keep (default `None`).
        reduction: See `keras.losses.Loss`: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None`.
        dtype: Dtype the values are converted to (default `None`: their own).

    Returns:
        The reduced tensor: a scalar, or `values` (weighted) for `"none"`/`None`.
    """
    reduction = standardize_reduction(reduction)
    values = ops.convert_to_tensor(values, dtype=dtype)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=dtype)
    sample_weight = apply_mask(sample_weight, mask, values.dtype, reduction)
    if sample_weight is not None:
        sample_weight = ops.cast(sample_weight, values.dtype)
        values, sample_weight = align_sample_weight(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


def get_keras_mask(x):
    """The `_keras_mask` attribute a masking layer left on `x`, or `None`."""
    return getattr(x, "_keras_mask", None)


def _merge_masks(mask1, mask2):
    if mask1 is None or mask2 is None:
        return mask2 if mask1 is None else mask1
    return ops.logical_and(mask1, mask2)


class Loss:
    """Base class of losses: `loss(y_true, y_pred, sample_weight=None) -> scalar`.

    Subclasses implement `call(y_true, y_pred)` returning per-sample losses; `__call__`
    converts the inputs to the loss dtype, applies the mask of `y_pred` (`_keras_mask`),
    the sample weights and the reduction.

    Args:
        name: Name of the loss instance.
        reduction: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None`.
        dtype: Dtype (or dtype policy) of the computation; default `floatx()`.
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self.reduction = standardize_reduction(reduction)
        self._dtype_policy = dtype_policies.get(dtype or backend.floatx())
        self._dtype = self._dtype_policy.compute_dtype

    @property
    def dtype(self):
        """The dtype the loss is computed in."""
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        in_mask = get_keras_mask(y_pred)
        y_true = _convert_structure(y_true, self.dtype)
        y_pred = _convert_structure(y_pred, self.dtype)
        losses, out_mask = self._call_with_mask(y_true, y_pred)
        return reduce_weighted_values(
            losses,
            sample_weight=sample_weight,
            mask=_merge_masks(in_mask, out_mask),
            reduction=self.reduction,
            dtype=self.dtype,
        )

    def _call_with_mask(self, y_true, y_pred):
        """Returns `(per-sample losses, mask of the losses or None)`."""
        losses = self.call(y_true, y_pred)
        return losses, get_keras_mask(losses)

    def call(self, y_true, y_pred):
        """Returns the per-sample losses for `y_true` and `y_pred`; subclasses override it.

        Args:
            y_true: Ground-truth values.
            y_pred: Predicted values.

        Returns:
            A tensor of losses, reduced by `__call__` according to `reduction`.
        """
        raise NotImplementedError(f"{type(self).__name__} does not implement `call`.")

    def get_config(self):
        """Returns the loss' config: its name, reduction and (if not `floatx`) dtype."""
        config = {"name": self.name, "reduction": self.reduction}
        if self._dtype_policy.name != backend.floatx():
            config["dtype"] = self._dtype_policy.name
        return config

    @classmethod
    def from_config(cls, config):
        """Creates a loss from its config (the output of `get_config`)."""
        return cls(**config_with_fn(config))


def _convert_structure(values, dtype):
    """`values` as a tensor; a list/tuple/dict of tensors or arrays stays a structure of
    tensors (as Keras 3 maps the conversion over it: keras.io GauGAN's feature-matching
    loss gets the discriminator's list of feature maps of different shapes)."""
    if isinstance(values, (list, tuple, dict)):
        leaves = tree.flatten(values)
        if any(not isinstance(leaf, (bool, int, float, complex)) for leaf in leaves):
            return tree.map_structure(lambda v: ops.convert_to_tensor(v, dtype=dtype), values)
    return ops.convert_to_tensor(values, dtype=dtype)


class LossFunctionWrapper(Loss):
    """A `Loss` computing `fn(y_true, y_pred, **kwargs)` per sample.

    Args:
        fn: Loss function `fn(y_true, y_pred, **kwargs)`.
        reduction: See `Loss`.
        name: See `Loss`.
        dtype: See `Loss`.
        **kwargs: Keyword arguments passed to `fn`.
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        """Returns the wrapped function's losses for `y_true` and `y_pred`."""
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        """Returns the config: the wrapped function and its keyword arguments, besides the
        base config."""
        config = Loss.get_config(self)
        if type(self) is LossFunctionWrapper:
            config["fn"] = serialization.serialize_keras_object(self.fn)
        config.update(serialization.serialize_keras_object(self._fn_kwargs))
        return config

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


def config_with_fn(config):
    """A wrapper's config with its serialized `fn` entry (if any) turned back into the
    function."""
    if "fn" not in config:
        return config
    return dict(config, fn=serialization._deserialize_object(config["fn"]))


def deserialize_named(config, by_name, custom_objects, namespace):
    """The `deserialize` of `keras.losses` and `keras.metrics`.

    Args:
        config: A short name of `by_name` or a config dict.
        by_name: Dict of the namespace's short names to objects.
        custom_objects: Optional dict mapping names to custom classes or functions.
        namespace: `"losses"` or `"metrics"`: where config class names are looked up.

    Returns:
        The deserialized object.
    """
    if isinstance(config, str) and config in by_name:
        return by_name[config]
    return serialization._deserialize_object(config, custom_objects, module_objects_hint=namespace)


def get_named(identifier, by_name, namespace):
    """The `get` of `keras.losses` and `keras.metrics`.

    Args:
        identifier: A name of `by_name`, a config dict, a callable, or `None`.
        by_name: Dict of the namespace's short names to objects.
        namespace: `"losses"` or `"metrics"`.

    Returns:
        The object (a class found is instantiated with its defaults); `None` for `None`.

    Raises:
        ValueError: For an identifier that resolves to nothing callable.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize_named(identifier, by_name, None, namespace)
    elif isinstance(identifier, str):
        obj = by_name.get(identifier)
    else:
        obj = identifier
    if not callable(obj):
        kind = {"losses": "loss", "metrics": "metric"}[namespace]
        message = f"Could not interpret {kind} identifier: {identifier!r}"
        if isinstance(identifier, str):
            import difflib

            close = difflib.get_close_matches(identifier, list(by_name), n=3)
            if close:
                message += f". Did you mean one of {close}?"
        raise ValueError(message)
    return obj() if inspect.isclass(obj) else obj
