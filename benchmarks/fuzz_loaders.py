"""Fuzzes the model loaders on the active backend with thousands of mutated files.

    UNIKERAS_BACKEND=jax python benchmarks/fuzz_loaders.py [--seeds 5000] [--base-seed N]

Uses the machinery of `tests/test_saving_fuzz.py` (the CI test runs 100 seeds per backend):
valid `.keras` / `.weights.h5` files written by unikeras (and by Keras 3.15.1 on the jax
backend when `keras` is installed) are mutated once per seed and loaded in one worker
subprocess, restarted after a crash or a hang. Prints the count of each outcome (`ok`,
`error`, `crash`, `hang`, `nonfinite`), the most common error messages, and every seed that
breaks the rules, so a failure reproduces with `--seeds` and `--base-seed`. Exits non-zero
when any seed breaks the rules.
"""

import argparse
import collections
import importlib.util
import re
import sys
import tempfile
import time
from pathlib import Path

import unikeras

ROOT = Path(__file__).resolve().parent.parent


def load_fuzz_module():
    spec = importlib.util.spec_from_file_location(
        "saving_fuzz", ROOT / "tests" / "test_saving_fuzz.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    fuzz = load_fuzz_module()
    parser.add_argument("--seeds", type=int, default=2000, help="number of mutations")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--base-seed", type=int, default=fuzz.BASE_SEED)
    parser.add_argument(
        "--timeout",
        type=float,
        default=fuzz.HANG_SECONDS,
        help="seconds before a load counts as a hang",
    )
    args = parser.parse_args(argv)
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    start = time.perf_counter()

    def progress(seed, result):
        done = seed - args.first_seed + 1
        if done % 250 == 0:
            print(
                f"  {done}/{args.seeds} seeds, {time.perf_counter() - start:.0f} s",
                file=sys.stderr,
                flush=True,
            )

    with tempfile.TemporaryDirectory() as folder:
        results, failures = fuzz.run_fuzz(
            folder, seeds, base_seed=args.base_seed, timeout=args.timeout, progress=progress
        )
    elapsed = time.perf_counter() - start
    counts = collections.Counter(result["status"] for _, _, result in results)
    kinds = collections.Counter(
        description.split(": ", 1)[1].rsplit(" (", 1)[0] for _, description, _ in results
    )
    messages = collections.Counter(
        re.sub(r"'[^']*'|\d+", "_", result["message"])[:110]
        for _, _, result in results
        if result["status"] == "error"
    )
    print(
        f"backend {unikeras.backend.backend()}: {len(results)} mutated files loaded in "
        f"{elapsed:.0f} s (base seed {args.base_seed}, seeds {seeds.start}.."
        f"{seeds.stop - 1})"
    )
    print("| outcome | count |\n|---|---|")
    for status in ("ok", "error", "nonfinite", "crash", "hang"):
        print(f"| {status} | {counts.get(status, 0)} |")
    print("\nmutations: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print("\nmost common errors:")
    for message, count in messages.most_common(12):
        print(f"  {count:5d}  {message}")
    print(f"\nseeds breaking the rules: {len(failures)}")
    for seed, description, reason in failures:
        print(f"  seed {seed} [{description}]: {reason}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
