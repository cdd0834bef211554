"""Containers for the losses and metrics given to `Model.compile`.

Both map user arguments to the model's outputs the Keras 3 way: a single object applies to
every output, a list gives one entry per output (in flattened output order), a dict gives
entries by output name. `y` may be structured like the outputs or be a dict keyed by output
name. Names of per-output metrics get the output name as prefix (`"dense_1_accuracy"`) when
the model has several outputs, and each output's loss is tracked as `"<output>_loss"`.
"""

from unikeras import losses, ops
from unikeras import metrics as metrics_module
from unikeras.metrics import Mean
from unikeras.backend import tree
from unikeras.backend.variable import Variable as BaseVariable


def _flat_outputs(y_pred):
    return tree.flatten(y_pred) if tree.is_nested(y_pred) else [y_pred]


def output_names_for(y_pred, model_output_names=None):
    """Names of the flattened outputs: dict keys, the model's output names, or
    `output_1`, `output_2`, ..."""
    count = len(_flat_outputs(y_pred))
    if isinstance(y_pred, dict):
        return sorted(y_pred)
    if model_output_names and len(model_output_names) == count:
        return list(model_output_names)
    return [f"output_{i + 1}" for i in range(count)]


def align_targets(y, names, what="y"):
    """Returns one entry of `y` per output: by name from a dict, else flattened."""
    if isinstance(y, dict):
        unknown = set(y) - set(names)
        if unknown:
            raise ValueError(
                f"{what} has keys {sorted(unknown)} that are not output names; "
                f"the model's outputs are {names}."
            )
        return [y.get(name) for name in names]
    flat = tree.flatten(y) if tree.is_nested(y) else [y]
    if len(names) > 1 and len(flat) == 1:
        return flat * len(names)
    if len(flat) != len(names):
        raise ValueError(
            f"{what} has {len(flat)} entries but the model has {len(names)} outputs ({names})."
        )
    return flat


def per_output(argument, names, what, broadcast_lists=False):
    """Spreads a compile argument over the outputs (see the module docstring).

    With `broadcast_lists` (metrics), a flat list of entries is itself one entry per
    output's list of metrics.
    """
    if argument is None:
        return [None] * len(names)
    if isinstance(argument, dict):
        unknown = set(argument) - set(names)
        if unknown:
            raise ValueError(
                f"`{what}` has keys {sorted(unknown)} that are not output "
                f"names; the model's outputs are {names}."
            )
        return [argument.get(name) for name in names]
    if isinstance(argument, (list, tuple)):
        nested = any(isinstance(a, (list, tuple, dict)) for a in argument)
        if broadcast_lists and not nested:
            return [list(argument) for _ in names]
        if len(argument) != len(names):
            raise ValueError(
                f"`{what}` has {len(argument)} entries but the model has "
                f"{len(names)} outputs ({names})."
            )
        return list(argument)
    return [argument] * len(names)


def _resolve_loss(identifier):
    loss = losses.get(identifier)
    if loss is None or isinstance(loss, losses.Loss):
        return loss
    return losses.LossFunctionWrapper(loss, name=getattr(loss, "__name__", None))


class CompileLoss:
    """The total loss of `compile(loss=..., loss_weights=...)`.

    Calling it with `(y_true, y_pred, sample_weight)` returns the weighted sum of the
    per-output losses and updates the per-output loss trackers (`metrics`).

    Args:
        loss: A loss (name, function, `Loss`), or a list/dict of them per output.
        loss_weights: A float, or a list/dict of floats per output.
        output_names: The model's output names, when it has them.
    """

    def __init__(self, loss, loss_weights=None, output_names=None):
        self._loss = loss
        self._loss_weights = loss_weights
        self._output_names = output_names
        self.built = False
        self.metrics = []
        self._entries = []  # (output index, Loss, weight, tracker or None)

    def build(self, y_true, y_pred):
        """Resolves the losses for the outputs of `y_pred` (tensors or KerasTensors)."""
        names = output_names_for(y_pred, self._output_names)
        losses = per_output(self._loss, names, "loss")
        weights = per_output(self._loss_weights, names, "loss_weights")
        self._entries = []
        # As in Keras 3, each output's loss is tracked only when more than one output has a
        # loss (`loss=[fn, None]` reports `loss` alone).
        tracked = sum(loss is not None for loss in losses) > 1
        for index, (name, loss, weight) in enumerate(zip(names, losses, weights)):
            if loss is None:
                continue
            tracker = Mean(name=f"{name}_loss") if tracked else None
            self._entries.append(
                (index, _resolve_loss(loss), 1.0 if weight is None else float(weight), tracker)
            )
        self.metrics = [tracker for *_, tracker in self._entries if tracker is not None]
        self.names = names
        flat_pred = _flat_outputs(y_pred)
        self._classes = [
            flat_pred[index].shape[-1] if getattr(flat_pred[index], "shape", None) else None
            for index, *_ in self._entries
        ]
        self.built = True

    def check_sparse_labels(self, y_true):
        """Raises a `ValueError` when host (NumPy) labels of a sparse categorical
        crossentropy fall outside `[0, classes)` (Keras' engines raise on such labels; a
        one-hot lookup would train silently on a loss of 0)."""
        import numpy as np

        if not self.built or y_true is None:
            return
        flat_true = align_targets(y_true, self.names)
        for (index, loss, _, _), classes in zip(self._entries, self._classes):
            fn = getattr(loss, "fn", None)
            labels = flat_true[index]
            if (
                getattr(fn, "__name__", None) != "sparse_categorical_crossentropy"
                or not isinstance(labels, np.ndarray)
                or classes is None
                or labels.dtype.kind not in "iuf"
                or labels.size == 0
            ):
                continue
            ignore = getattr(loss, "_fn_kwargs", {}).get("ignore_class")
            values = labels if ignore is None else labels[labels != ignore]
            if values.size and (values.min() < 0 or values.max() >= classes):
                bad = values[(values < 0) | (values >= classes)]
                raise ValueError(
                    f"Received a label value of {bad.flat[0]:g} which is outside the valid "
                    f"range of [0, {classes}) for output {self.names[index]!r} "
                    f"(sparse_categorical_crossentropy: labels are class indices of the "
                    f"{classes} classes of the model's output)."
                )

    def __call__(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            self.build(y_true, y_pred)
        if not self._entries:
            return None
        flat_pred = _flat_outputs(y_pred)
        flat_true = align_targets(y_true, self.names)
        flat_weights = (
            align_targets(sample_weight, self.names, "sample_weight")
            if sample_weight is not None
            else [None] * len(self.names)
        )
        total = None
        for index, loss, weight, tracker in self._entries:
            if flat_true[index] is None:
                continue
            value = loss(flat_true[index], flat_pred[index], flat_weights[index])
            if tracker is not None:
                tracker.update_state(value, sample_weight=ops.shape(flat_pred[index])[0])
            value = value * weight if weight != 1.0 else value
            total = value if total is None else total + value
        return total

    def reset_state(self):
        for metric in self.metrics:
            metric.reset_state()


def metric_results(named_metrics):
    """The results of metrics as a logs dict.

    Args:
        named_metrics: `(name, metric)` pairs.

    Returns:
        `{name: metric.result()}`; a result that is a state variable is read, and a dict result
        is merged in under its own keys.
    """
    results = {}
    for name, metric in named_metrics:
        value = metric.result()
        if isinstance(value, BaseVariable):  # `result()` may return a state variable
            value = value.value
        if isinstance(value, dict):
            results.update(value)
        else:
            results[name] = value
    return results


class CompileMetrics:
    """The metrics of `compile(metrics=..., weighted_metrics=...)`, as one metric named
    `"compile_metrics"` whose `result()` is a dict `{metric name: value}`.

    `weighted_metrics` receive the sample weights; `metrics` do not.
    """

    def __init__(self, metrics, weighted_metrics, output_names=None):
        self.name = "compile_metrics"
        self._metrics_arg = metrics
        self._weighted_arg = weighted_metrics
        self._output_names = output_names
        self.built = False
        self._entries = []  # (name, output index, metric, weighted)

    @property
    def metrics(self):
        return [metric for _, _, metric, _ in self._entries]

    @property
    def variables(self):
        return [v for metric in self.metrics for v in metric.variables]

    # Stateless versions, for custom JAX steps that loop over `model.metrics` (as Keras 3's
    # guides do): the same as any metric's.
    _with_values = metrics_module.Metric._with_values
    stateless_update_state = metrics_module.Metric.stateless_update_state
    stateless_result = metrics_module.Metric.stateless_result
    stateless_reset_state = metrics_module.Metric.stateless_reset_state

    def build(self, y_true, y_pred):
        """Creates the metric objects for the outputs of `y_pred`."""
        names = output_names_for(y_pred, self._output_names)
        flat_pred = _flat_outputs(y_pred)
        flat_true = align_targets(y_true, names) if y_true is not None else flat_pred
        used, instances = set(), set()
        self._entries = []
        for weighted, argument in ((False, self._metrics_arg), (True, self._weighted_arg)):
            for index, entries in enumerate(per_output(argument, names, "metrics", True)):
                if entries is not None and not isinstance(entries, (list, tuple)):
                    entries = [entries]
                for identifier in entries or []:
                    metric = metrics_module._get_metric(
                        identifier, flat_true[index], flat_pred[index]
                    )
                    if id(metric) in instances:  # one instance given for several outputs
                        metric = type(metric).from_config(metric.get_config())
                    instances.add(id(metric))
                    # A string keeps its spelling as the name ("mae" logs as "mae").
                    base = identifier if isinstance(identifier, str) else metric.name
                    name = base if len(names) == 1 else f"{names[index]}_{base}"
                    if name in used and weighted:
                        name = f"weighted_{name}"
                    used.add(name)
                    self._entries.append((name, index, metric, weighted))
        self.names = names
        self.built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            self.build(y_true, y_pred)
        flat_pred = _flat_outputs(y_pred)
        flat_true = align_targets(y_true, self.names)
        flat_weights = (
            align_targets(sample_weight, self.names, "sample_weight")
            if sample_weight is not None
            else [None] * len(self.names)
        )
        for _, index, metric, weighted in self._entries:
            if flat_true[index] is None:
                continue
            metric.update_state(
                flat_true[index],
                flat_pred[index],
                sample_weight=flat_weights[index] if weighted else None,
            )

    def result(self):
        return metric_results((name, metric) for name, _, metric, _ in self._entries)

    def reset_state(self):
        for metric in self.metrics:
            metric.reset_state()
