"""`Functional`: a model defined by the graph from `keras.Input` tensors to output tensors."""

import warnings

import numpy as np

from unikeras.backend import dtypes
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.backend.variable import _AUTOCAST
from unikeras.backend.registry import in_graph_scope, optional_hook, table
from unikeras.layers.core.input_layer import InputLayer
from unikeras.layers.input_spec import InputSpec
from unikeras.layers.layer import Layer, _call_context
from unikeras.layers.preprocessing.host_data import is_string_like, to_host_strings
from unikeras.dtype_policies import DTypePolicyMap as _DTypePolicyMap
from unikeras.models.model import Model
from unikeras.ops.node import _history_node, build_graph  # noqa: F401 (re-exported)
from unikeras.ops.operation import OpCall, keras3_op_call
from unikeras.saving import serialization
from unikeras.backend import tree


def operation_order(inputs, outputs):
    """The graph's operations in Keras 3's order (that of `model.layers`, the saved config
    and the weights file): farthest from the outputs first, ties in the order a depth-first
    walk from the outputs first reaches them; unused inputs last."""
    input_ids = {id(x) for x in inputs}
    first_seen, finished, done = {}, [], set()
    stack = [(t, False) for t in reversed(outputs)]
    while stack:
        tensor, expanded = stack.pop()
        node = _history_node(tensor)
        if id(node) in done or (not node.is_input and id(tensor) in input_ids):
            continue
        if expanded:
            done.add(id(node))
            finished.append(node)
            continue
        first_seen.setdefault(id(node.operation), (len(first_seen), node.operation))
        stack.append((tensor, True))
        if not node.is_input:
            stack.extend((t, False) for t in reversed(node.input_tensors))
    in_graph = {id(node) for node in finished}
    node_depth, op_depth = {}, {}
    for node in reversed(finished):
        depth = max(node_depth.get(id(node), 0), op_depth.get(id(node.operation), 0))
        op_depth[id(node.operation)] = node_depth[id(node)] = depth
        for tensor in () if node.is_input else node.input_tensors:
            parent = _history_node(tensor) if tensor._keras_history else None
            if parent is not None and id(parent) in in_graph:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    for tensor in inputs:
        op = tensor._keras_history[0] if tensor._keras_history else None
        if op is not None and id(op) not in op_depth:
            op_depth[id(op)] = 0
            first_seen[id(op)] = (-1, op)
    ranked = sorted(first_seen.items(), key=lambda item: (-op_depth[item[0]], item[1][0]))
    return [op for _, (_, op) in ranked]


def _inference_plan(model):
    """The graph of `model` as `[(layer, its dtype policy, input id or ids, whether its call
    takes `training`, output ids)]` for inference, or `()` when some node needs `Layer.__call__`'s work.

    `Layer.__call__` converts and autocasts inputs, checks input specs, resolves `training`
    and masks, builds, opens autocast scopes and records activity losses. For a built graph of
    unikeras' own float32 layers without masks, activity regularizers or rematerialization,
    fed tensors of the input dtypes and shapes, none of that changes anything at inference,
    so calling `layer.call` directly gives the same outputs without the per-layer overhead
    (what makes an eager `model(x)` or `predict` on torch cost close to the engine's call).
    """
    if any(
        getattr(t, "_keras_mask", None) is not None
        for t in model._inputs + [t for node in model._nodes for t in node.outputs]
    ):
        return ()  # a layer call skipping `Layer.__call__` would drop the masks
    plan = []
    for node in model._nodes:
        layer = node.operation
        if (
            not isinstance(layer, Layer)
            or isinstance(layer, Functional)
            or not type(layer).__module__.startswith("unikeras.")
            or not layer.built
            or layer.dtype_policy.name != "float32"
            or layer.activity_regularizer is not None
            or getattr(layer, "_remat_mode", None) is not None
            or not getattr(layer, "supports_jit", True)
            or len(node.call_args) != 1
            or set(node.call_kwargs) - {"training"}
            or any(not isinstance(t, KerasTensor) for t in tree.flatten(node.call_args[0]))
        ):
            return ()
        arg = node.call_args[0]
        if isinstance(arg, KerasTensor):
            source = id(arg)
        elif isinstance(arg, (list, tuple)) and all(isinstance(t, KerasTensor) for t in arg):
            source = tuple(id(t) for t in arg)
        else:
            return ()
        signature = layer._signature()
        if "training" in node.call_kwargs or signature.training_default:
            # a call defaulting to training=True (augmentation layers) augments in a model
            # called without `training`, as Keras 3 resolves it: `Layer.__call__` does that
            return ()
        # The layer gets the model's `training` (None or False), as `Layer.__call__` would.
        takes = signature.training
        plan.append((layer, layer.dtype_policy, source, takes, [id(t) for t in node.outputs]))
    return tuple(_fuse_chains(plan, {id(t) for t in model._outputs}))


class _FusedLayers:
    """A plan step running a chain of layers through one backend function (the optional
    hook `fuse_inference_layers`), or one by one when that function returns None."""

    def __init__(self, steps, function):
        self.members = [
            (layer, policy, takes, type(layer).call) for layer, policy, _, takes, _ in steps
        ]
        self.function = function

    def __call__(self, value, training):
        """The chain's output; `_REPLAN` when a layer's dtype policy or `call` changed since
        (e.g. quantized, or `call` patched)."""
        for layer, policy, _, call in self.members:
            if (
                layer.dtype_policy is not policy
                or type(layer).call is not call
                or "call" in layer.__dict__
            ):
                return _REPLAN
        result = self.function(value)
        if result is None:
            for layer, _, takes, _ in self.members:
                value = layer.call(value, training=training) if takes else layer.call(value)
            result = value
        return result


_REPLAN = object()


def _fuse_chains(plan, model_outputs):
    """`plan` with the chains the backend fuses (hook `fuse_inference_layers`) as one step
    each: a chain is a run of steps each taking the previous one's only output, which no
    other step and no model output reads."""
    fuse = optional_hook("fuse_inference_layers")
    if fuse is None or len(plan) < 2:
        return plan
    uses, consumer = {}, {}
    for index, (_, _, source, _, _) in enumerate(plan):
        for key in (source,) if source.__class__ is int else source:
            uses[key] = uses.get(key, 0) + 1
        if source.__class__ is int:
            consumer[source] = index
    for key in model_outputs:
        uses[key] = uses.get(key, 0) + 1
    replaced, dropped = {}, set()
    chained = set()
    for head in range(len(plan)):
        if head in chained or plan[head][2].__class__ is not int:
            continue
        chain = [head]
        while True:
            outputs = plan[chain[-1]][4]
            nxt = consumer.get(outputs[0]) if len(outputs) == 1 else None
            if nxt is None or uses[outputs[0]] != 1 or nxt in chained:
                break
            chain.append(nxt)
        chained.update(chain)
        if len(chain) < 2:
            continue
        taken = set()
        for start, stop, function in fuse([plan[i][0] for i in chain]) or ():
            if not 0 <= start < stop - 1 < len(chain) or taken & set(range(start, stop)):
                raise ValueError(
                    f"fuse_inference_layers returned the segment ({start}, {stop}) for a chain "
                    f"of {len(chain)} layers: expected 0 <= start < stop - 1 < {len(chain)}, "
                    "segments not overlapping."
                )
            taken.update(range(start, stop))
            steps = [plan[i] for i in chain[start:stop]]
            last = chain[stop - 1]
            fused = _FusedLayers(steps, function)
            replaced[last] = (fused, _FUSED, steps[0][2], False, plan[last][4])
            dropped.update(chain[start : stop - 1])
    if not replaced:
        return plan
    return [replaced.get(i, step) for i, step in enumerate(plan) if i not in dropped]


_FUSED = object()


#: Model class -> whether `Layer.__call__` may be skipped for its inference calls (see
#: `_planned_call`): unikeras' own graph classes, whose `call` is the graph's.
_PLANNED_CLASSES = {}


def _plans_calls(cls):
    known = _PLANNED_CLASSES.get(cls)
    if known is None:
        owner = next(c for c in cls.__mro__ if "call" in c.__dict__)
        known = _PLANNED_CLASSES[cls] = (
            cls.__module__.startswith("unikeras.") and owner.__dict__.get("_serving_graph") is True
        )
    return known


def _planned_call(model, graph, inputs, training):
    """The outputs of the top-level inference call `model(inputs, training=training)` run
    through the inference plan of `graph` (the model itself, or a Sequential's graph), or None
    when `Layer.__call__` has work to do for it.

    For unikeras' own Functional and Sequential classes, built, with a float32 policy, no
    activity regularizer, no masking and no rematerialization, called outside any other
    layer's call (and outside autocast and graph scopes, which `_run_plan` checks) on tensors
    or NumPy arrays of the input dtypes and shapes, `Layer.__call__` would only push
    `training` on the call context, clear the model's losses and call `call`: this does that
    without its conversions and checks. Anything else returns None (the ordinary call runs).
    """
    policy = model.__dict__.get("_dtype_policy")
    if (
        not _plans_calls(model.__class__)
        or not model.built
        or policy.__class__ is _DTypePolicyMap
        or policy.name != "float32"
        or model.activity_regularizer is not None
        or model.supports_masking
        or model._remat_mode is not None
    ):
        return None
    plan = graph.__dict__.get("_inference_plan")
    if plan is None:
        plan = graph.__dict__["_inference_plan"] = _inference_plan(graph)
    if not plan:
        return None
    context = _call_context()
    if context:  # inside another layer's call: `training` comes from there
        return None
    if model._losses:
        model._losses = []
    context.append(training)
    try:
        return graph._run_plan(plan, inputs, training, convert=True)
    finally:
        context.pop()


class Functional(Model):
    """A model built from symbolic inputs and outputs: `keras.Model(inputs, outputs)`.

    Args:
        inputs: A KerasTensor, or a list/dict of them, from `keras.Input`.
        outputs: A KerasTensor, or a list/dict of them, computed from `inputs`.
        name: Model name.
        trainable: Whether the model's weights are trainable.
    """

    # Saving's protocol: `from_config` rebuilds the model with all its weights and `layers`
    # lists the whole graph (saving reads this instead of importing the model classes).
    _built_by_config = True
    # The trainers' serving path: this class's `call` is the graph's own, so a built model
    # may be served by its compiled predict function (read only in the class that defines
    # `call`: a subclass overriding `call` is not served).
    _serving_graph = True

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        super().__init__(name=name, trainable=trainable, **kwargs)
        for x in tree.flatten(inputs) + tree.flatten(outputs):
            if not isinstance(x, KerasTensor):
                raise ValueError(
                    f"Model inputs and outputs must be KerasTensors (from keras.Input and "
                    f"layers called on it). Received: {x!r}"
                )
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self._inputs = tree.flatten(inputs)
        self._outputs = tree.flatten(outputs)
        self._nodes = build_graph(self._inputs, self._outputs)
        self._operations = operation_order(self._inputs, self._outputs)
        # The batch size of an `Input(batch_size=...)` is not enforced (a last short batch
        # is accepted, as in Keras).
        self.input_spec = [
            InputSpec(
                shape=(None,) + tuple(x.shape)[1:] if x.shape else x.shape,
                allow_last_axis_squeeze=True,
                name=x.name,
            )
            for x in self._inputs
        ]
        if len(self.input_spec) == 1 and not isinstance(inputs, (list, tuple, dict)):
            self.input_spec = self.input_spec[0]
        self.built = True

    @property
    def inputs(self):
        """The model's input KerasTensors, in order."""
        return list(self._inputs)

    @property
    def input_shape(self):
        """The shape of the model's input (a list of shapes for several inputs)."""
        shapes = [tuple(x.shape) for x in self._inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        """The shape of the model's output (a list of shapes for several outputs)."""
        shapes = [tuple(x.shape) for x in self._outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    def _input_names(self):
        return [x._keras_history[0].name if x._keras_history else x.name for x in self._inputs]

    def _standardize_inputs(self, inputs):
        """Returns the model's inputs as a flat list in the order of `self.inputs`: a dict
        keyed by `Input` names is matched by name when the model was built with a list
        (or a single tensor)."""
        struct = self._inputs_struct
        if isinstance(inputs, dict) and isinstance(struct, dict):
            inputs = self._drop_extra_keys(inputs)
        if isinstance(inputs, dict) and not isinstance(struct, dict):
            names = self._input_names()
            missing = [n for n in names if n not in inputs]
            if missing:
                raise ValueError(
                    f'Model "{self.name}" was called with a dict whose keys '
                    f"{sorted(inputs)} do not include its input names {missing}. Expected "
                    f"the keys {names} (the names of its `Input`s)."
                )
            return [inputs[n] for n in names]
        if isinstance(inputs, (list, tuple, dict)):
            return tree.flatten(inputs)
        return [inputs]

    def _adjust_input_rank(self, flat):
        """Squeezes a trailing axis of size 1 the model's input lacks, or adds one it has
        (data `(n, 28, 28)` for `Input((28, 28, 1))`), as Keras does."""
        adjusted = []
        for symbolic, x in zip(self._inputs, flat):
            shape = getattr(x, "shape", None)
            if x is None or shape is None or len(shape) == len(symbolic.shape):
                adjusted.append(x)
                continue
            rank, want = len(shape), len(symbolic.shape)
            # strings (a FeatureSpace's string feature) stay on the host: the engines other
            # than TensorFlow have no string tensors
            host = not isinstance(x, KerasTensor) and is_string_like(x)
            if host:
                x = to_host_strings(x)
            if rank == want + 1 and shape[-1] == 1:
                adjusted.append(
                    KerasTensor(tuple(shape)[:-1], dtype=x.dtype)
                    if isinstance(x, KerasTensor)
                    else (np.squeeze(x, axis=-1) if host else table.squeeze(x, axis=-1))
                )
            elif rank == want - 1 and symbolic.shape[-1] == 1:
                adjusted.append(
                    KerasTensor(tuple(shape) + (1,), dtype=x.dtype)
                    if isinstance(x, KerasTensor)
                    else (np.expand_dims(x, -1) if host else table.expand_dims(x, -1))
                )
            else:
                raise ValueError(
                    f"Invalid input shape for input {symbolic.name!r} of model "
                    f'"{self.name}": expected shape {tuple(symbolic.shape)}, but the input '
                    f"has the incompatible shape {tuple(shape)}."
                )
        return adjusted

    def _drop_extra_keys(self, inputs):
        """A dict with keys the model's dict inputs lack (a `tf.data` CSV column the model
        does not use) keeps only the model's keys, with a warning, as Keras 3 does."""
        struct = self._inputs_struct
        extra = [k for k in inputs if k not in struct]
        if not extra or any(k not in inputs for k in struct):
            return inputs
        warnings.warn(
            f"The structure of `inputs` doesn't match the expected structure of model "
            f'"{self.name}". Expected the keys {sorted(struct)}; the extra keys '
            f"{sorted(extra)} are ignored.",
            stacklevel=3,
        )
        return {k: inputs[k] for k in struct}

    def __call__(self, *args, **kwargs):
        if args and isinstance(args[0], dict) and isinstance(self._inputs_struct, dict):
            args = (self._drop_extra_keys(args[0]),) + args[1:]
        elif "inputs" in kwargs and isinstance(kwargs["inputs"], dict):
            if isinstance(self._inputs_struct, dict):
                kwargs["inputs"] = self._drop_extra_keys(kwargs["inputs"])
        if args and isinstance(args[0], dict) and not isinstance(self._inputs_struct, dict):
            args = (self._standardize_inputs(args[0]),) + args[1:]
        elif (
            "inputs" in kwargs
            and isinstance(kwargs["inputs"], dict)
            and not isinstance(self._inputs_struct, dict)
        ):
            kwargs["inputs"] = self._standardize_inputs(kwargs["inputs"])
        return super().__call__(*args, **kwargs)

    @property
    def outputs(self):
        """The model's output KerasTensors, in order."""
        return list(self._outputs)

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def layers(self):
        return [op for op in self._operations if isinstance(op, Layer)]

    def _sublayers(self):
        return self.layers

    def _run(self, inputs, run_op):
        flat = self._standardize_inputs(inputs)
        if len(flat) != len(self._inputs):
            raise ValueError(
                f'Model "{self.name}" expects {len(self._inputs)} input(s), received {len(flat)}.'
            )
        flat = self._adjust_input_rank(flat)
        values = {}
        for symbolic, value in zip(self._inputs, flat):
            if value is not None and not isinstance(value, KerasTensor):
                if dtypes.standardize_dtype(value.dtype) != symbolic.dtype:
                    value = table.cast(value, symbolic.dtype)
            values[id(symbolic)] = value
        lookup = lambda x: values[id(x)] if isinstance(x, KerasTensor) else x  # noqa: E731

        def resolve(x):  # a node argument's value; plain tensors skip the tree walk
            return lookup(x) if not tree.is_nested(x) else tree.map_structure(lookup, x)

        for node in self._nodes:
            args = tuple(resolve(a) for a in node.call_args)
            kwargs = {k: resolve(v) for k, v in node.call_kwargs.items()}
            outputs = run_op(node.operation, args, kwargs)
            for symbolic, value in zip(node.outputs, tree.flatten(outputs)):
                values[id(symbolic)] = value
        return tree.pack_sequence_as(self._outputs_struct, [values[id(x)] for x in self._outputs])

    def call(self, inputs, training=None, mask=None):
        if not training and mask is None:
            plan = self.__dict__.get("_inference_plan")
            if plan is None:
                plan = self.__dict__["_inference_plan"] = _inference_plan(self)
            if plan:
                outputs = self._run_plan(plan, inputs, training)
                if outputs is not None:
                    return outputs
        return self._run(inputs, lambda op, args, kwargs: op(*args, **kwargs))

    def _inference_call(self, inputs, training):
        """`self(inputs, training=training)` through the inference plan, or None (see
        `_planned_call`)."""
        return _planned_call(self, self, inputs, training)

    def _run_plan(self, plan, inputs, training, convert=False):
        """Runs the graph for inference by calling each layer's `call` directly (see
        `_inference_plan`); None when the inputs are not exactly what the graph was built
        for (then the ordinary call runs, with its conversions and checks). With `convert`,
        NumPy arrays of the input dtypes are converted as `Layer.__call__` converts them."""
        if _AUTOCAST.scope is not None or in_graph_scope() is not None:
            return None  # (inside a foreign engine's graph, e.g. tf.data: the full call)
        flat = tree.flatten(inputs) if inputs.__class__ in (list, tuple, dict) else [inputs]
        if len(flat) != len(self._inputs) or inputs.__class__ is dict:
            return None
        values = {}
        for symbolic, value in zip(self._inputs, flat):
            if convert and value.__class__ is np.ndarray and value.dtype.kind in "fiub":
                if dtypes.standardize_dtype(value.dtype) != symbolic.dtype:
                    return None
                value = table.convert_to_tensor(value)
            elif (
                not table.is_tensor(value)
                or dtypes.standardize_dtype(value.dtype) != symbolic.dtype
            ):
                return None
            shape = tuple(value.shape)
            if len(shape) != len(symbolic.shape) or any(
                want is not None and got != want for got, want in zip(shape, symbolic.shape)
            ):
                return None
            values[id(symbolic)] = value
        for layer, policy, arg, takes_training, outputs in plan:
            value = values[arg] if arg.__class__ is int else [values[i] for i in arg]
            if policy is _FUSED:
                result = layer(value, training)
                if result is _REPLAN:
                    del self.__dict__["_inference_plan"]
                    return None
            elif layer.dtype_policy is not policy:  # e.g. quantized since: plan again
                del self.__dict__["_inference_plan"]
                return None
            else:
                result = (
                    layer.call(value, training=training) if takes_training else layer.call(value)
                )
            if len(outputs) == 1:
                values[outputs[0]] = result
            else:
                for key, part in zip(outputs, tree.flatten(result)):
                    values[key] = part
        return tree.pack_sequence_as(self._outputs_struct, [values[id(x)] for x in self._outputs])

    def compute_output_spec(self, inputs, training=None, mask=None):
        return self._run(inputs, lambda op, args, kwargs: op.compute_output_spec(*args, **kwargs))

    def _maybe_build(self, args):
        if not self.built:  # attribute writes can be costly on a layer mixin: once only
            self.built = True

    # --- config ------------------------------------------------------------------------
    def get_config(self):
        nodes = set(id(n) for n in self._nodes)
        for x in self._inputs:
            nodes.add(id(_history_node(x)))

        def node_index(op, index):
            own = [n for n in op._inbound_nodes[: index + 1] if id(n) in nodes]
            return len(own) - 1

        def ref(tensor):
            op, index, tensor_index = tensor._keras_history
            return [op.name, node_index(op, index), tensor_index]

        def arg_config(value):
            if isinstance(value, KerasTensor):
                return {
                    "class_name": "__keras_tensor__",
                    "config": {
                        "shape": list(value.shape),
                        "dtype": value.dtype,
                        "keras_history": ref(value),
                    },
                }
            if isinstance(value, tuple):
                return {
                    "class_name": "__tuple__",
                    "config": {"value": [arg_config(v) for v in value]},
                }
            if isinstance(value, list):
                return [arg_config(v) for v in value]
            if isinstance(value, dict):
                return {k: arg_config(v) for k, v in value.items()}
            return serialization.serialize_keras_object(value)

        layer_configs = []
        for op in self._operations:
            config = serialization.serialize_keras_object(op)
            config["name"] = op.name
            calls = []
            for node in op._inbound_nodes:
                if id(node) in nodes and not node.is_input:
                    kwargs = {
                        k: v
                        for k, v in node.call_kwargs.items()
                        if not (
                            k == "mask"
                            and tree.flatten(v)
                            and isinstance(tree.flatten(v)[0], KerasTensor)
                        )
                    }
                    calls.append((node.call_args, kwargs))
            if isinstance(op, OpCall) and calls:
                # Keras 3's own op node where exact (one constructor config for every call),
                # so that Keras 3 loads the model; else unikeras' `OpCall` form.
                split = [keras3_op_call(op.op_name, a, k) for a, k in calls]
                if all(s is not None and s[:3] == split[0][:3] for s in split):
                    module, class_name, op_config, _ = split[0]
                    config = {
                        "module": module,
                        "class_name": class_name,
                        "config": {"name": op.name, **op_config},
                        "registered_name": class_name,
                        "name": op.name,
                    }
                    calls = [(s[3], {}) for s in split]
            config["inbound_nodes"] = [
                {"args": [arg_config(a) for a in args], "kwargs": arg_config(kwargs)}
                for args, kwargs in calls
            ]
            layer_configs.append(config)
        return {
            "name": self.name,
            "trainable": self.trainable,
            "layers": layer_configs,
            "input_layers": tree.map_structure(ref, self._inputs_struct),
            "output_layers": tree.map_structure(ref, self._outputs_struct),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=True):
        created = {}
        tensors = {}  # (layer name, node index, tensor index) -> KerasTensor
        pending = []
        for layer_config in config["layers"]:
            bound = {}  # a Keras 3 op node keeps its non-tensor arguments in its config
            keras3_op = serialization.keras3_op_name(layer_config)
            if keras3_op is not None:
                op = OpCall(keras3_op)
                bound = {k: v for k, v in layer_config.get("config", {}).items() if k != "name"}
            elif layer_config.get("class_name") == "OpCall":
                op = OpCall(layer_config["config"]["op_name"])
                if not hasattr(table, op.op_name):
                    raise ValueError(f"Unknown op {op.op_name!r} in model config.")
            else:
                op = serialization._deserialize_object(
                    {
                        k: v
                        for k, v in layer_config.items()
                        if k not in ("inbound_nodes", "build_config")
                    },
                    custom_objects=custom_objects,
                    safe_mode=safe_mode,
                )
            created[layer_config["name"]] = op
            if isinstance(op, InputLayer):
                tensors[(layer_config["name"], 0, 0)] = op.output
            for node_config in layer_config.get("inbound_nodes", []):
                node_config = {**node_config, "kwargs": {**bound, **node_config.get("kwargs", {})}}
                pending.append((layer_config["name"], op, node_config))
        node_counts = {}

        def resolve(value):
            if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
                key = tuple(value["config"]["keras_history"])
                if key not in tensors:
                    raise KeyError(key)
                return tensors[key]
            if isinstance(value, dict) and value.get("class_name") == "__tuple__":
                return tuple(_map_config(resolve, v) for v in value["config"]["value"])
            if isinstance(value, dict) and "class_name" in value:
                return serialization._deserialize_object(value, custom_objects, safe_mode)
            return value

        while pending:
            progressed = False
            for item in list(pending):
                name, op, node_config = item
                try:
                    args = [_map_config(resolve, a) for a in node_config.get("args", [])]
                    kwargs = {
                        k: _map_config(resolve, v) for k, v in node_config.get("kwargs", {}).items()
                    }
                except KeyError:
                    continue
                if getattr(op, "op_name", None) == "get_item":
                    args = _index_key_as_tuple(args)
                outputs = op(*args, **kwargs)
                index = node_counts.get(name, 0)
                node_counts[name] = index + 1
                for i, out in enumerate(tree.flatten(outputs)):
                    tensors[(name, index, i)] = out
                pending.remove(item)
                progressed = True
            if not progressed:
                raise ValueError("Model config has nodes whose inputs can never be computed.")

        def lookup(ref):
            return tensors[tuple(ref)]

        inputs = _map_refs(lookup, config["input_layers"])
        outputs = _map_refs(lookup, config["output_layers"])
        return cls(
            inputs, outputs, name=config.get("name"), trainable=config.get("trainable", True)
        )


def _index_key_as_tuple(args):
    """JSON turns a tuple key such as `[:, :2]` into a list; a list holding slices,
    `Ellipsis` or `None` can only have been such a tuple (Keras 3 files store it so)."""
    if (
        len(args) == 2
        and isinstance(args[1], list)
        and any(k is None or k is Ellipsis or isinstance(k, slice) for k in args[1])
    ):
        return [args[0], tuple(args[1])]
    return args


def _is_ref(value):
    return (
        isinstance(value, (list, tuple))
        and len(value) == 3
        and isinstance(value[0], str)
        and isinstance(value[1], int)
    )


def _map_refs(fn, refs):
    if _is_ref(refs):
        return fn(refs)
    if isinstance(refs, dict):
        return {k: _map_refs(fn, v) for k, v in refs.items()}
    return [_map_refs(fn, r) for r in refs]


def _map_config(fn, value):
    if isinstance(value, dict) and "class_name" in value:
        return fn(value)
    if isinstance(value, list):
        return [_map_config(fn, v) for v in value]
    if isinstance(value, dict):
        return {k: _map_config(fn, v) for k, v in value.items()}
    return value
