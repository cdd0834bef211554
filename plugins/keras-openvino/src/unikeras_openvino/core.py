"""OpenVINO backend: backend info and the core ops (casting, indexing, scatter, control flow
as OpenVINO Loop and If nodes).


The package's other hook modules are the standard ones (`registry.PLUGIN_MODULE_NAMES`).
"""

import builtins
import functools

import numpy as np
import openvino as ov
import openvino.opset14 as ov_ops
import openvino.opset15 as ov15

from unikeras.backend.api import Variable as BaseVariable, dtypes, hookimpl, tree

from unikeras_openvino import config
from unikeras_openvino.convert import convert_to_numpy, convert_to_tensor, to_dtype
from unikeras_openvino.graph import (
    STATE,
    SUPPORTED_DTYPES,
    OpenVINOTensor,
    const,
    dtype_name,
    graph_op,
    host_array,
    node,
    np_dtype,
    partial_shape,
)

PRECISION_NAMES = {"f32": "float32", "bf16": "bfloat16", "f16": "float16"}


@hookimpl
def backend_info():
    return {
        "name": "openvino",
        "version": ov.__version__,
        "engine": "openvino",
        "training": False,
        "jit": True,
        "dtypes": list(SUPPORTED_DTYPES),
        # OpenVINO's CPU plugin runs float64 (and 64-bit integer arithmetic in compiled
        # graphs) at 32-bit precision.
        "float64_precision": "float32",
        "precision": PRECISION_NAMES[config.precision()],
        "device": config.device(),
        "notes": (
            f"inference only; compiled models run on {config.device()} with "
            f"INFERENCE_PRECISION_HINT={config.precision()} "
            "(set UNIKERAS_OPENVINO_PRECISION=f32|bf16|f16, UNIKERAS_OPENVINO_DEVICE)"
        ),
    }


@hookimpl
def cast(x, dtype):
    return to_dtype(x, dtype)


@hookimpl
def shape(x):
    if isinstance(x, (OpenVINOTensor, BaseVariable)):
        return tuple(x.shape)
    return tuple(np.shape(x))


def int_const(values):
    """An int64 Constant (for axes, shapes, indices)."""
    return const(np.asarray(values, dtype=np.int64))


@hookimpl
@graph_op
def get_item(x, key):
    x = node(x)
    key = key if isinstance(key, tuple) else (key,)
    if len(key) == 1 and _is_index_array(key[0]):
        return _gather_rows(x, key[0])
    if not key:
        return x
    parts = [_key_part(k) for k in key]
    begin, end, stride, begin_mask, end_mask, new_axis, shrink, ellipsis = zip(*parts)
    return ov_ops.strided_slice(
        x,
        int_const(begin),
        int_const(end),
        int_const(stride),
        list(begin_mask),
        list(end_mask),
        list(new_axis),
        list(shrink),
        list(ellipsis),
    )


def _key_part(k):
    """(begin, end, stride, begin_mask, end_mask, new_axis, shrink, ellipsis) of one entry."""
    if k is None:
        return 0, 0, 1, 0, 0, 1, 0, 0
    if k is Ellipsis:
        return 0, 0, 1, 0, 0, 0, 0, 1
    if isinstance(k, builtins.slice):
        step = 1 if k.step is None else _int(k.step)
        return (
            _bound(k.start),
            _bound(k.stop),
            step,
            int(k.start is None),
            int(k.stop is None),
            0,
            0,
            0,
        )
    index = _int(k)
    return index, index + 1, 1, 0, int(index == -1), 0, 1, 0


def _is_index_array(k):
    if isinstance(k, (list, np.ndarray, OpenVINOTensor, BaseVariable, ov.Output)):
        return True
    return False


def _gather_rows(x, index):
    index = node(index)
    if index.get_element_type() == ov.Type.boolean:
        raise NotImplementedError(
            "`get_item` with a boolean mask is not implemented by the unikeras backend "
            "'openvino' (its output shape depends on the values)."
        )
    return ov_ops.gather(x, index, int_const(0))


def _int(value):
    return int(host_array(value)) if not isinstance(value, int) else value


def _bound(value):
    return 0 if value is None else _int(value)


@hookimpl
@graph_op
def stop_gradient(variable):
    return node(variable)


@hookimpl
def unstack(x, num=None, axis=0):
    x = convert_to_tensor(x)
    size = x.shape[axis]
    if num is not None and num != size:
        raise ValueError(f"unstack: `num` ({num}) must equal the size of axis {axis} ({size}).")
    index = (builtins.slice(None),) * (axis % x.ndim)
    return [get_item(x, index + (i,)) for i in range(size)]


@hookimpl
@graph_op
def slice(inputs, start_indices, shape):
    x = node(inputs)
    starts, sizes = _block_start(x, start_indices, shape)
    block = ov_ops.slice(x, starts, ov_ops.add(starts, sizes), int_const([1] * len(shape)))
    return ov_ops.reshape(block, sizes, False)  # a static shape even for dynamic starts


def _block_start(x, start_indices, sizes):
    """The start of a block of `sizes` in `x`, clamped to lie inside `x` (int64 Output)."""
    starts = ov_ops.reshape(node(start_indices, "int64"), int_const([-1]), False)
    sizes = int_const(list(sizes))
    room = ov_ops.maximum(ov_ops.subtract(ov_ops.shape_of(x, "i64"), sizes), int_const(0))
    return ov_ops.minimum(ov_ops.maximum(starts, int_const(0)), room).output(0), sizes


@hookimpl
@graph_op
def slice_update(inputs, start_indices, updates):
    x = node(inputs)
    updates = node(updates, dtype_name(x.get_element_type()))
    starts, sizes = _block_start(x, start_indices, partial_shape(updates))
    return ov15.slice_scatter(
        x, updates, starts, ov_ops.add(starts, sizes), int_const([1] * len(partial_shape(x)))
    )


_SCATTER_REDUCTIONS = {None: "none", "add": "sum", "mul": "prod", "max": "max", "min": "min"}


def _scatter_into(x, indices, updates, reduction):
    indices = node(indices, "int64")
    depth = partial_shape(indices)[-1]
    rows = ov_ops.reshape(indices, int_const([-1, depth]), False)
    tail = ov_ops.slice(
        ov_ops.shape_of(x, "i64"), int_const([depth]), int_const([2**62]), int_const([1])
    )
    target = ov_ops.concat([int_const([-1]), tail], 0)
    updates = ov_ops.reshape(node(updates, dtype_name(x.get_element_type())), target, False)
    return ov15.scatter_nd_update(x, rows, updates, _SCATTER_REDUCTIONS[reduction])


@hookimpl
@graph_op
def scatter(indices, values, shape):
    values = node(values)
    zeros = ov_ops.broadcast(
        const(0, dtype_name(values.get_element_type())), int_const(list(shape))
    )
    return _scatter_into(zeros.output(0), indices, values, "add")


@hookimpl
@graph_op
def scatter_update(inputs, indices, updates, reduction=None):
    return _scatter_into(node(inputs), indices, updates, reduction)


@hookimpl
@graph_op
def saturate_cast(x, dtype):
    x = node(x)
    source, target = dtype_name(x.get_element_type()), dtypes.standardize_dtype(dtype)
    (in_lo, in_hi), (out_lo, out_hi) = (_limits(source), _limits(target))
    # Bounds rounded into the input dtype can land just outside the target's range
    # (float32(2**31 - 1) == 2**31): step them back towards zero then.
    lo = np.asarray(max(in_lo, out_lo)).astype(np_dtype(source))
    if lo.item() < out_lo:
        lo = np.nextafter(lo, np.zeros((), lo.dtype))
    hi = np.asarray(min(in_hi, out_hi)).astype(np_dtype(source))
    if hi.item() > out_hi:
        hi = np.nextafter(hi, np.zeros((), hi.dtype))
    if source != "bool":
        x = ov_ops.minimum(ov_ops.maximum(x, const(lo)), const(hi)).output(0)
    return node(x, target)


def _limits(dtype):
    if dtype == "bool":
        return 0, 1
    info = np.iinfo(dtype) if "int" in dtype else np.finfo(dtype)
    return info.min, info.max


# --------------------------------------------------------------------------------------------
# Control flow: the bodies become OpenVINO sub-graphs of Loop and If nodes
# --------------------------------------------------------------------------------------------


def _watermark():
    """The instance id of a fresh node: every node built afterwards has a larger one."""
    return ov_ops.constant(np.zeros((), np.int8)).get_instance_id()


def _call_traced(fn, *args):
    """Calls user code `fn` (written with unikeras ops) from inside an op: its ops run as
    outermost op calls (they return tensors); returns its result's leaves as graph values."""
    saved = STATE.depth, STATE.symbolic
    STATE.depth, STATE.symbolic = 0, False
    try:
        result = fn(*args)
    finally:
        STATE.depth, STATE.symbolic = saved
    return result


def _param_like(x, shape=None):
    shape = partial_shape(x) if shape is None else shape
    return ov_ops.parameter(
        ov.PartialShape([-1 if d is None else d for d in shape]), x.get_element_type()
    )


def _depends_on_parameter(output, seen):
    stack = [output.get_node()]
    while stack:
        current = stack.pop()
        key = current.get_instance_id()
        if key in seen:
            continue
        seen.add(key)
        if current.get_type_name() == "Parameter":
            return True
        stack.extend(v.get_node() for v in current.input_values())
    return False


def _capture(results, params, watermark):
    """Makes `results` (built after `watermark`) a self-contained body.

    Every value built before `watermark` that the body reads (weights, outer tensors) is
    replaced by a new body Parameter; returns `[(outer value, body parameter)]`.
    """
    own = {p.get_instance_id() for p in params}
    captured, visited, stack = {}, set(), [r for r in results]
    while stack:
        current = stack.pop()
        if current.get_instance_id() in visited or current.get_instance_id() in own:
            continue
        visited.add(current.get_instance_id())
        for port in current.inputs():
            source = port.get_source_output()
            owner = source.get_node()
            inside = owner.get_instance_id() > watermark and owner.get_type_name() != "Parameter"
            if inside or owner.get_instance_id() in own:  # (a weight first read in the body
                stack.append(owner)  # is an outer Parameter)
                continue
            key = (owner.get_instance_id(), source.get_index())
            if key not in captured:
                captured[key] = (source, _param_like(source))
            port.replace_source_output(captured[key][1].output(0))
    seen = set()
    if any(_depends_on_parameter(outer, seen) for outer, _ in captured.values()):
        STATE.symbolic = True
    return list(captured.values())


def _body_values(structure, dtypes_like=None):
    leaves = [node(v) for v in tree.flatten(structure)]
    if dtypes_like is not None:
        leaves = [
            node(v, dtype_name(like.get_element_type())) for v, like in zip(leaves, dtypes_like)
        ]
    return leaves


def build_loop(body, carry, sliced=(), axis=0, trip_count=-1, condition=True, iteration=False):
    """Builds an OpenVINO Loop.

    `body(iteration, carry, slices)` receives graph values (the iteration number as an
    int32 scalar or None; the carried values; the slices of `sliced` along `axis`, keeping
    the axis with size 1) and returns `(new carry, per-step outputs to concatenate along
    axis, continue condition or None)`. Returns `(final carry, concatenated outputs)`.
    """
    watermark = _watermark()
    carry = [node(c) for c in carry]
    sliced = [node(s) for s in sliced]
    carry_params = [_param_like(c) for c in carry]
    slice_params = []
    for s in sliced:
        shape = list(partial_shape(s))
        shape[axis] = 1
        slice_params.append(_param_like(s, shape))
    iter_param = ov_ops.parameter([], ov.Type.i64) if iteration else None
    counter = None if iter_param is None else ov_ops.convert(iter_param, ov.Type.i32).output(0)
    outer_symbolic = STATE.symbolic  # body values are symbolic; what the loop reads decides
    new_carry, outputs, cond = body(
        counter, [p.output(0) for p in carry_params], [p.output(0) for p in slice_params]
    )
    new_carry = [node(v, dtype_name(c.get_element_type())) for v, c in zip(new_carry, carry)]
    STATE.symbolic = outer_symbolic
    cond = (
        const(True)
        if cond is None
        else ov_ops.reshape(node(cond, "bool"), int_const([]), False).output(0)
    )
    results = [ov_ops.result(v) for v in list(new_carry) + list(outputs) + [cond]]
    params = carry_params + slice_params + ([iter_param] if iteration else [])
    captured = _capture(results, params, watermark)
    loop = ov_ops.loop(node(trip_count, "int64"), node(condition, "bool"))
    loop.set_function(ov.Model(results, params + [p for _, p in captured]))
    loop.set_special_body_ports([len(params) - 1 if iteration else -1, len(results) - 1])
    for param, initial, result in zip(carry_params, carry, results):
        loop.set_merged_input(param, initial, result.output(0))
    for param, value in zip(slice_params, sliced):
        loop.set_sliced_input(param, value, 0, 1, 1, -1, axis)
    for outer, param in captured:
        loop.set_invariant_input(param, outer)
    finals = [loop.get_iter_value(r.output(0), -1) for r in results[: len(carry)]]
    stacked = [
        loop.get_concatenated_slices(r.output(0), 0, 1, 1, -1, axis)
        for r in results[len(carry) : -1]
    ]
    return finals, stacked


def _leading_size(leaves, op_name):
    sizes = {partial_shape(leaf)[0] for leaf in leaves}  # None: dynamic
    if len(sizes) > 1:
        raise ValueError(
            f"{op_name}: every input needs the same leading dimension. "
            f"Received sizes {sorted(sizes, key=str)}"
        )
    return sizes.pop()


def flip(x, axis=0):
    """`x` reversed along `axis`."""
    return ov_ops.slice(
        x, int_const([-1]), int_const([-(2**63)]), int_const([-1]), int_const([axis])
    ).output(0)


@hookimpl
@graph_op
def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    if xs is None and length is None:
        raise ValueError("scan: `length` is required when `xs` is None.")
    x_leaves = [node(v) for v in tree.flatten(xs)] if xs is not None else []
    n = _leading_size(x_leaves, "scan") if x_leaves else None
    if length is not None:
        if n is not None and n != int(length):
            raise ValueError(
                f"scan: `length` ({int(length)}) must match the leading dimension of `xs` ({n})."
            )
        n = int(length)
    if n == 0:
        return init, None
    trip = -1 if n is None else n
    if n is None:  # dynamic leading dimension: the trip count comes from the data
        trip = ov_ops.gather(
            ov_ops.shape_of(x_leaves[0], "i64"), int_const(0), int_const(0)
        ).output(0)
    if reverse:
        x_leaves = [flip(v) for v in x_leaves]
    init_leaves = _body_values(init)
    y_structure = []

    def body(_, carry, slices):
        squeezed = [ov_ops.squeeze(s, int_const([0])).output(0) for s in slices]
        carry_in = tree.pack_sequence_as(init, [OpenVINOTensor(output=c) for c in carry])
        x_in = (
            None
            if xs is None
            else tree.pack_sequence_as(xs, [OpenVINOTensor(output=s) for s in squeezed])
        )
        new_carry, y = _call_traced(f, carry_in, x_in)
        y_structure.append(y)
        ys = (
            [
                ov_ops.unsqueeze(v, int_const([0])).output(0)
                for v in _body_values(y)
                if v is not None
            ]
            if y is not None
            else []
        )
        return _body_values(new_carry), ys, None

    finals, stacked = build_loop(body, init_leaves, x_leaves, 0, trip)
    carry = tree.pack_sequence_as(init, finals)
    y = y_structure[0]
    if y is None or not tree.flatten(y):
        return carry, None
    if reverse:
        stacked = [flip(v) for v in stacked]
    return carry, tree.pack_sequence_as(y, stacked)


@hookimpl
def map(f, xs):
    return scan(lambda carry, x: (carry, f(x)), (), xs)[1]


@hookimpl
def vectorized_map(function, elements):
    return map(function, elements)


@hookimpl
@graph_op
def associative_scan(f, elems, reverse=False, axis=0):
    leaves = [node(v) for v in tree.flatten(elems)]
    if not leaves:
        return elems
    n = len(partial_shape(leaves[0]))
    axis = axis % n
    if reverse:
        leaves = [flip(v, axis) for v in leaves]
    firsts = [
        ov_ops.slice(v, int_const([0]), int_const([1]), int_const([1]), int_const([axis])).output(0)
        for v in leaves
    ]
    rests = [
        ov_ops.slice(
            v, int_const([1]), int_const([2**62]), int_const([1]), int_const([axis])
        ).output(0)
        for v in leaves
    ]

    def body(_, carry, slices):
        pack = functools.partial(tree.pack_sequence_as, elems)
        combined = _call_traced(
            f,
            pack([OpenVINOTensor(output=c) for c in carry]),
            pack([OpenVINOTensor(output=s) for s in slices]),
        )
        combined = _body_values(combined, carry)
        return combined, combined, None

    size = partial_shape(leaves[0])[axis]
    if size is not None and size <= 1:
        return tree.pack_sequence_as(
            elems, leaves if not reverse else [flip(v, axis) for v in leaves]
        )
    trip = ov_ops.gather(ov_ops.shape_of(rests[0], "i64"), int_const(axis), int_const(0))
    _, stacked = build_loop(body, firsts, rests, axis, trip.output(0))
    out = [ov_ops.concat([a, b], axis).output(0) for a, b in zip(firsts, stacked)]
    if reverse:
        out = [flip(v, axis) for v in out]
    return tree.pack_sequence_as(elems, out)


def _as_tuple(state):
    return tuple(state) if isinstance(state, (tuple, list)) else (state,)


@hookimpl
@graph_op
def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_sequence = isinstance(loop_vars, (tuple, list))
    state = _as_tuple(loop_vars)
    leaves = _body_values(state)

    def wrap(values):
        return tree.pack_sequence_as(state, [OpenVINOTensor(output=v) for v in values])

    first = _call_traced(cond, *state)
    if not is_graph_symbolic(first) and not bool(convert_to_numpy(first)):
        return loop_vars  # OpenVINO's Loop cannot run zero iterations on constants
    first = node(first, "bool")

    def step(_, carry, __):
        new_state = _as_tuple(_call_traced(body, *wrap(carry)))
        new_leaves = _body_values(new_state, carry)
        return new_leaves, [], node(_call_traced(cond, *wrap(new_leaves)), "bool")

    trip = -1 if maximum_iterations is None else maximum_iterations
    finals, _ = build_loop(step, leaves, (), 0, trip, ov_ops.reshape(first, int_const([]), False))
    result = tree.pack_sequence_as(state, finals)
    if not is_sequence:
        return result[0]
    return list(result) if isinstance(loop_vars, list) else result


@hookimpl
@graph_op
def fori_loop(lower, upper, body_fun, init_val):
    if not (is_graph_symbolic(lower) or is_graph_symbolic(upper)) and int(upper) <= int(lower):
        return init_val  # OpenVINO's Loop cannot run zero iterations on constants
    lower_v, upper_v = node(lower, "int32"), node(upper, "int32")
    leaves = _body_values(init_val)

    def step(i, carry, _):
        index = OpenVINOTensor(output=ov_ops.add(i, lower_v).output(0))
        value = tree.pack_sequence_as(init_val, [OpenVINOTensor(output=c) for c in carry])
        return _body_values(_call_traced(body_fun, index, value), carry), [], None

    trip = ov_ops.maximum(ov_ops.subtract(upper_v, lower_v), const(0, "int32"))
    finals, _ = build_loop(step, leaves, (), 0, trip, True, iteration=True)
    return tree.pack_sequence_as(init_val, finals)


def is_graph_symbolic(value):
    """Whether `value` has no host value yet (a symbolic tensor, graph value or traced
    Variable)."""
    return (
        isinstance(value, OpenVINOTensor)
        and value.is_symbolic
        or isinstance(value, ov.Output)
        or (isinstance(value, BaseVariable) and STATE.variables is not None)
    )


@hookimpl
def cond(pred, true_fn, false_fn):
    if not is_graph_symbolic(pred):
        return true_fn() if bool(convert_to_numpy(pred)) else false_fn()
    return _if(pred, true_fn, false_fn)


@graph_op
def _if(pred, true_fn, false_fn):
    pred = ov_ops.reshape(node(pred, "bool"), int_const([]), False).output(0)
    if_node = ov_ops.if_op(pred)
    branches, structure = [], None
    for fn in (true_fn, false_fn):
        watermark = _watermark()
        outer_symbolic = STATE.symbolic
        out = _call_traced(fn)
        structure = out if structure is None else structure
        results = [ov_ops.result(v) for v in _body_values(out)]
        STATE.symbolic = outer_symbolic
        captured = _capture(results, [], watermark)
        branches.append((results, captured))
    (then_results, then_captured), (else_results, else_captured) = branches
    if len(then_results) != len(else_results):
        raise ValueError("cond: `true_fn` and `false_fn` must return the same structure.")
    if_node.set_then_body(ov.Model(then_results, [p for _, p in then_captured]))
    if_node.set_else_body(ov.Model(else_results, [p for _, p in else_captured]))
    for outer, param in then_captured:
        if_node.set_input(outer, param, None)
    for outer, param in else_captured:
        if_node.set_input(outer, None, param)
    outputs = [if_node.set_output(t, e) for t, e in zip(then_results, else_results)]
    return tree.pack_sequence_as(structure, outputs)


@hookimpl
def switch(index, branches, *operands):
    if not is_graph_symbolic(index):
        index = int(np.clip(convert_to_numpy(index), 0, len(branches) - 1))
        return branches[index](*operands)
    index = convert_to_tensor(index)

    def pick(i):
        if i == len(branches) - 1:
            return branches[i](*operands)
        from unikeras import ops

        return cond(ops.less_equal(index, i), lambda: branches[i](*operands), lambda: pick(i + 1))

    return pick(0)
