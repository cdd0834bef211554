"""OpenVINO eager elementwise ops: which path each takes and its error on a dense grid.

    UNIKERAS_BACKEND=openvino python benchmarks/openvino_op_precision.py [--points 120001]

For each float32 activation / elementwise op, the op is evaluated on a dense grid over
[-30, 30], a logarithmic grid of magnitudes 1e-38..30 of both signs, and the special values
inf, -inf, nan, 0, -0 and float32 denormals, three ways: by constant folding (OpenVINO's
reference kernels), by the op's graph compiled for the CPU plugin in exact float32 (what a
shape-free eager op and `predict` run) and through `unikeras.ops` as an eager call (whatever
path the plugin takes). Each is compared with a float64 reference (NumPy in float64 and the
`math` module's `erf`/`erfc`; no SciPy): the table gives the largest relative error where the
true value is a normal float32, the largest absolute error where it is subnormal or zero, and
the number of special values whose result is wrong (nan for nan, inf for inf, the right sign).
The path column says how the eager call runs: `compiled` (shape-free, compiled once per rank)
or `folded`. A second table measures the activations inside a compiled model (`predict`);
`--predict` prints only that one, on any backend (to compare with jax, say).
"""

import argparse
import math
import os

os.environ.setdefault("UNIKERAS_BACKEND", "openvino")

import numpy as np  # noqa: E402

TINY = float(np.finfo(np.float32).tiny)
BIG = float(np.finfo(np.float32).max)


def _vec(f):
    return np.vectorize(f, otypes=[np.float64])


_erf, _erfc = _vec(math.erf), _vec(math.erfc)


def _softplus(a):
    return np.where(a > 0, a + np.log1p(np.exp(-np.abs(a))), np.log1p(np.exp(-np.abs(a))))


def _sigmoid(a):
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e))


def _gelu_tanh(a):
    # 0.5 x (1 + tanh(z)) = x sigmoid(2 z): no cancellation for negative x.
    return a * _sigmoid(2 * np.sqrt(2 / np.pi) * (a + 0.044715 * a**3))


def _elu(a, alpha=1.0):
    return np.where(a > 0, a, alpha * np.expm1(a))


def references():
    """op name -> (unikeras call on one tensor, float64 reference, input domain)."""
    from unikeras import ops

    def pair(op, index):
        # softmax-like ops on rows [x, 0]: the first entry is a function of x alone.
        def call(x):
            rows = ops.stack([x, ops.zeros_like(x)], axis=-1)
            return op(rows)[..., index]

        return call

    selu_scale, selu_alpha = 1.0507009873554804934193349852946, 1.6732632423543772848170429916717
    return {
        "exp": (ops.exp, np.exp, None),
        "expm1": (ops.expm1, np.expm1, None),
        "log": (ops.log, np.log, (0, None)),
        "log1p": (ops.log1p, np.log1p, (-1, None)),
        "sqrt": (ops.sqrt, np.sqrt, (0, None)),
        "tanh": (ops.tanh, np.tanh, None),
        "sinh": (ops.sinh, np.sinh, None),
        "cosh": (ops.cosh, np.cosh, None),
        "sin": (ops.sin, np.sin, None),
        "erf": (ops.erf, _erf, None),
        "erfc": (ops.erfc, _erfc, None),
        "sigmoid": (ops.sigmoid, _sigmoid, None),
        "softplus": (ops.softplus, _softplus, None),
        "log_sigmoid": (ops.log_sigmoid, lambda a: -_softplus(-a), None),
        "silu": (ops.silu, lambda a: a * _sigmoid(a), None),
        "gelu_tanh": (lambda x: ops.gelu(x, approximate=True), _gelu_tanh, None),
        "gelu_erf": (
            lambda x: ops.gelu(x, approximate=False),
            lambda a: 0.5 * a * _erfc(-a / np.sqrt(2)),
            None,
        ),
        "softsign": (ops.softsign, lambda a: a / (1 + np.abs(a)), None),
        "elu": (ops.elu, _elu, None),
        "selu": (ops.selu, lambda a: selu_scale * _elu(a, selu_alpha), None),
        "celu": (ops.celu, lambda a: np.maximum(a, 0) + np.minimum(0, np.expm1(a)), None),
        "tanh_shrink": (ops.tanh_shrink, lambda a: a - np.tanh(a), None),
        "squareplus": (ops.squareplus, lambda a: (a + np.sqrt(a * a + 4)) / 2, None),
        "hard_sigmoid": (ops.hard_sigmoid, lambda a: np.clip(a / 6 + 0.5, 0, 1), None),
        "hard_silu": (ops.hard_silu, lambda a: a * np.clip(a / 6 + 0.5, 0, 1), None),
        "logaddexp(x,0)": (lambda x: ops.logaddexp(x, ops.zeros_like(x)), _softplus, None),
        "softmax([x,0])": (pair(ops.softmax, 0), _sigmoid, None),
        "log_softmax([x,0])": (pair(ops.log_softmax, 0), lambda a: -_softplus(-a), None),
    }


def grid(points, domain=None):
    """The float32 test inputs (see the module docstring), restricted to `domain`."""
    dense = np.linspace(-30, 30, points)
    mags = np.logspace(-38, np.log10(30), 2000)
    denormals = np.array([1e-45, 1e-42, 1e-40, 5e-39])
    special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan])
    values = np.concatenate([dense, mags, -mags, denormals, -denormals, special]).astype("float32")
    if domain is not None:
        low, high = domain
        keep = np.isnan(values) | (values >= low if high is None else values <= high)
        values = values[keep]
    return values


def errors(got, x, reference):
    """(max relative error where the true value is a normal float32, max absolute error
    where it is subnormal or zero, the special inputs (inf, -inf, nan) or overflowing results
    that come out wrong, the input of the largest relative error)."""
    with np.errstate(all="ignore"):
        true = reference(x.astype(np.float64))
    got = np.asarray(got, np.float64)
    ordinary = np.isfinite(x) & np.isfinite(true) & (np.abs(true) <= BIG)
    normal = ordinary & (np.abs(true) >= TINY)
    small = ordinary & (np.abs(true) < TINY)
    with np.errstate(all="ignore"):
        rel = np.where(normal, np.abs(got - true) / np.where(normal, np.abs(true), 1), 0)
        rel = np.where(normal & ~np.isfinite(got), np.inf, rel)
        absolute = np.where(small, np.abs(got - true), 0)
    absolute = np.where(small & ~np.isfinite(got), np.inf, absolute)
    rest = ~ordinary
    with np.errstate(all="ignore"):
        true_rest = np.where(np.abs(true) > BIG, np.sign(true) * np.inf, true)[rest]
    same = (got[rest] == true_rest) | (np.isnan(got[rest]) & np.isnan(true_rest))
    bad = [f"{v:g}->{g:g}" for v, g in zip(x[rest][~same], got[rest][~same])]
    worst = int(np.argmax(rel)) if rel.size else 0
    return float(rel.max(initial=0)), float(absolute.max(initial=0)), bad, float(x[worst])


def evaluate(call, x):
    """(folded, compiled) values of the op `call` on float32 array `x`."""
    import openvino as ov
    import openvino.opset14 as ops_ov

    from unikeras_openvino import graph

    shape_free = graph.SHAPE_FREE_OPS
    graph.SHAPE_FREE_OPS = frozenset()  # the first sighting of an op signature folds
    graph.OP_CACHE.clear()
    try:
        folded = np.asarray(call(x))
    finally:
        graph.SHAPE_FREE_OPS = shape_free
        graph.OP_CACHE.clear()
    param = ops_ov.parameter([-1], ov.Type.f32)
    out = call(graph.OpenVINOTensor(output=param.output(0)))
    model = ov.Model([ops_ov.result(out.output)], [param])
    compiled = graph.CORE.compile_model(model, "CPU", graph._EXACT)
    return folded, np.asarray(compiled([x])[0])


def eager_path(name, call):
    from unikeras_openvino import graph

    graph.OP_CACHE.clear()
    x = np.linspace(-3, 3, 7).astype("float32")
    call(x)
    call(x)
    free = [
        k
        for k, v in graph.OP_CACHE.items()
        if k[1] == "free" and v.__class__.__name__ == "_CompiledOp"
    ]
    return "compiled" if free else "folded"


def predict_table():
    """Per-activation precision inside a compiled model: a functional MLP of Dense layers,
    each followed by one activation (pre-activations of up to +-50 and more: the tails),
    run by `predict`; each activation's output is compared with the float64 activation of
    the float32 pre-activation the model computed (where the true value is >= 1e-30), and
    the last output with a float64 NumPy forward of the same weights (error propagated
    through every layer). Runs on any backend."""
    import unikeras as keras
    from unikeras import ops

    refs = references()
    acts = {
        "softplus": ("softplus", refs["softplus"][1]),
        "gelu (exact)": ("gelu", refs["gelu_erf"][1]),
        "gelu (tanh)": (lambda t: ops.gelu(t, approximate=True), refs["gelu_tanh"][1]),
        "erf": (ops.erf, refs["erf"][1]),
        "log_sigmoid": (ops.log_sigmoid, refs["log_sigmoid"][1]),
        "tanh": ("tanh", np.tanh),
        "sigmoid": ("sigmoid", _sigmoid),
        "silu": ("silu", refs["silu"][1]),
        "elu": ("elu", _elu),
    }
    rng = np.random.default_rng(0)
    x = (rng.normal(size=(256, 16)) * 2).astype("float32")
    inputs = keras.Input((16,))
    h, outputs = inputs, []
    for i, (activation, _) in enumerate(acts.values()):
        pre = keras.layers.Dense(32)(h)
        h = keras.layers.Activation(activation)(pre)
        outputs += [pre, h]
    model = keras.Model(inputs, outputs)
    weights = []
    for layer in model.layers:
        if layer.weights:
            k, b = layer.get_weights()
            k = (rng.normal(size=k.shape) * 6 / np.sqrt(k.shape[0])).astype("float32")
            b = rng.normal(size=b.shape).astype("float32")
            layer.set_weights([k, b])
            weights.append((k.astype(np.float64), b.astype(np.float64)))
    results = model.predict(x, batch_size=len(x), verbose=0)
    print(f"\npredict on {keras.backend.backend()}: max relative error per activation layer")
    print(f"{'activation':<14} {'layer':>9} {'forward':>9} {'(median)':>9}  pre-activations")
    forward = x.astype(np.float64)
    for i, (name, (_, reference)) in enumerate(acts.items()):
        pre, got = (np.asarray(v, np.float64) for v in results[2 * i : 2 * i + 2])
        with np.errstate(all="ignore"):
            true = reference(pre)
            forward = reference(forward @ weights[i][0] + weights[i][1])
        big, big_f = np.abs(true) >= 1e-30, np.abs(forward) >= 1e-30
        layer_rel = np.abs(got - true)[big] / np.abs(true[big])
        forward_rel = np.abs(got - forward)[big_f] / np.abs(forward[big_f])
        print(
            f"{name:<14} {layer_rel.max():>9.2e} {forward_rel.max():>9.2e} "
            f"{np.median(forward_rel):>9.1e}  [{pre.min():.0f}, {pre.max():.0f}]"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=120001)
    parser.add_argument("--only", nargs="*", help="op names of the grid table")
    parser.add_argument(
        "--predict", action="store_true", help="only the predict table (any backend)"
    )
    args = parser.parse_args()
    if args.predict:
        predict_table()
        return
    import openvino as ov

    print(
        f"openvino {ov.__version__}; {args.points} grid points on [-30, 30] + log grid + specials"
    )
    header = f"{'op':<20} {'eager path':<10} {'folded rel':>11} {'compiled rel':>12} {'eager rel':>10} {'worst x':>10} {'cmp abs(sub)':>12} wrong specials (true value inf/nan) folded / compiled"
    print(header)
    for name, (call, reference, domain) in references().items():
        if args.only and name not in args.only:
            continue
        x = grid(args.points, domain)
        folded, compiled = evaluate(call, x)
        path = eager_path(name, call)
        eager = np.asarray(call(x))
        f = errors(folded, x, reference)
        c = errors(compiled, x, reference)
        e = errors(eager, x, reference)
        print(
            f"{name:<20} {path:<10} {f[0]:>11.2e} {c[0]:>12.2e} {e[0]:>10.2e} {c[3]:>10.4g} "
            f"{c[1]:>12.1e}  {' '.join(f[2]) or '-'} / {' '.join(c[2]) or '-'}"
        )
    predict_table()


if __name__ == "__main__":
    main()
