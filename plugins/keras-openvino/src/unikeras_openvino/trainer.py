"""The OpenVINO trainer mixin: `predict` through compiled OpenVINO models, no training.

`make_predict_function` returns a predictor that traces `predict_step` once per input
signature (each input's shape without the batch dimension, and dtype) into an OpenVINO model
whose inputs are Parameters with a dynamic batch dimension and whose weights are Constants
(so OpenVINO pre-packs them), compiles it once with `openvino.Core().compile_model` (device
and `INFERENCE_PRECISION_HINT` from `unikeras_openvino.config`; `set_model_precision(model,
"bf16")` picks the precision of one model) and caches it. Each run checks that every
Variable the model reads still holds the array compiled in, and that the model's precision
is the one compiled; after `set_weights`, `load_weights`, `Variable.assign` or a precision
change the signature is compiled again, so a stale model is never served. A model whose call needs a static batch size is traced again
with the batch size in its signature.
"""

import numpy as np
import openvino as ov
import openvino.opset14 as ov_ops

from unikeras.backend.api import tree

from unikeras_openvino import config
from unikeras_openvino.graph import (
    STATE,
    OpenVINOTensor,
    compile_model,
    constant,
    from_openvino,
    host_array,
    node,
    ov_type,
)


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
        self.cache = {}  # signature -> _Signature

    @staticmethod
    def _signature(arrays, with_batch):
        return tuple(
            (a.shape if with_batch else a.shape[1:], a.dtype.str) for a in arrays
        ), with_batch

    def _entry(self, data, arrays):
        for with_batch in (False, True):
            entry = self.cache.get(self._signature(arrays, with_batch))
            if entry is not None:
                return entry
        try:
            entry = _Signature(self.model, data, batch_dynamic=True)
            key = self._signature(arrays, False)
        except Exception:  # the call needs a static batch size
            entry = _Signature(self.model, data, batch_dynamic=False)
            key = self._signature(arrays, True)
        self.cache[key] = entry
        return entry

    def __call__(self, data):
        leaves = tree.flatten(data)
        arrays = [host_array(leaf) for leaf in leaves if leaf is not None and _is_array(leaf)]
        return self._entry(data, arrays).run(arrays)


class _Signature:
    """One input signature: its traced model and its compiled form with the Variables'
    values baked in.

    Weights as Constants let OpenVINO pre-pack them (convolution kernels especially) once at
    compile time. Every run checks that each Variable still holds the array that was baked
    (assignment always stores a new array); after `assign`, `set_weights` or a load the
    traced model is compiled again with the new values, so nothing stale is served.
    """

    def __init__(self, keras_model, data, batch_dynamic):
        self.keras_model = keras_model
        self.model, self.variables, self.outputs = trace(
            keras_model.predict_step, data, batch_dynamic
        )
        self.baked = None  # the arrays the compiled model holds, one per Variable
        self.properties = None  # the compile properties (precision) it was compiled with

    def _compile(self):
        """Compiles a copy of the traced model whose Variable Parameters are replaced by
        Constants of the current values (no new trace)."""
        self.baked = [v._value for v in self.variables]
        model = self.model.clone()
        first = len(model.get_parameters()) - len(self.variables)
        for param, value in zip(model.get_parameters()[first:], self.baked):
            param.output(0).replace(constant(value.data))
            model.remove_parameter(param)
        compiled = compile_model(model, self.properties)
        self.request = compiled.create_infer_request()
        self.num_outputs = len(compiled.outputs)

    def run(self, arrays):
        properties = config.compile_config(self.keras_model)
        if (
            self.baked is None
            or properties != self.properties
            or any(v._value is not b for v, b in zip(self.variables, self.baked))
        ):
            self.properties = properties
            self._compile()
        for i, array in enumerate(arrays):
            array = np.ascontiguousarray(array)
            if not array.flags.writeable:  # OpenVINO shares only writeable buffers
                array = array.copy()
            if array.dtype.name == "bfloat16":  # OpenVINO reads its bits as bf16
                tensor = ov.Tensor(array.view(np.uint16), array.shape, ov.Type.bf16)
            else:
                tensor = ov.Tensor(array, shared_memory=True)
            self.request.set_input_tensor(i, tensor)
        self.request.infer()
        tensors = [self.request.get_output_tensor(i) for i in range(self.num_outputs)]
        values = [
            OpenVINOTensor(data=from_openvino(np.array(t.data), t.element_type)) for t in tensors
        ]
        return tree.pack_sequence_as(self.outputs, values)


class OpenVINOTrainer:
    """Trainer mixin of the inference-only OpenVINO backend (see the `trainer_mixin` hook)."""

    # `model(x)` on concrete values runs the cached compiled model (see the core Trainer).
    _serves_calls = True

    def _serving_inputs(self, leaves):
        """Concrete values outside a trace (a symbolic tensor is part of a larger graph)."""
        return (
            STATE.variables is None
            and STATE.depth == 0
            and all(
                leaf.__class__ is np.ndarray
                or (isinstance(leaf, OpenVINOTensor) and not leaf.is_symbolic)
                for leaf in leaves
            )
        )

    def train_step(self, data):
        raise RuntimeError(
            "The active unikeras backend 'openvino' is inference only (OpenVINO deploys "
            "models; it computes no gradients), so `fit`/`train_on_batch` cannot train this "
            "model. Install a training backend, e.g. `pip install unikeras-jax`, select it with "
            "UNIKERAS_BACKEND=jax to train, then predict here with the saved weights."
        )

    def make_predict_function(self, force=False):
        if self.predict_function is not None and not force:
            return self.predict_function
        if self.run_eagerly or not self.supports_jit_steps():
            # Host code (string layers) cannot be traced into a graph: run op by op.
            return super().make_predict_function(force=True)
        self._openvino_predictor = CompiledPredictor(self)
        self.predict_function = self._multi_step_function(self._openvino_predictor, collect=True)
        return self.predict_function
