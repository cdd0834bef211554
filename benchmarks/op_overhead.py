"""Per-call overhead of `unikeras.ops` over calling NumPy directly, on the numpy backend.

    UNIKERAS_BACKEND=numpy python benchmarks/op_overhead.py [--repeats 201] [--calls 2000]

Each measurement times a loop of `--calls` calls; the unikeras op and its NumPy counterpart
are measured alternately (interleaved) `--repeats` times, so drifts in machine speed hit both,
and the median of each is reported in ns per call with the ratio. Inputs are tiny (8 float32
elements, an 8x8 matmul) so that the fixed cost per call dominates.
"""

import argparse
import os
import platform
import statistics
import time

os.environ.setdefault("UNIKERAS_BACKEND", "numpy")

import numpy as np  # noqa: E402

import unikeras  # noqa: E402
from unikeras import ops  # noqa: E402


def _time_calls(fn, args, calls):
    """Returns the mean ns per call of `fn(*args)` over one loop of `calls` calls."""
    start = time.perf_counter_ns()
    for _ in range(calls):
        fn(*args)
    return (time.perf_counter_ns() - start) / calls


def compare(ours, theirs, args, repeats, calls):
    """Times `ours` and `theirs` interleaved; returns their median ns per call."""
    ours(*args), theirs(*args)  # warm up caches and lazy imports
    ours_ns, theirs_ns = [], []
    for _ in range(repeats):
        ours_ns.append(_time_calls(ours, args, calls))
        theirs_ns.append(_time_calls(theirs, args, calls))
    return statistics.median(ours_ns), statistics.median(theirs_ns)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=201)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()

    vector = np.linspace(-1, 1, 8, dtype="float32")
    matrix = np.linspace(-1, 1, 64, dtype="float32").reshape(8, 8)
    benchmarks = [
        ("add", ops.add, np.add, (vector, vector)),
        ("multiply", ops.multiply, np.multiply, (vector, vector)),
        ("matmul (8x8)", ops.matmul, np.matmul, (matrix, matrix)),
    ]
    print(f"unikeras {unikeras.__version__}, backend {unikeras.backend.backend()}, "
          f"NumPy {np.__version__}, Python {platform.python_version()}, "
          f"median of {args.repeats} x {args.calls} calls\n")
    print("| op | unikeras.ops ns/call | numpy ns/call | ratio |")
    print("|---|---:|---:|---:|")
    for name, ours, theirs, inputs in benchmarks:
        ours_ns, theirs_ns = compare(ours, theirs, inputs, args.repeats, args.calls)
        print(f"| {name} | {ours_ns:.0f} | {theirs_ns:.0f} | {ours_ns / theirs_ns:.2f}x |")


if __name__ == "__main__":
    main()
