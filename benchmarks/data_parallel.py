"""Data-parallel training step time with `keras.distribution.DataParallel` (informational).

    python benchmarks/data_parallel.py [--batch 256] [--steps 20] [--repeats 3]
        [--jax-devices 1,2,4,8] [--torch-processes 1,2] [--gpu]

Each configuration runs in a fresh process (the device count of JAX is fixed at start-up):

- JAX on 1, 2, 4 and 8 simulated CPU devices
  (`XLA_FLAGS=--xla_force_host_platform_device_count=N`), `DataParallel` over all of them;
- torch with 1 process (no distribution) and 2 gloo processes on localhost, `DataParallel`
  through `torch.distributed` (rank 0 reports);
- with `--gpu`, one run of each engine on its first GPU instead (no simulated devices).

The model is a Dense 512-1024-1024-10 MLP trained with Adam on the sparse categorical
cross-entropy, on synthetic data, with a fixed global batch (`--batch`). A repeat is one
epoch of `--steps` steps; one untimed epoch first compiles. The table reports the median
time of one step (the global batch) and the samples per second.

Simulated CPU devices share the machine's cores, so more devices do not make a step faster
on a CPU: the figures show the overhead of the distributed step (sharding, all-reduce), not
a speed-up. Real speed-ups need real devices (GPUs, TPU cores, several hosts).
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time

FEATURES, CLASSES = 512, 10


def _model(keras):
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((FEATURES,)),
            keras.layers.Dense(1024, activation="relu"),
            keras.layers.Dense(1024, activation="relu"),
            keras.layers.Dense(CLASSES),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


def _time_fit(keras, args, distribution=None):
    """Median seconds of one step over `args.repeats` timed epochs of `args.steps` steps."""
    import numpy as np

    rng = np.random.default_rng(0)
    samples = args.batch * args.steps
    x = rng.normal(size=(samples, FEATURES)).astype("float32")
    y = rng.integers(0, CLASSES, size=(samples,))
    scope = distribution.scope() if distribution is not None else _nullcontext()
    with scope:
        model = _model(keras)
        model.fit(x, y, batch_size=args.batch, epochs=1, shuffle=False, verbose=0)
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            model.fit(x, y, batch_size=args.batch, epochs=1, shuffle=False, verbose=0)
            times.append((time.perf_counter() - start) / args.steps)
    return statistics.median(times)


class _nullcontext:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def worker(args):
    """One configuration, in this process; prints one JSON line."""
    import unikeras as keras
    from unikeras import distribution as D

    if args.worker == "torch" and int(os.environ.get("WORLD_SIZE", "1")) > 1:
        D.initialize()
    if args.gpu or (args.worker == "torch" and int(os.environ.get("WORLD_SIZE", "1")) == 1):
        distribution = None
    else:
        distribution = D.DataParallel()
    step = _time_fit(keras, args, distribution)
    rank = int(os.environ.get("RANK", "0"))
    if rank == 0:
        devices = (
            int(os.environ.get("WORLD_SIZE", "1"))
            if args.worker == "torch"
            else len(D.list_devices())
        )
        print(json.dumps({"engine": args.worker, "devices": devices, "step_s": step}), flush=True)


def _free_port():
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


def _launch(args, engine, count, timeout=600):
    base = [
        sys.executable,
        os.path.abspath(__file__),
        "--worker",
        engine,
        "--batch",
        str(args.batch),
        "--steps",
        str(args.steps),
        "--repeats",
        str(args.repeats),
    ] + (["--gpu"] if args.gpu else [])
    env = dict(os.environ, UNIKERAS_BACKEND=engine, TF_CPP_MIN_LOG_LEVEL="2")
    if engine == "jax":
        if not args.gpu:
            env["XLA_FLAGS"] = f"--xla_force_host_platform_device_count={count}"
            env["JAX_PLATFORMS"] = "cpu"
        envs = [env]
    else:
        env.update(
            OMP_NUM_THREADS=str(max(1, (os.cpu_count() or 1) // count)),
            MASTER_ADDR="localhost",
            MASTER_PORT=str(_free_port()),
            WORLD_SIZE=str(count),
        )
        if not args.gpu:
            env["CUDA_VISIBLE_DEVICES"] = ""
        envs = [dict(env, RANK=str(rank)) for rank in range(count)]
    processes = [
        subprocess.Popen(base, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for e in envs
    ]
    results, errors = [], []
    for process in processes:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
        results += [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        if process.returncode:
            errors.append(err[-2000:])
    if errors or not results:
        raise RuntimeError(f"{engine} x{count} failed:\n" + "\n".join(errors))
    return results[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jax-devices", default="1,2,4,8")
    parser.add_argument("--torch-processes", default="1,2")
    parser.add_argument("--gpu", action="store_true", help="one run per engine on a GPU")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    configurations = [("jax", int(n)) for n in args.jax_devices.split(",") if n] + [
        ("torch", int(n)) for n in args.torch_processes.split(",") if n
    ]
    if args.gpu:
        configurations = [("jax", 1), ("torch", 1)]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"global batch {args.batch}, {args.steps} steps x {args.repeats} repeats, "
        f"{os.cpu_count()} CPUs, load average {load:.1f}"
        + (" (GPU)" if args.gpu else " (simulated CPU devices / local processes)")
    )
    print("| engine | devices / processes | step (ms) | samples/s |")
    print("|---|---|---|---|")
    for engine, count in configurations:
        try:
            result = _launch(args, engine, count)
        except RuntimeError as e:
            print(f"| {engine} | {count} | failed | {str(e).splitlines()[-1][:60]} |")
            continue
        step = result["step_s"]
        print(
            f"| {engine} | {result['devices']} | {step * 1e3:.1f} | {args.batch / step:,.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
