"""OpenVINO tensors and how ops become graph nodes.

Every op is written once, as OpenVINO graph building (`openvino.opset14` nodes on
`openvino.Output`s). An `OpenVINOTensor` is either *concrete* (a host array: the result of an
eager call) or *symbolic* (an `Output` that depends on graph Parameters: a value inside a traced
model call or a shape inference).

`graph_op` wraps each op implementation: tensor arguments become graph values (`node(x)`:
concrete values become Constants, symbolic ones keep their Output), the op builds its nodes, and
at the outermost op call the resulting Outputs turn back into tensors. If nothing symbolic went
in, the result is computed at once by OpenVINO's constant folding (its reference kernels, in
the exact dtypes); a result folding cannot reduce is computed by compiling the tiny graph.
Nested op calls (an op written with other ops) pass raw Outputs and build one graph.
"""

import contextvars
import functools
import threading

import numpy as np
import openvino as ov
import openvino.opset14 as ops_ov
from openvino._pyopenvino.passes import ConstantFolding, Manager

from unikeras.backend.api import Variable as BaseVariable, dtypes, tree
from unikeras.backend.common import conversion

from unikeras_openvino import config

_TYPES = {
    "float16": ov.Type.f16,
    "bfloat16": ov.Type.bf16,
    "float32": ov.Type.f32,
    "float64": ov.Type.f64,
    "int8": ov.Type.i8,
    "int16": ov.Type.i16,
    "int32": ov.Type.i32,
    "int64": ov.Type.i64,
    "uint8": ov.Type.u8,
    "uint16": ov.Type.u16,
    "uint32": ov.Type.u32,
    "uint64": ov.Type.u64,
    "bool": ov.Type.boolean,
}
_NAMES = {t.get_type_name(): name for name, t in _TYPES.items()}
# bfloat16 host values are ml_dtypes arrays (a dependency of this plugin; found, not imported).
SUPPORTED_DTYPES = tuple(d for d in _TYPES if d != "bfloat16" or conversion.has_bfloat16())


def _context_property(name, default, doc):
    """A `_State` attribute stored in a `contextvars.ContextVar`, so each thread and each
    asyncio task traces with its own state."""
    var = contextvars.ContextVar(f"unikeras_openvino.{name}", default=default)
    return property(lambda self: var.get(), lambda self, value: var.set(value), doc=doc)


class _State:
    """The tracing state of op calls (one value per context: thread or asyncio task)."""

    depth = _context_property(
        "depth", 0, "Nesting of op calls: only the outermost one folds its result."
    )
    symbolic = _context_property(
        "symbolic", False, "Whether a symbolic value entered the current outermost op."
    )
    variables = _context_property(
        "variables", None, "During a model trace: `{id(Variable): (Variable, Parameter)}`."
    )


STATE = _State()
CORE = ov.Core()
COMPILE_STATS = {"compilations": 0, "op_compilations": 0}


def ov_type(dtype):
    """The OpenVINO element type of a unikeras dtype name."""
    name = dtypes.standardize_dtype(dtype)
    if name not in _TYPES:
        raise NotImplementedError(
            f"dtype {name!r} is not supported by the unikeras backend 'openvino'."
        )
    return _TYPES[name]


def dtype_name(element_type):
    """The unikeras dtype name of an OpenVINO element type."""
    return _NAMES[element_type.get_type_name()]


bfloat16_dtype = conversion.bfloat16_dtype


def np_dtype(dtype):
    """The NumPy dtype of a unikeras dtype name (host arrays of this backend; bfloat16
    values are ml_dtypes' bfloat16 arrays)."""
    name = dtypes.standardize_dtype(dtype)
    if name == "bfloat16":
        bfloat16 = bfloat16_dtype()
        if bfloat16 is None:  # pragma: no cover
            raise ValueError(
                "bfloat16 values on the unikeras backend 'openvino' are ml_dtypes arrays: "
                "`pip install ml-dtypes`."
            )
        return bfloat16
    return np.dtype(name)


def constant(array):
    """A graph value holding the host array `array` (NumPy has no bfloat16 OpenVINO reads:
    a bfloat16 array enters as a float32 Constant converted to bfloat16, exactly)."""
    array = np.asarray(array)
    if array.dtype.name == "bfloat16":
        return ops_ov.convert(ops_ov.constant(array.astype(np.float32)), ov.Type.bf16).output(0)
    return ops_ov.constant(array).output(0)


def from_openvino(data, element_type):
    """A NumPy array of the values OpenVINO returned as `data` (of `element_type`): OpenVINO
    hands bfloat16 memory out as float16 arrays (same width, other format), so those bits
    are read again as bfloat16."""
    if element_type == ov.Type.bf16:
        return np.asarray(data).view(np.uint16).view(np_dtype("bfloat16"))
    return data


def compile_model(model, properties=None):
    """Compiles `model` for the configured device and precision, or with `properties`
    (counted in COMPILE_STATS)."""
    COMPILE_STATS["compilations"] += 1
    return CORE.compile_model(model, config.device(), properties or config.compile_config())


class OpenVINOTensor:
    """A tensor of the OpenVINO backend: a host array (concrete) or a graph Output (symbolic)."""

    __slots__ = ("_data", "_output", "_keep")

    def __init__(self, data=None, output=None, keep=None):
        self._data = data
        self._output = output
        self._keep = keep  # the folded Constant node that owns `data`'s memory

    @property
    def is_symbolic(self):
        return self._data is None

    @property
    def output(self):
        """This tensor as a graph value (a Constant for a concrete tensor)."""
        if self._output is None:
            self._output = constant(self._data)
        return self._output

    @property
    def data(self):
        if self._data is None:
            raise ValueError(
                "This OpenVINO tensor is symbolic (part of a graph being built, e.g. inside "
                "`predict`'s traced model call): it has no value yet."
            )
        return self._data

    @property
    def shape(self):
        if self._data is not None:
            return self._data.shape
        return partial_shape(self._output)

    @property
    def dtype(self):
        if self._data is not None:
            return dtypes.standardize_dtype(self._data.dtype)
        return dtype_name(self._output.get_element_type())

    @property
    def ndim(self):
        return len(self.shape)

    def numpy(self):
        return self.data

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype)

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    def __iter__(self):
        from unikeras import ops

        return (ops.get_item(self, i) for i in range(len(self)))

    def __bool__(self):
        return bool(self.data)

    def __int__(self):
        return int(self.data)

    def __float__(self):
        return float(self.data)

    def __index__(self):
        return int(self.data)

    def __repr__(self):
        if self._data is None:
            return f"<OpenVINOTensor symbolic shape={self.shape} dtype={self.dtype}>"
        return f"<OpenVINOTensor {self._data!r}>"

    def _op(name, reverse=False):
        def method(self, *others):
            from unikeras import ops

            args = (others[0], self) if reverse else (self,) + others
            return getattr(ops, name)(*args)

        return method

    __add__, __radd__ = _op("add"), _op("add", True)
    __sub__, __rsub__ = _op("subtract"), _op("subtract", True)
    __mul__, __rmul__ = _op("multiply"), _op("multiply", True)
    __truediv__, __rtruediv__ = _op("true_divide"), _op("true_divide", True)
    __floordiv__, __rfloordiv__ = _op("floor_divide"), _op("floor_divide", True)
    __mod__, __rmod__ = _op("mod"), _op("mod", True)
    __pow__, __rpow__ = _op("power"), _op("power", True)
    __matmul__, __rmatmul__ = _op("matmul"), _op("matmul", True)
    __neg__, __abs__, __invert__ = _op("negative"), _op("absolute"), _op("logical_not")
    __lt__, __le__ = _op("less"), _op("less_equal")
    __gt__, __ge__ = _op("greater"), _op("greater_equal")
    __eq__, __ne__ = _op("equal"), _op("not_equal")
    __and__, __or__, __xor__ = _op("logical_and"), _op("logical_or"), _op("logical_xor")
    __getitem__ = _op("get_item")
    del _op

    def reshape(self, *shape):
        """`ops.reshape(self, shape)`, with the shape as one tuple or as integers (NumPy's
        forms; Keras 3's OpenVINO tensors have `reshape(new_shape)`)."""
        from unikeras import ops

        return ops.reshape(self, shape[0] if len(shape) == 1 else shape)

    def squeeze(self, axis=None):
        """`ops.squeeze(self, axis)`, as Keras 3's OpenVINO tensors have it."""
        from unikeras import ops

        return ops.squeeze(self, axis)

    __hash__ = object.__hash__


def partial_shape(output):
    """The shape of an Output as a tuple, `None` for dynamic dimensions."""
    output = out_of(output)
    return tuple(d.get_length() if d.is_static else None for d in output.get_partial_shape())


# --------------------------------------------------------------------------------------------
# Values in and out of graph building
# --------------------------------------------------------------------------------------------


def dtype_of(x):
    """The dtype to promote with: tensors give their name, Python scalars their (weak) type."""
    if isinstance(x, (ov.Output, ov.Node)):  # nested op calls return Nodes
        return dtype_name(out_of(x).get_element_type())
    if isinstance(x, (OpenVINOTensor, BaseVariable, np.ndarray, np.generic)):
        return x.dtype
    if isinstance(x, (bool, int, float, complex)):
        return type(x)
    if isinstance(x, (list, tuple)):
        leaves = tree.flatten(x)
        return dtypes.result_type(*[dtype_of(v) for v in leaves]) if leaves else None
    return getattr(x, "dtype", None)


def host_array(x, dtype=None):
    """A concrete value (array-like, scalar, nested list, concrete tensor) as a NumPy array."""
    if isinstance(x, OpenVINOTensor):
        x = x.data
    elif callable(getattr(x, "detach", None)):  # a torch tensor (one that requires grad too)
        x = x.detach()
    if dtype is None:
        dtype = dtype_of(x)
        dtype = dtypes.result_type(dtype) if dtype is not None else None
    return np.asarray(x, dtype=None if dtype is None else np_dtype(dtype))


def _variable_output(variable):
    if STATE.variables is None:
        return None
    entry = STATE.variables.get(id(variable))
    if entry is None:
        # The Parameter has the stored dtype (the compiled model bakes the stored value in
        # its place); a read under a layer's autocast scope (mixed precision) converts it.
        param = ops_ov.parameter(list(variable.shape), ov_type(variable._dtype))
        param.set_friendly_name(variable.path.replace("/", "."))
        entry = STATE.variables[id(variable)] = (variable, param)
    STATE.symbolic = True
    out = entry[1].output(0)
    if variable.dtype != variable._dtype:  # read in the compute dtype (autocast)
        out = ops_ov.convert(out, ov_type(variable.dtype)).output(0)
    return out


def node(x, dtype=None):
    """`x` as a graph value (an `openvino.Output`), converted to `dtype` when given."""
    if isinstance(x, BaseVariable):
        out = _variable_output(x)
        x = x.value if out is None else OpenVINOTensor(output=out)
    if isinstance(x, ov.Output):
        out = x
    elif isinstance(x, OpenVINOTensor):
        if x.is_symbolic:
            STATE.symbolic = True
        out = x.output
    elif isinstance(x, (list, tuple)) and any(is_graph_value(v) for v in tree.flatten(x)):
        dtype = dtype or dtypes.result_type(*[dtype_of(v) for v in tree.flatten(x)])
        parts = [ops_ov.unsqueeze(node(v, dtype), const(0, "int32")).output(0) for v in x]
        return ops_ov.concat(parts, 0).output(0)
    elif isinstance(x, (ov.Node,)):
        out = x.output(0)
    else:
        return const(x, dtype)
    if dtype is not None and out.get_element_type() != ov_type(dtype):
        out = ops_ov.convert(out, ov_type(dtype)).output(0)
    return out


def is_graph_value(x):
    return isinstance(x, (ov.Output, OpenVINOTensor, BaseVariable))


def const(value, dtype=None):
    """A Constant holding a host value (converted to `dtype` when given)."""
    return constant(host_array(value, dtype))


def out_of(result):
    """The single Output of a node or Output."""
    return result if isinstance(result, ov.Output) else result.output(0)


# --------------------------------------------------------------------------------------------
# Evaluation of eager results
# --------------------------------------------------------------------------------------------


def _fold(outputs):
    """Computes `outputs` (graphs of Constants only) and returns host arrays (+ owners)."""
    model = ov.Model([ops_ov.result(o) for o in outputs], [])
    manager = Manager()
    manager.register_pass(ConstantFolding())
    manager.run_passes(model)
    values = []
    for result in model.get_results():
        folded = result.input_value(0).get_node()
        if folded.get_type_name() != "Constant":
            return _run_compiled(model)
        values.append((from_openvino(folded.get_data(), folded.get_element_type()), folded))
    return values


def _run_compiled(model):
    compiled = compile_model(model)
    outputs = compiled([])
    return [
        (from_openvino(np.asarray(outputs[i]), model.outputs[i].get_element_type()), None)
        for i in range(len(model.outputs))
    ]


def _finish(result):
    """Turns the Outputs in an op's result back into tensors."""
    leaves = tree.flatten(result)
    outs = [i for i, leaf in enumerate(leaves) if isinstance(leaf, (ov.Output, ov.Node))]
    if not outs:
        return result
    outputs = [out_of(leaves[i]) for i in outs]
    if STATE.symbolic:
        tensors = [OpenVINOTensor(output=o) for o in outputs]
    else:
        tensors = [OpenVINOTensor(data=_owned(d, o), keep=o) for d, o in _fold(outputs)]
    for i, tensor in zip(outs, tensors):
        leaves[i] = tensor
    if isinstance(result, (ov.Output, ov.Node)):
        return leaves[0]
    return tree.pack_sequence_as(result, leaves)


def _owned(data, owner):
    # Folded Constants of size zero or 0-d may hand out read-only or odd views: copy those.
    return np.array(data) if owner is None or data.ndim == 0 or data.size == 0 else data


def _last_line(error):
    lines = [line for line in str(error).splitlines() if line.strip()]
    return lines[-1] if lines else repr(error)


# --- the eager op cache ----------------------------------------------------------------------
#: `(op, argument key) -> times seen (int) | _CompiledOp | False (not cacheable)`.
OP_CACHE = {}
OP_CACHE_LIMIT = 256  # compiled models hold memory: the cache restarts when full
#: Dtypes the CPU plugin computes exactly as constant folding does (it runs f64 in f32 and
#: i64 in i32, so those keep folding).
_CACHED_DTYPES = frozenset(("<f4", "<i4", "|b1", "|u1"))
_EXACT = {"INFERENCE_PRECISION_HINT": "f32"}


#: Ops compiled once per *rank* signature (float32 arguments only; every dimension dynamic)
#: and run compiled from their first call on, never folded. The CPU plugin's compiled MatMul
#: (and the Einsum of `dot`) rounds differently from constant folding on non-integer values,
#: so a matmul that folded on its first call and ran compiled later would give two results
#: for the same inputs; run compiled every time, every eager matmul of a signature gives the
#: same bits. The same holds for the float32 ops below, whose compiled kernels round
#: differently from folding on random values (measured per op: the last bit or two); they
#: would otherwise fold on every call. softplus, log_sigmoid, gelu, erf and erfc are here since
#: their float32 graphs are built from kernels that stay accurate compiled (`stable`: the CPU
#: plugin's own SoftPlus and Erf are off by ~1e-6 and ~3e-7 absolute, e.g. softplus(-20) =
#: 2.06e-9 came out as 1.9e-6): within a few ulps of the true value, compiled or folded.
SHAPE_FREE_OPS = frozenset(
    (
        "matmul",
        "dot",
        "divide",
        "true_divide",
        "arctan2",
        "logaddexp",
        "exp",
        "expm1",
        "erf",
        "erfc",
        "tanh",
        "sum",
        "var",
        "sigmoid",
        "softmax",
        "log_softmax",
        "log_sigmoid",
        "silu",
        "gelu",
        "softplus",
        "softsign",
        "hard_sigmoid",
        "hard_silu",
    )
)
#: Shape-free ops taken that way only when every operand is a tensor: a Python number
#: operand (`x / 2.0`) is part of the signature, so each new number would compile a model.
_FREE_TENSOR_OPERANDS = frozenset(("divide", "true_divide", "arctan2", "logaddexp"))
_FREE_CHECK = 1e-4  # the first call's compiled result vs folding, relative to its magnitude
#: Shape-free ops whose float32 graphs are elementwise chains of many nodes (`stable`): with
#: dynamic dimensions the CPU plugin runs each binary node on its own (~1.5 us each: erf's 12
#: nodes took 29 us, gelu's 25 took 44) unless told to fuse the chain into one kernel anyway
#: (SNIPPETS_MODE=IGNORE_CALLBACK: 14 us; not for whole models, whose MatMuls it slows down).
_FUSED_CHAINS = frozenset(
    ("exp", "expm1", "erf", "erfc", "softplus", "log_sigmoid", "gelu", "logaddexp")
)


class _Uncacheable(Exception):
    pass


def _float32_data(x):
    """The float32 host array of an eager tensor argument of a shape-free op (a concrete
    tensor, a NumPy array or a Variable read in its stored dtype), else None."""
    cls = x.__class__
    if cls is OpenVINOTensor:
        data = x._data
    elif cls is np.ndarray:
        data = x
    elif isinstance(x, BaseVariable) and x.dtype == x._dtype:
        data = x.value._data
    else:
        return None
    return data if data is not None and data.dtype.str == "<f4" else None


def _free_key(x):
    """The rank signature of argument `x` of a shape-free op (see `SHAPE_FREE_OPS`)."""
    cls = x.__class__
    if x is None or cls in (bool, int, float, str):
        return (cls, x)
    if cls in (tuple, list):
        return (cls, tuple(_free_key(v) for v in x))
    data = _float32_data(x)
    if data is None:
        raise _Uncacheable
    return ("f", data.ndim)


def _free_arrays(value, arrays):
    """Collects the float32 host arrays of the tensor arguments in `value`, in order."""
    cls = value.__class__
    if cls in (tuple, list):
        for v in value:
            _free_arrays(v, arrays)
    elif value is not None and cls not in (bool, int, float, str):
        arrays.append(_float32_data(value))
    return arrays


def _arg_key(x):
    if x.__class__ is OpenVINOTensor:
        data = x._data
        if data is None or data.dtype.str not in _CACHED_DTYPES:
            raise _Uncacheable
        return ("t", data.shape, data.dtype.str)
    if x is None or x.__class__ in (bool, int, float, str):
        return (x.__class__, x)
    if x.__class__ in (tuple, list):
        return (x.__class__, tuple(_arg_key(v) for v in x))
    raise _Uncacheable


def _symbolic_args(value, params, dynamic=False):
    """`value` with each concrete tensor replaced by a new Parameter's tensor (collected in
    `params` with its host array); with `dynamic`, every float32 tensor argument (NumPy
    arrays and Variables included) becomes a Parameter of dynamic dimensions."""
    if value.__class__ in (tuple, list):
        return value.__class__(_symbolic_args(v, params, dynamic) for v in value)
    data = _float32_data(value) if dynamic else None
    if value.__class__ is OpenVINOTensor and not dynamic:
        data = value._data
        shape = ov.PartialShape(list(data.shape))
    elif data is not None:
        shape = ov.PartialShape([-1] * data.ndim)
    else:
        return value
    param = ops_ov.parameter(shape, ov_type(data.dtype.name))
    params.append((param, data))
    return OpenVINOTensor(output=param.output(0))


class _CompiledOp:
    """One op on one signature (shapes, dtypes, static arguments), compiled once by OpenVINO
    with its tensor arguments as Parameters; a repeated eager call runs the compiled model
    instead of building and constant-folding a new graph. With `dynamic` (the ops of
    `SHAPE_FREE_OPS`), the signature is the arguments' ranks: the Parameters have dynamic
    dimensions and `first` holds this call's compiled result, which the op returns."""

    def __init__(self, fn, args, kwargs, expected, dynamic=False):
        params = []
        sym_args = _symbolic_args(list(args), params, dynamic)
        sym_kwargs = {k: _symbolic_args(kwargs[k], params, dynamic) for k in sorted(kwargs)}
        STATE.depth, STATE.symbolic = 1, False
        result = fn(*sym_args, **sym_kwargs)
        leaves = tree.flatten(result)
        if not leaves or not all(isinstance(leaf, (ov.Output, ov.Node)) for leaf in leaves):
            raise _Uncacheable
        outputs = [out_of(leaf) for leaf in leaves]
        model = ov.Model([ops_ov.result(o) for o in outputs], [p for p, _ in params])
        COMPILE_STATS["op_compilations"] += 1  # counted apart from the model compilations
        properties = _EXACT
        if dynamic and fn.__name__ in _FUSED_CHAINS and config.device() == "CPU":
            properties = {**_EXACT, "SNIPPETS_MODE": "IGNORE_CALLBACK"}
        compiled = CORE.compile_model(model, config.device(), properties)
        self.request = compiled.create_infer_request()
        self.lock = threading.Lock()
        self.structure = result
        self.count = len(outputs)
        got = self._run_arrays([data for _, data in params])
        for a, b in zip(got, expected):
            if a.shape != b.shape or a.dtype != b.dtype:
                raise _Uncacheable
            if dynamic:
                # A sanity check of the compiled graph (it is used from this call on, so the
                # same inputs always give the same bits): folding's value to float32
                # rounding, relative to the result's magnitude.
                scale = float(np.max(np.abs(b), initial=1.0, where=np.isfinite(b)))
                if not np.allclose(
                    a, b, rtol=_FREE_CHECK, atol=_FREE_CHECK * scale, equal_nan=True
                ):
                    raise _Uncacheable
            # Checked once against the folded result of the same call: values bit for bit, so
            # an op repeated on the same inputs gives the same result whether it folded or
            # ran compiled (same-seed and config round-trip checks rely on that).
            elif not np.array_equal(a, b, equal_nan=True):
                raise _Uncacheable
        self.dynamic = dynamic
        self.first = self._pack(got) if dynamic else None

    def _run_arrays(self, arrays):
        request = self.request
        # One infer request per compiled op: threads running the op take turns.
        with self.lock:
            for i, array in enumerate(arrays):
                # Copied in (small arrays): the compiled op may compute in place in its
                # inputs' memory, which other tensors share.
                request.set_input_tensor(i, ov.Tensor(np.ascontiguousarray(array)))
            request.infer()
            tensors = [request.get_output_tensor(i) for i in range(self.count)]
            return [from_openvino(np.array(t.data), t.element_type) for t in tensors]

    def _pack(self, arrays):
        values = [OpenVINOTensor(data=d) for d in arrays]
        if isinstance(self.structure, (ov.Output, ov.Node)):
            return values[0]
        return tree.pack_sequence_as(self.structure, values)

    def __call__(self, args, kwargs):
        if self.dynamic:
            arrays = _free_arrays(args, [])
            for k in sorted(kwargs):
                _free_arrays(kwargs[k], arrays)
            return self._pack(self._run_arrays(arrays))
        arrays = []
        for leaf in tree.flatten([list(args), [kwargs[k] for k in sorted(kwargs)]]):
            if leaf.__class__ is OpenVINOTensor:
                arrays.append(leaf._data)
        return self._pack(self._run_arrays(arrays))


#: Ops the cache serves: element-wise arithmetic, comparisons, matmul, simple reductions and
#: layout ops, whose graph does not depend on the tensors' values (ops that look at concrete
#: values while building their graph, such as the nan-reductions, keep folding).
CACHED_OPS = frozenset(
    (
        "add",
        "subtract",
        "multiply",
        "divide",
        "true_divide",
        "matmul",
        "dot",
        "maximum",
        "minimum",
        "negative",
        "absolute",
        "abs",
        "square",
        "sqrt",
        "exp",
        "log",
        "tanh",
        "sin",
        "cos",
        "sigmoid",
        "relu",
        "softmax",
        "equal",
        "not_equal",
        "less",
        "less_equal",
        "greater",
        "greater_equal",
        "logical_and",
        "logical_or",
        "logical_not",
        "where",
        "sum",
        "mean",
        "max",
        "min",
        "reshape",
        "transpose",
        "expand_dims",
        "squeeze",
        "concatenate",
        "stack",
        "cast",
    )
)


def _cache_key(fn, args, kwargs):
    name = fn.__name__
    if name in SHAPE_FREE_OPS and not (
        name in _FREE_TENSOR_OPERANDS and any(a.__class__ in (bool, int, float) for a in args)
    ):
        try:
            return (
                fn,
                "free",
                _free_key(args),
                tuple((k, _free_key(v)) for k, v in sorted(kwargs.items())),
            )
        except _Uncacheable:
            pass  # not all float32: the op is cached per shape as the others
    if name not in CACHED_OPS:
        return None
    try:
        key = (fn, _arg_key(args), tuple((k, _arg_key(v)) for k, v in sorted(kwargs.items())))
        hash(key)
    except (_Uncacheable, TypeError):
        return None
    # Only ops whose tensor arguments are all concrete: anything else is traced or folded.
    return key if _has_tensor(key[1:]) else None


def _has_tensor(key):
    if key.__class__ is tuple:
        if len(key) == 3 and key[0] == "t":
            return True
        return any(_has_tensor(k) for k in key)
    return False


def _cached_call(fn, key, args, kwargs):
    """The op through the cache: the compiled op when there is one, else None (the caller
    folds as usual and, on the second sighting of `key`, `_remember` compiles it)."""
    entry = OP_CACHE.get(key)
    if entry.__class__ is _CompiledOp:
        try:
            return entry(args, kwargs)
        except Exception:  # noqa: BLE001
            # This call folds (and raises the op's error if its arguments are wrong). A
            # shape-free op is compiled again at its next call: after a failed run on shapes
            # it cannot take, the CPU plugin's dynamic-shape model returns garbage. Another
            # op folds from now on.
            if entry.dynamic:
                del OP_CACHE[key]
            else:
                OP_CACHE[key] = False
    return None


def _remember(fn, key, args, kwargs, result):
    """Counts a folded call of `key`; on its second sighting compiles the op (checked against
    `result`, this call's folded value) so later calls reuse it. A shape-free op (see
    `SHAPE_FREE_OPS`) compiles on its first sighting; returns the value the call gives:
    `result`, or the compiled op's value for a shape-free op."""
    seen = OP_CACHE.get(key, 0)
    if seen is False or seen.__class__ is _CompiledOp:
        return result
    dynamic = key[1] == "free"
    if seen == 0:
        if len(OP_CACHE) >= OP_CACHE_LIMIT:
            OP_CACHE.clear()
        if not dynamic:
            OP_CACHE[key] = 1
            return result
    expected = [
        np.asarray(leaf._data) for leaf in tree.flatten(result) if isinstance(leaf, OpenVINOTensor)
    ]
    try:
        entry = OP_CACHE[key] = _CompiledOp(fn, args, kwargs, expected, dynamic)
    except Exception:  # noqa: BLE001 (any failure: this signature keeps folding)
        OP_CACHE[key] = False
        return result
    return entry.first if dynamic else result


def graph_op(fn):
    """Marks an op implementation that builds OpenVINO nodes (see the module docstring).

    An eager call whose tensor arguments are all concrete (float32, int32, uint8 or bool)
    and whose other arguments are plain Python values is cached per op and signature: the
    second such call compiles the op once (`_CompiledOp`), and later calls run the compiled
    model (a few microseconds) instead of building and folding a graph. The ops of
    `SHAPE_FREE_OPS` on float32 values compile once per rank signature and run compiled from
    the first call on.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if STATE.depth:
            return fn(*args, **kwargs)
        if STATE.variables is None:
            key = _cache_key(fn, args, kwargs)
            if key is not None:
                cached = _cached_call(fn, key, args, kwargs)
                if cached is not None:
                    return cached
        else:
            key = None
        outer_symbolic = STATE.symbolic
        STATE.depth, STATE.symbolic = 1, False
        try:
            result = fn(*args, **kwargs)
            result = _finish(result)
            if key is not None and not STATE.symbolic:
                result = _remember(fn, key, args, kwargs, result)
            return result
        except RuntimeError as e:
            if "Exception from src" in str(e) or "failed at src/" in str(e):
                # OpenVINO could not build (shape inference: "Check ... failed at src/...") or
                # run the graph
                raise ValueError(
                    f"`{fn.__name__}`: OpenVINO rejected the graph for these arguments "
                    f"(unikeras backend 'openvino'): {_last_line(e)}"
                ) from e
            raise
        finally:
            STATE.depth, STATE.symbolic = 0, outer_symbolic

    return wrapper
