"""The PyTorch trainer mixin: eager autograd steps; `jit_compile=True` opts into
`torch.compile`.

The steps run eagerly by default, on real tensors that can be printed and stepped through in
a debugger. Gradients are taken with `torch.autograd.grad` on the `nn.Parameter`s of the
trainable variables only (frozen weights get none and keep no `.grad`), and the optimizer
updates the variables in place under `torch.no_grad`.
"""

import warnings

import numpy as np
import torch

from unikeras_torch import distribution
from unikeras_torch.convert import convert_to_tensor
from unikeras.backend.api import tree
from unikeras.utils import unpack_x_y_sample_weight

_COMPILE_WORKS = None  # whether torch.compile runs here (probed once per process)


def _compile_works():
    """Whether `torch.compile` can compile and run a tiny function on this machine (it
    needs a C++ compiler on CPU, and a supported platform)."""
    global _COMPILE_WORKS
    if _COMPILE_WORKS is None:
        try:
            with warnings.catch_warnings():  # torch's own deprecations while it imports
                warnings.simplefilter("ignore", DeprecationWarning)
                probe = torch.compile(lambda t: t * 2.0 + 1.0)
                _COMPILE_WORKS = bool(probe(torch.ones(2)).sum().item() == 6.0)
        except Exception as e:  # noqa: BLE001 - any failure means: no compiler here
            warnings.warn(
                f"torch.compile is unavailable ({type(e).__name__}: {e}); "
                "unikeras runs the steps eagerly instead of jit_compile=True."
            )
            _COMPILE_WORKS = False
    return _COMPILE_WORKS


def _compiled(step, name):
    """`step` compiled with `torch.compile`; it runs eagerly (with a warning) where the
    compiler is unavailable or fails on the step.

    The first call runs eagerly: it fills the caches the step reads (call signatures, dtype
    promotion tables), so the trace made on the second call finds them filled and its guards
    hold on every later batch (a trace that fills a cache is traced again on the next call).
    """
    if not _compile_works():
        return step
    inner = torch.compile(step)

    def compiled(data):
        # The train step takes its gradients with `torch.autograd.grad`: traced into the
        # graph (AOTAutograd) rather than a graph break.
        with torch._dynamo.config.patch(trace_autograd_ops=True):
            return inner(data)

    current, checked, warm = compiled, False, False

    def run(data):
        nonlocal current, checked, warm
        if checked:
            return current(data)
        if not warm:
            warm = True
            return step(data)
        try:
            result = compiled(data)
        except torch._dynamo.exc.TorchDynamoException as e:
            warnings.warn(
                f"torch.compile failed on the {name} step ({type(e).__name__}: "
                f"{e}); running it eagerly instead."
            )
            current = step
            result = step(data)
        checked = True
        return result

    return run


def _to_tensors(data):
    """The NumPy arrays of a batch as tensors (on the backend's device), so a compiled
    step sees tensors only; string arrays stay NumPy, for the string preprocessing layers."""
    if data.__class__ is tuple and len(data) == 1:  # `(x,)` of predict: no tree walk
        x = data[0]
        if x.__class__ is np.ndarray and x.dtype.kind not in "USO":
            return (convert_to_tensor(x),)
    return tree.map_structure(
        lambda a: (
            convert_to_tensor(a) if isinstance(a, np.ndarray) and a.dtype.kind not in "USO" else a
        ),
        data,
    )


class TorchTrainer:
    """Trainer mixin of the PyTorch backend (see the `trainer_mixin` hook)."""

    def train_step(self, data):
        """Forward pass, loss, gradients of the trainable variables, optimizer update;
        returns the metric results."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=True)
        loss = self._compute_loss(
            x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True
        )
        with torch.no_grad():
            self._update_loss_tracker(loss, x)
        variables = [v for v in self.trainable_variables if v.value.requires_grad]
        if variables:
            self._apply_gradients(loss, variables)
        else:
            warnings.warn("The model does not have any trainable weights.")
        with torch.no_grad():
            return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def _apply_gradients(self, loss, variables):
        """Gradients of the (optimizer-scaled) loss, applied by the optimizer."""
        scale_loss = getattr(self.optimizer, "scale_loss", None)
        if scale_loss is not None:
            loss = scale_loss(loss)
        with distribution.computing_on_shards():  # ModelParallel: DTensor backward
            if loss.requires_grad:
                values = [v.value for v in variables]
                grads = torch.autograd.grad(loss, values, allow_unused=True)
            else:  # the loss does not depend on any trainable variable
                grads = [None] * len(variables)
            # DataParallel: over the ranks; ModelParallel: placed as the variables' shards
            grads = distribution.average_gradients(grads, variables)
            with torch.no_grad():
                self.optimizer.apply(list(grads), variables)

    def __call__(self, *args, **kwargs):
        if distribution.SHARDED[0] or not self.built:  # ModelParallel: on the shards
            return distribution.sharded_call(super().__call__, self, args, kwargs)
        return super().__call__(*args, **kwargs)

    def _process_file(self, filepath):
        """The path this process writes when saving to `filepath` (a context; read by the
        core's `save` / `save_weights`): under `ModelParallel` every rank saves (gathering
        the shards is a collective) and rank 0 alone writes `filepath`."""
        return distribution.process_file(filepath)

    def test_step(self, data):
        """The core's evaluation step, without recording gradients."""
        with torch.no_grad():
            return super().test_step(data)

    def predict_step(self, data):
        """The core's inference step, without recording gradients."""
        with torch.no_grad():
            return super().predict_step(data)

    def _make_function(self, step, name, collect=False):
        if self.jit_compile and not distribution.has_sharded_variables(self):
            step = _compiled(step, name)
        return self._multi_step_function(lambda data: step(_to_tensors(data)), collect=collect)

    def fit(self, *args, **kwargs):
        """The core's `fit`; under `DataParallel` over several processes, on this rank's
        shard of the data (see `unikeras_torch.distribution`)."""
        core_fit = super(TorchTrainer, type(self)).fit  # the core `Trainer.fit` (its signature)
        args, kwargs = distribution.shard_fit_arguments(core_fit, self, args, kwargs)
        return super().fit(*args, **kwargs)

    def evaluate(self, *args, **kwargs):
        """The core's `evaluate` (silent on ranks other than 0 under `DataParallel`)."""
        core_evaluate = super(TorchTrainer, type(self)).evaluate
        args, kwargs = distribution.rank_zero_verbose(core_evaluate, self, args, kwargs)
        return super().evaluate(*args, **kwargs)

    def predict(self, *args, **kwargs):
        """The core's `predict` (silent on ranks other than 0 under `DataParallel`)."""
        core_predict = super(TorchTrainer, type(self)).predict
        if kwargs.get("verbose") != 0:  # (verbose=0 is what it would set)
            args, kwargs = distribution.rank_zero_verbose(core_predict, self, args, kwargs)
        return super().predict(*args, **kwargs)

    def make_train_function(self, force=False):
        """Sets and returns `self.train_function` (compiled when `self.jit_compile`)."""
        if self.train_function is None or force:
            step = self.train_step  # under DataParallel, on this rank's slice of the batch
            self.train_function = self._make_function(
                lambda data: step(distribution.shard_batch(data)), "train"
            )
        return self.train_function

    def make_test_function(self, force=False):
        """Sets and returns `self.test_function` (compiled when `self.jit_compile`)."""
        if self.test_function is None or force:
            self.test_function = self._make_function(self.test_step, "test")
        return self.test_function

    def make_predict_function(self, force=False):
        """Sets and returns `self.predict_function` (compiled when `self.jit_compile`)."""
        if self.predict_function is None or force:
            step = self.predict_step
            compiled = bool(self.jit_compile and not distribution.has_sharded_variables(self))
            function = self._make_function(step, "predict", collect=True)
            # Marks a function that only runs the built-in `predict_step` eagerly, which
            # `_serve_batch` may replace by its direct call.
            function._plain_predict = (
                not compiled
                and getattr(step, "__func__", None) is TorchTrainer.predict_step
                and "predict_step" not in self.__dict__
            )
            self.predict_function = function
        return self.predict_function

    def _serve_batch(self, x):
        """The outputs of one NumPy batch for `predict_on_batch` and one-batch `predict`.

        When the predict function is the plain eager one (the built-in `predict_step`, not
        compiled, made before) and the model has nothing left to build, a graph model runs
        its inference plan under `torch.no_grad` here, as `predict_step` would through
        `model(x, training=False)`, without the function's layers of calls; anything else
        (or a model without a plan) takes the core's path."""
        function = self.predict_function
        if (
            x.__class__ is np.ndarray
            and function is not None
            and getattr(function, "_plain_predict", False)
            and not distribution.SHARDED[0]
            and getattr(self.optimizer, "built", True)
        ):
            with torch.no_grad():
                outputs = self._inference_call(x, False)
            if outputs is not None:
                return outputs
        return super()._serve_batch(x)
