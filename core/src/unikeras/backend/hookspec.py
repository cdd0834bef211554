"""The unikeras backend contract.

A backend plugin is a set of Python objects (usually the modules `numpy.py`, `nn.py`, `math.py`,
`linalg.py`, `random.py`, `image.py`, `core.py` of one package) whose functions are marked with
`@hookimpl` and named after the hooks specified here. This module holds the hooks that are not
ops (backend information, tensor conversion, variables, symbolic shape inference); the op hooks,
one per `unikeras.ops` function, live in `unikeras.backend.specs.<namespace>` and are part of the
contract too: `SPEC_MODULES` lists them all.

A plugin also declares itself, in its entry-point module, with a dict literal
`unikeras_plugin_info` (pip name, selection priority, capabilities, export formats, the hooks
it requires beyond `REQUIRED_HOOKS`, whether it is test-only) that the core reads without
importing the plugin: see `unikeras.backend.registry.declared_info`. `python -m unikeras
check-plugin NAME` prints a plugin's coverage of this contract.

Rules every implementation follows:
- A hook implementation has exactly the parameter names, order and kinds of its spec (checked
  when the plugin loads; a mismatch fails naming the plugin and the hook; it may leave out
  the default values, which it then takes from the spec).
- Ops receive arguments as the user passed them (engine tensors, NumPy arrays, Python scalars,
  nested lists) and return engine tensors. They apply Keras 3 dtype promotion
  (`unikeras.backend.dtypes.result_type`): Python scalars are weak, `int + float` gives the
  float dtype, float results default to `floatx()`.
- Broadcasting follows NumPy. `axis` arguments accept negative values.
- Ops a backend cannot implement are simply left out: the dispatch table then raises
  `NotImplementedError` naming the op and the backend.
- An op of two `Tensor` operands (`add`, `matmul`...) may declare a fast entry
  (`fast_entry`): the engine function the public op calls itself for two eager tensors of
  one dtype, skipping the implementation's frame.

Annotations on op hook parameters say which arguments carry tensors, so the core knows when a
call is symbolic: `Tensor` (one tensor or array-like), `Tensors` (a sequence of them),
`Nested` (any nested structure containing tensors).
"""

import collections
import inspect

import pluggy

PROJECT_NAME = "unikeras"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)

#: Marks an op hook. Only one implementation is used per op (the highest-priority one in
#: pluggy's order), so the hooks are `firstresult`.
op = hookspec(firstresult=True)

#: The hooks every backend must implement (the core has no default for them): loading a
#: backend without one fails with an error naming the plugin and the missing hooks. A plugin
#: may declare more in its `unikeras_plugin_info["required_hooks"]` (training backends
#: declare `trainer_mixin`). Every other hook is optional: an op left out raises
#: `NotImplementedError` naming it when called, an optional non-op hook (`lstm`, `linear`,
#: `engine_layer`, `clear_session`, ...) falls back to the core's generic path.
REQUIRED_HOOKS = (
    "backend_info",
    "convert_to_tensor",
    "convert_to_numpy",
    "is_tensor",
    "variable_class",
    "layer_mixin",
    "compute_output_spec",
    "random_uniform",
)


class Tensor:
    """Annotation: the parameter takes one tensor (or anything `convert_to_tensor` accepts)."""


class Tensors:
    """Annotation: the parameter takes a sequence of tensors."""


class Nested:
    """Annotation: the parameter takes a nested structure (list/tuple/dict) of tensors."""


# --------------------------------------------------------------------------------------------
# Fast entries
# --------------------------------------------------------------------------------------------

#: The attribute of a hook implementation that holds its `FastEntry` (see `fast_entry`).
FAST_ENTRY_ATTRIBUTE = PROJECT_NAME + "_fast_entry"


#: What `fast_entry` declares: the operands' exact class, the dtypes served (a frozenset)
#: and the engine function called.
FastEntry = collections.namedtuple("FastEntry", ["tensor_type", "dtypes", "function"])


def takes_fast_entry(spec):
    """Returns whether the op hook `spec` may declare a fast entry: its parameters are
    exactly two positional `Tensor` operands without defaults (`add(x1, x2)`, `matmul`...).

    Args:
        spec: The op's spec function.
    """
    params = list(inspect.signature(spec).parameters.values())
    return len(params) == 2 and all(
        p.kind is p.POSITIONAL_OR_KEYWORD
        and p.default is p.empty
        and p.annotation in (Tensor, "Tensor")
        for p in params
    )


def fast_entry(tensor_type, dtypes, function):
    """Declares the fast entry of a binary op implementation (a decorator).

    The public op (`keras.ops.add`) of an op whose spec takes exactly two `Tensor` operands
    (see `takes_fast_entry`) calls `function(x1, x2)` itself, without entering the
    implementation, when both operands are of exactly class `tensor_type` and of the same
    dtype, one of `dtypes`: one Python frame less per eager call. The declaration promises
    that `function(x1, x2)` then returns what the implementation returns (same values,
    same dtype: Keras 3 promotion of two equal dtypes). When `function` raises, the public
    op calls the implementation, whose error (or result) the caller gets. Variables,
    KerasTensors, Python scalars, mixed dtypes and other classes always take the
    implementation. The fast entry belongs to the implementation object: it is used while that
    implementation serves the op, so an add-on that overrides the op (or a `graph_scope`)
    replaces it along with the implementation.

    Args:
        tensor_type: The engine's eager tensor class (`np.ndarray`, `torch.Tensor`);
            subclasses are not served.
        dtypes: The engine dtype objects served (what `x.dtype` returns, compared by
            identity, then by `in`).
        function: The engine function, e.g. `torch.add`.

    Returns:
        A decorator that records the entry on the implementation and returns it.
    """
    entry = FastEntry(tensor_type, frozenset(dtypes), function)

    def declare(implementation):
        setattr(implementation, FAST_ENTRY_ATTRIBUTE, entry)
        return implementation

    return declare


# --------------------------------------------------------------------------------------------
# Backend information
# --------------------------------------------------------------------------------------------


@op
def backend_info():
    """Describes the backend.

    Returns:
        A dict with keys `name` (str), `version` (str, the engine's version), `engine`
        (str, the engine's distribution name), `training` (bool: whether `fit` and gradients
        are supported), `jit` (bool: whether steps can be compiled), `dtypes` (list of the
        dtype names the backend supports), and optionally `jit_compile_auto` (bool: what
        `Model.compile(jit_compile="auto")` resolves to, the faster choice measured on the
        platform; default: the value of `jit`), `float64_precision` (`"float32"`
        when the engine stores float64 but computes it at float32 precision; default
        `"float64"`), `counter_dtype` (the optimizers' iteration counter dtype, Keras 3's
        for the engine, which is also what the dtype `"int"` / `int` stands for: `"int64"`
        on TensorFlow; default `"int32"`), `builds_in_steps` (bool: a model with its own
        `train_step`/`test_step` that cannot be built from a batch builds in its first
        step, as Keras 3 on TensorFlow; default False) and `notes` (str). The
        conformance kit skips cases with dtypes the backend does not list, and float64 cases
        where `float64_precision` is not float64.
    """


# --------------------------------------------------------------------------------------------
# Tensors
# --------------------------------------------------------------------------------------------


@op
def convert_to_tensor(x, dtype=None, sparse=None):
    """Converts `x` (array-like, Python scalar or nested lists, engine tensor) to a tensor.

    Args:
        x: The value to convert. A `Variable` converts to its current value.
        dtype: Optional target dtype name. If `None`, keep the dtype of `x` when it has one;
            Python floats become `floatx()`, Python ints `int32`, Python bools `bool`.
        sparse: Whether to keep sparse tensors sparse (backends without sparse support
            ignore it).

    Returns:
        An engine tensor.
    """


@op
def convert_to_numpy(x):
    """Converts a tensor (or Variable) to a `numpy.ndarray` on the host.

    Returns:
        A NumPy array with the same shape and the NumPy equivalent of the dtype (`bfloat16`
        maps to `ml_dtypes.bfloat16` where available, else `float32`).
    """


@op
def is_tensor(x):
    """Returns whether `x` is a tensor of this backend (not a Python scalar or list)."""


@op
def standardize_native_dtype(dtype):
    """Returns the engine's dtype object for the unikeras dtype name `dtype`."""


# --------------------------------------------------------------------------------------------
# Variables and layers
# --------------------------------------------------------------------------------------------


@op
def variable_class():
    """Returns the backend's Variable class.

    It subclasses `unikeras.backend.variable.Variable` and implements `_initialize(value)`
    (store the initial value as engine state), `_direct_assign(value)` and the `value`
    property. JAX keeps an immutable array, PyTorch a `torch.nn.Parameter`, TensorFlow a
    `tf.Variable`.
    """


@op
def layer_mixin():
    """Returns a class that every `unikeras.layers.Layer` also inherits from (first in the MRO).

    `object` when the backend needs nothing; PyTorch returns a mixin based on
    `torch.nn.Module` so that `model.parameters()` works.
    """


# --------------------------------------------------------------------------------------------
# Symbolic execution
# --------------------------------------------------------------------------------------------


@op
def compute_output_spec(fn, args, kwargs):
    """Infers what `fn(*args, **kwargs)` returns without computing it.

    Args:
        fn: A callable written with backend ops.
        args: Tuple of positional arguments; may contain `KerasTensor`s (in nested
            structures), whose `None` dimensions are unknown.
        kwargs: Dict of keyword arguments, likewise.

    Returns:
        The same structure `fn` returns, with each tensor replaced by a `KerasTensor`. A
        dimension that depends on an unknown input dimension is `None`.
    """


# --------------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------------


@op
def trainer_mixin():
    """Returns a class that `unikeras.Model` inherits from before the core `Trainer`.

    It supplies the backend's steps and their compiled forms; the core `Trainer` owns the loop
    (`fit`/`evaluate`/`predict`), `compute_loss`, `compute_metrics` and eager defaults of
    everything below, so a mixin overrides only what its engine needs:

    - `train_step(data)`: one optimization step on a batch `(x, y, sample_weight)` (unpack it
      with `unikeras.utils.unpack_x_y_sample_weight`); computes the loss with
      `self.compute_loss(...)`, applies gradients with `self.optimizer.apply(grads, vars)`,
      returns `self.compute_metrics(x, y, y_pred, sample_weight)`. Inference-only backends
      raise a `RuntimeError` naming a training backend to install.
    - `test_step(data)`, `predict_step(data)`: the core's eager versions work everywhere.
    - `make_train_function(force=False)`, `make_test_function(force=False)`,
      `make_predict_function(force=False)`: set and return `self.train_function` (etc.), a
      callable taking an iterator of up to `steps_per_execution` batches and returning the
      last step's logs. Build it with `self._multi_step_function(step)` from a compiled
      one-batch step (`jax.jit`, `tf.function`, `torch.compile` when `self.jit_compile`),
      and fall back to `super()` when `self.run_eagerly` is true.
    """


# --------------------------------------------------------------------------------------------
# Fused recurrences (optional)
# --------------------------------------------------------------------------------------------


@op
def lstm(
    inputs,
    initial_state,
    kernel,
    recurrent_kernel,
    bias,
    mask,
    activation,
    recurrent_activation,
    go_backwards,
    return_sequences,
    unroll,
    zero_output_for_mask,
):
    """Optional: runs a whole LSTM with the engine's fused kernel (e.g. cuDNN, `torch.lstm`).

    The `LSTM` layer calls it first and runs its generic `ops.scan` loop when the backend
    leaves this hook out or returns `None`. Return `None` whenever the arguments do not fit
    the kernel's semantics (typically: `activation` other than `unikeras.activations.tanh`,
    `recurrent_activation` other than `unikeras.activations.sigmoid`, a `mask`, `unroll`),
    so that the result always equals the generic loop's. The result must be differentiable
    with the engine's autograd (it is used inside `fit`).

    Args:
        inputs: `(batch, time, features)`.
        initial_state: `[h, c]`, each `(batch, units)`.
        kernel: `(features, 4 * units)`, Keras' gate order i, f, c, o.
        recurrent_kernel: `(units, 4 * units)`, same gate order.
        bias: `(4 * units,)` or `None`.
        mask: Boolean `(batch, time)` or `None`.
        activation, recurrent_activation: Callables (see above).
        go_backwards: Process time steps last to first; `outputs` are then in processing
            order.
        return_sequences: Whether to return `outputs`.
        unroll: The layer's `unroll` flag.
        zero_output_for_mask: Masked steps output zeros instead of the previous output.

    Returns:
        `(last_output, outputs or None, [h, c])`, or `None` (use the generic loop).
    """


@op
def gru(
    inputs,
    initial_state,
    kernel,
    recurrent_kernel,
    bias,
    mask,
    activation,
    recurrent_activation,
    reset_after,
    go_backwards,
    return_sequences,
    unroll,
    zero_output_for_mask,
):
    """Optional: runs a whole GRU with the engine's fused kernel; as `lstm`.

    Args: those of `lstm`, except
        initial_state: `[h]`, `(batch, units)`.
        kernel: `(features, 3 * units)`, Keras' gate order z, r, h.
        recurrent_kernel: `(units, 3 * units)`.
        bias: `(2, 3 * units)` (input and recurrent biases) with `reset_after`, else
            `(3 * units,)`, or `None`.
        reset_after: Whether the reset gate applies after the recurrent matmul (the cuDNN
            and `torch.gru` convention).

    Returns:
        `(last_output, outputs or None, [h])`, or `None` (use the generic loop).
    """


# --------------------------------------------------------------------------------------------
# Fused layer kernels (optional)
# --------------------------------------------------------------------------------------------


@op
def linear(inputs, kernel, bias):
    """Optional: `matmul(inputs, kernel) + bias` as one engine kernel (e.g. `torch.addmm`).

    `Dense` calls it first and runs `ops.matmul` then `ops.add` when the backend leaves this
    hook out or returns `None`. Return `None` unless the operands are floating tensors of
    one dtype, so that the result always equals the generic path's. It must be
    differentiable with the engine's autograd.

    Args:
        inputs: `(..., input_dim)`.
        kernel: `(input_dim, units)`.
        bias: `(units,)`.

    Returns:
        `(..., units)`, or `None` (use the generic path).
    """


@op
def conv_bias(inputs, kernel, bias, strides, padding, data_format, dilation_rate):
    """Optional: `ops.conv(...)` plus `bias` along the channel axis, as one engine kernel
    (e.g. the bias argument of `torch.nn.functional.conv2d`).

    The convolution layers call it first and run `ops.conv` then `ops.add` when the backend
    leaves this hook out or returns `None`. Return `None` when the arguments do not fit
    (e.g. mixed dtypes). Arguments are those of `ops.conv` (`data_format` is already
    resolved), plus `bias` of shape `(filters,)`.

    Returns:
        The biased convolution, or `None` (use the generic path).
    """


@op
def fuse_inference_layers(layers):
    """Optional: engine functions that each run several consecutive layers of a graph model
    at once, for its eager inference plan (`model(x)`, `predict_on_batch` and `predict` on
    backends that do not compile them), e.g. convolutions and poolings kept channels-first
    in between instead of converting the layout in and out around each.

    The core asks once per plan, for each chain of layers where each layer is called on the
    previous one's output alone and nothing else reads that output. The layers are built,
    unikeras' own, float32, without masks or activity regularizers, and run for inference
    (`training` unset or False: a layer whose call depends on it is not to be fused).

    Args:
        layers: The chain, a list of layers in call order.

    Returns:
        A list of `(start, stop, function)` (non-overlapping, `stop - start >= 2`), or
        `None`: `function(x)` returns what `layers[start:stop]` called one after the other
        on `x` return, bit for bit, reading the weights (`Variable.value`) and the layers'
        attributes on every call, or `None` when it cannot (the layers then run one by one).
    """


# --------------------------------------------------------------------------------------------
# Fused optimizer updates (optional)
# --------------------------------------------------------------------------------------------


@op
def adam_update(
    variables,
    gradients,
    momentums,
    velocities,
    velocity_hats,
    learning_rate,
    iterations,
    beta_1,
    beta_2,
    epsilon,
):
    """Optional: one Adam step for all `variables` at once, in place (e.g. torch's
    `_foreach` kernels), for engines where per-op dispatch dominates the update.

    `Adam` (and `AdamW`, after its weight decay) calls it first and runs its per-variable
    `update_step` when the backend leaves this hook out or returns `None`. It must compute
    exactly Keras' formula with `t = iterations + 1`: `m += (g - m) * (1 - beta_1)`,
    `v += (g**2 - v) * (1 - beta_2)`, with `velocity_hats` (AMSGrad) `v_hat = max(v_hat, v)`
    used below instead of `v`, and `w -= lr * sqrt(1 - beta_2**t) / (1 - beta_1**t) * m /
    (sqrt(v) + epsilon)`. Return `None` when the arguments do not fit (e.g. mixed dtypes).

    Args:
        variables: The trainable Variables to update.
        gradients: One gradient tensor per variable.
        momentums, velocities: The slot Variables of each variable.
        velocity_hats: The AMSGrad slot Variables, or `None`.
        learning_rate: Scalar tensor or float.
        iterations: The optimizer's iteration counter Variable (before this step).
        beta_1, beta_2, epsilon: Floats.

    Returns:
        `True` when the update was applied, else `None`.
    """


@op
def conditional_update(condition, fn, variables):
    """Optional: runs the stateful `fn`, which assigns some of `variables` and no other
    Variable, only where the boolean scalar tensor `condition` is true, with the engine's
    own branch (e.g. `jax.lax.cond`): the variables keep their values, and `fn`'s work is
    skipped, where it is false. Works inside a trace (a jitted step) and eagerly.

    `LossScaleOptimizer` (the inner update on finite gradients) and gradient accumulation
    (the update every `gradient_accumulation_steps`) call it first; without it (or with
    `None` returned) `fn` always runs and each of `variables` is where-selected between its
    old and new value, which works on every engine but costs the update and a select of
    every weight and slot on each step.

    Returns:
        `True` when done, or `None` (use the generic path).
    """


@op
def all_finite(tensors):
    """Optional: whether every element of every tensor in `tensors` (floating-point, none
    `None`) is finite, as a boolean scalar tensor, computed faster than one `isfinite` and
    `all` per tensor (e.g. from per-tensor sums, confirmed element-wise when a sum is not
    finite). `LossScaleOptimizer.check_finite` calls it first.

    Returns:
        A boolean scalar tensor, or `None` (use the generic path).
    """


@op
def host_bool(x):
    """Optional: the Python `bool` of the scalar boolean tensor `x` where the engine runs
    eagerly (reading the value on the host neither fails nor breaks a trace or compiled
    graph), else `None`.

    `LossScaleOptimizer` asks it whether the gradients are finite: with a bool it runs only
    the branch taken (the inner update or the scale decrease), like an eager `ops.cond`;
    with `None` (or when the backend leaves this hook out) it computes the update and keeps
    the variables' old values where the gradients are not finite, which works inside any
    trace.

    Returns:
        `True`, `False`, or `None` (the value cannot be read here).
    """


# --------------------------------------------------------------------------------------------
# Profiling (optional)
# --------------------------------------------------------------------------------------------


@op
def start_trace(logdir):
    """Optional: starts the engine's profiler, for `TensorBoard(profile_batch=...)`.

    The callback raises a `ValueError` naming the backend when `profile_batch` is set and
    the backend leaves `start_trace` or `stop_trace` out.

    Args:
        logdir: The run's directory (the callback passes `<log_dir>/train`). The trace goes
            to `logdir/plugins/profile/<run>/`, where TensorBoard's profile plugin (or, for
            PyTorch's `*.pt.trace.json` traces, torch-tb-profiler) finds it.
    """


@op
def stop_trace():
    """Optional: stops the profiler `start_trace` started and writes its trace."""


@op
def trace_batch(batch):
    """Optional: a context manager that marks one training step in the running trace with
    the engine's step marker (so profile viewers split the trace into steps).

    Args:
        batch: The step number (training batches counted from 1 since `fit` began).

    Returns:
        A context manager, entered when the batch begins and exited when it ends.
    """


# --------------------------------------------------------------------------------------------
# Engine-specific layers (optional)
# --------------------------------------------------------------------------------------------


@op
def engine_layer(name):
    """Optional: the backend's implementation of an engine-specific Keras layer, or `None`.

    Keras 3 has layers that wrap one engine's objects: `TorchModuleWrapper` (a
    `torch.nn.Module`), `JaxLayer` / `FlaxLayer` (JAX functions, Flax modules) and `TFSMLayer`
    (a TensorFlow SavedModel). `unikeras.layers` declares each as a class whose constructor
    asks the active backend for a subclass of it through this hook, and raises a `ValueError`
    naming the backend to use when the hook is left out or returns `None`.

    Args:
        name: The layer's class name, e.g. `"TorchModuleWrapper"`.

    Returns:
        A subclass of `unikeras.layers.<name>`, or `None`.
    """


# --------------------------------------------------------------------------------------------
# Distribution (optional): `keras.distribution` on the engine's own distributed runtime
# --------------------------------------------------------------------------------------------


@op
def list_devices(device_type):
    """Optional: the devices `keras.distribution` may use, as `"<type>:<id>"` strings.

    Args:
        device_type: `"cpu"`, `"gpu"`, `"tpu"` or `None` (the accelerators when there are
            any, else the CPUs). Never a mix of types; in a multi-process run, the global
            devices of every process.

    Returns:
        A list of strings such as `["gpu:0", "gpu:1"]`.
    """


@op
def initialize_distribution(job_addresses, num_processes, process_id):
    """Optional: starts the engine's multi-process runtime (`keras.distribution.initialize`).

    Args:
        job_addresses: Comma-separated `host:port` addresses (the first is the coordinator),
            or `None`.
        num_processes: Number of processes, or `None` (let the engine find out).
        process_id: This process' index in `[0, num_processes)`, or `None`.
    """


@op
def process_info():
    """Optional: `(num_processes, process_id)` of the running multi-process job
    (`(1, 0)` when there is a single process)."""


@op
def distribute_tensor(tensor, layout):
    """Optional: `tensor` placed (or, inside a traced function, constrained) with `layout`.

    Args:
        tensor: An engine tensor.
        layout: A `keras.distribution.TensorLayout` whose `device_mesh` is set.

    Returns:
        The tensor with the layout's sharding over the mesh's devices.
    """


@op
def distribute_variable(value, layout):
    """Optional: the initial value of a Variable created under a distribution, placed on
    the devices with `layout` (the one `distribution.get_variable_layout` gave it).

    Args:
        value: The initial engine tensor.
        layout: A `keras.distribution.TensorLayout`.

    Returns:
        The placed engine tensor, which the Variable stores.
    """


@op
def distribute_data_input(batch, layout, batch_dim_name):
    """Optional: one input batch (this process' part of the global batch) placed over the
    mesh with `layout` (sharded on its first axis, `batch_dim_name`).

    Args:
        batch: An engine tensor or NumPy array.
        layout: The `keras.distribution.TensorLayout` from `get_data_layout`.
        batch_dim_name: The mesh axis the batch dimension is split over.

    Returns:
        The global, sharded engine tensor.
    """


# --------------------------------------------------------------------------------------------
# Devices and rematerialization (optional)
# --------------------------------------------------------------------------------------------


@op
def device_scope(device_name):
    """Optional: the context manager behind `keras.device(device_name)`, placing the tensors
    and variables created inside it on that device.

    The core validates and normalizes the name first. A backend without the hook runs on
    the CPU only: `keras.device("cpu")` is accepted there, other devices raise.

    Args:
        device_name: `"<type>:<index>"`, lower case, e.g. `"cpu:0"`, `"gpu:1"`.

    Returns:
        A context manager (its `__enter__` may return the engine's device object).
    """


@op
def remat(f):
    """Optional: `f` rematerialized for `keras.remat` and `keras.RematScope`: the same
    values and gradients, with `f`'s intermediate results recomputed in the backward pass
    instead of kept (e.g. `jax.checkpoint`, `torch.utils.checkpoint`,
    `tf.recompute_grad`). Without the hook, `keras.remat` warns and returns `f`.

    Args:
        f: A callable taking and returning (nested) tensors.

    Returns:
        The rematerialized callable.
    """


@op
def variable_snapshot(value):
    """Optional: returns a copy of a variable's current `value` that later assignments to
    the variable leave unchanged.

    `Layer.stateless_call` keeps the values it swaps out this way. Backends whose variables
    take a new tensor on assignment (the stored tensor itself is never written) leave the hook
    out: the core then keeps `value` as it is, with no copy. A backend whose `_direct_assign`
    writes into the stored tensor in place (PyTorch's `copy_`) returns a copy.

    Returns:
        A tensor equal to `value`.
    """


@op
def saved_model_adapter():
    """Optional: returns the class `keras.export.ExportArchive` uses on this backend when
    its variables are not TensorFlow variables (e.g. JAX, converted with `jax2tf`).

    The class is constructed with the archive and provides `track_layer(layer)` (save the
    layer's variables as `tf.Variable`s in `archive._tf_trackable`), `endpoint(fn,
    input_signature, **kwargs)` (a `tf.function` serving `fn`), `native_variables(variables)`
    (the `tf.Variable`s saved for `variables`) and `endpoint_kwargs` (the names of the
    backend-specific `add_endpoint` keyword arguments it accepts). Without the hook, the core
    archives the variables' own `tf.Variable`s (`variable.native`), which works on a backend
    that declares the `"tf_saved_model"` export format.

    Returns:
        A class, or `None`.
    """


@op
def onnx_exporter():
    """Optional: returns the function `model.export(path, format="onnx")` uses on this
    backend when the backend converts models to ONNX itself (e.g. the torch plugin, through
    `torch.onnx`). Without the hook, a backend declaring the `"onnx"` export format converts
    the SavedModel endpoint with `tf2onnx`, and any other backend exports in a subprocess on
    one that declares it.

    The function is called as `fn(model, filepath, call, input_signature, input_names,
    output_names, opset_version, **kwargs)`: `call(*flat_inputs)` runs the model in
    inference mode and returns the flat list of its outputs; `input_signature` is the flat
    list of specs (objects with `shape` and `dtype`, `None` for dynamic sizes), one per ONNX
    input; the names are those the ONNX graph's inputs and outputs must have. It writes the
    ONNX file at `filepath`.

    Returns:
        A function, or `None`.
    """


@op
def clear_session():
    """Optional: resets the engine's own global state for `keras.backend.clear_session()`
    (e.g. TensorFlow's default graph and kernel cache, torch's compiled-graph caches). The
    core resets its own state first; without the hook there is nothing more to reset.

    Returns:
        None.
    """


@op
def seed_engine(seed):
    """Optional: seeds the engine's own global random generator for
    `keras.utils.set_random_seed(seed)` (e.g. `torch.manual_seed`). The core seeds Python,
    NumPy and unikeras' generator first; without the hook there is nothing more to seed.

    Args:
        seed: An int.

    Returns:
        None.
    """


def spec_modules():
    """Returns the modules that hold the contract's hook specifications, this one first."""
    import sys

    from unikeras.backend.specs import core, image, linalg, math, nn, numpy, random

    return (sys.modules[__name__], numpy, nn, math, linalg, image, core, random)
