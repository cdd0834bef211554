"""The OpenVINO trainer mixin: `predict` through compiled OpenVINO models, no training.

`make_predict_function` returns a predictor that traces `predict_step` once per input
signature (each input's shape without the batch dimension, and dtype) into an OpenVINO model:
the inputs become Parameters whose batch dimension is dynamic, and every Variable the call
reads becomes a Parameter too. The model is compiled once with `openvino.Core().compile_model`
(device and `INFERENCE_PRECISION_HINT` from `keras_openvino.config`) and cached; each run
feeds the batch and the Variables' current values, so `set_weights`, `load_weights` and
`Variable.assign` take effect on the next predict without a rebuild. A model whose call needs
a static batch size is traced again with the batch size in its signature.
"""

import numpy as np
import openvino as ov
import openvino.opset14 as ov_ops

from unikeras.utils import tree

from keras_openvino.graph import STATE, OpenVINOTensor, compile_model, host_array, node, ov_type


def _is_array(leaf):
    return isinstance(leaf, (np.ndarray, np.generic, OpenVINOTensor)) or hasattr(leaf, "__array__")


def trace(fn, data, batch_dynamic=True, variables_as_inputs=True):
    """Traces `fn(symbolic data)` into an `openvino.Model`.

    Returns `(model, variables fed after the data, output structure)`; with
    `variables_as_inputs=False` the Variables' current values are baked in as Constants.
    """
    leaves = tree.flatten(data)
    arrays = [i for i, leaf in enumerate(leaves) if leaf is not None and _is_array(leaf)]
    params = []
    for i in arrays:
        value = host_array(leaves[i])
        dims = list(value.shape)
        if batch_dynamic and dims:
            dims[0] = -1
        param = ov_ops.parameter(ov.PartialShape(dims), ov_type(value.dtype))
        param.set_friendly_name(f"input_{len(params)}")
        params.append(param)
        leaves[i] = OpenVINOTensor(output=param.output(0))
    symbolic = tree.pack_sequence_as(data, leaves)
    STATE.variables = {} if variables_as_inputs else None
    try:
        outputs = fn(symbolic)
        fed = list((STATE.variables or {}).values())
    finally:
        STATE.variables = None
    flat = tree.flatten(outputs)
    results = [ov_ops.result(node(o)) for o in flat]
    model = ov.Model(results, params + [param for _, param in fed], "unikeras_model")
    return model, [variable for variable, _ in fed], outputs


class CompiledPredictor:
    """Runs a model's `predict_step` through compiled OpenVINO models (one per signature)."""

    def __init__(self, model):
        self.model = model
        self.cache = {}  # signature -> (compiled model, variables, output structure)

    @staticmethod
    def _signature(arrays, with_batch):
        return tuple((a.shape if with_batch else a.shape[1:], a.dtype.str) for a in arrays), \
            with_batch

    def _entry(self, data, arrays):
        for with_batch in (False, True):
            entry = self.cache.get(self._signature(arrays, with_batch))
            if entry is not None:
                return entry
        try:
            traced = trace(self.model.predict_step, data, batch_dynamic=True)
            key = self._signature(arrays, False)
        except Exception:  # the call needs a static batch size
            traced = trace(self.model.predict_step, data, batch_dynamic=False)
            key = self._signature(arrays, True)
        model, variables, outputs = traced
        entry = self.cache[key] = (compile_model(model), variables, outputs)
        return entry

    def __call__(self, data):
        leaves = tree.flatten(data)
        arrays = [host_array(leaf) for leaf in leaves if leaf is not None and _is_array(leaf)]
        compiled, variables, outputs = self._entry(data, arrays)
        feeds = arrays + [v._value.data for v in variables]
        results = compiled(feeds)
        values = [OpenVINOTensor(data=np.array(results[i])) for i in range(len(results))]
        return tree.pack_sequence_as(outputs, values)


class OpenVINOTrainer:
    """Trainer mixin of the inference-only OpenVINO backend (see the `trainer_mixin` hook)."""

    def train_step(self, data):
        raise RuntimeError(
            "The active unikeras backend 'openvino' is inference only (OpenVINO deploys "
            "models; it computes no gradients), so `fit`/`train_on_batch` cannot train this "
            "model. Install a training backend, e.g. `pip install keras-jax`, select it with "
            "UNIKERAS_BACKEND=jax to train, then predict here with the saved weights."
        )

    def make_predict_function(self, force=False):
        if self.predict_function is not None and not force:
            return self.predict_function
        if self.run_eagerly:
            return super().make_predict_function(force=True)
        self._openvino_predictor = CompiledPredictor(self)
        self.predict_function = self._multi_step_function(self._openvino_predictor,
                                                          collect=True)
        return self.predict_function
