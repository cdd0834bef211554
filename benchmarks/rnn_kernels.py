"""Which kernels unikeras' LSTM and GRU layers run on each backend and device: a markdown
table for the GPU check (`gpu_check.sh`).

    python benchmarks/rnn_kernels.py [--backends jax,torch,tensorflow] [--device auto|cpu|gpu]

Each backend runs in its own process (`UNIKERAS_BACKEND`), a forward and backward pass of
`LSTM(32)` and `GRU(32)` (default arguments: the fused kernels' semantics) on a (8, 20, 16)
batch, under the float32 and the mixed_bfloat16 dtype policy, and reports the engine operations that carried the recurrence:

- torch: the recurrent ATen ops `torch.profiler` recorded (`aten::_cudnn_rnn` is cuDNN, the
  CPU kernels are `aten::mkldnn_rnn_layer` / `aten::lstm` / `aten::gru`);
- tensorflow: the recurrent op types in the `tf.function` graph of the step
  (`CudnnRNNV3` is cuDNN, `While` the generic loop);
- jax: the loop in the jitted step's HLO (`while`: `lax.scan`; XLA has no fused RNN op).
"""

import argparse
import json
import os
import subprocess
import sys

import devices

devices.early_setup()

SHAPE = (8, 20, 16)


def torch_ops(keras, layer, x):
    import torch

    x = keras.ops.convert_to_tensor(x)
    with torch.profiler.profile() as prof:
        out = layer(x)
        out.sum().backward()
        sync = devices.synchronizer("torch")
        if sync is not None:
            sync(out)
    names = {event.key for event in prof.key_averages()}
    keys = ("rnn", "lstm", "gru", "cudnn")
    return sorted(n for n in names if n.startswith("aten::") and any(k in n for k in keys))


def tensorflow_ops(keras, layer, x):
    import tensorflow as tf

    @tf.function
    def step(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(layer(x))
        return tape.gradient(loss, layer.trainable_variables)

    graph = step.get_concrete_function(tf.TensorSpec(x.shape, tf.float32)).graph
    types = set()

    def collect(g):
        for op in g.get_operations():
            types.add(op.type)
        for function in g._functions.values():  # loop bodies, gradients
            collect(function.graph)

    collect(graph)
    keys = ("Cudnn", "BlockLSTM", "While", "GRUBlock", "LSTMBlock")
    return sorted(t for t in types if any(k in t for k in keys))


def jax_ops(keras, layer, x):
    import jax

    layer(x)  # build
    weights = [w.value for w in layer.trainable_variables]
    frozen = [w.value for w in layer.non_trainable_variables]

    def loss(values, x):
        out, _ = layer.stateless_call(values, frozen, x)
        return out.sum()

    hlo = jax.jit(jax.grad(loss)).lower(weights, x).as_text()
    found = [name for name in ("while", "custom_call") if f" {name}" in hlo or f"{name}(" in hlo]
    return found or ["(no loop: unrolled)"]


OPS = {"torch": torch_ops, "tensorflow": tensorflow_ops, "jax": jax_ops}


def child(backend_name):
    """Prints one JSON row per layer for the active backend."""
    import numpy as np

    import unikeras as keras

    x = np.random.default_rng(0).random(SHAPE, dtype=np.float32)
    for policy in ("float32", "mixed_bfloat16"):
        keras.mixed_precision.set_global_policy(policy)
        for kind in ("LSTM", "GRU"):
            layer = getattr(keras.layers, kind)(32)
            try:
                ops = OPS[backend_name](keras, layer, x)
            except Exception as error:  # noqa: BLE001 - reported in the table
                ops = [f"failed: {type(error).__name__}: {str(error).splitlines()[0][:80]}"]
            row = {"backend": backend_name, "layer": f"{kind} ({policy})"}
            row["device"] = devices.device_name(backend_name)
            print(json.dumps({**row, "ops": ops}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="jax,torch,tensorflow")
    devices.add_arguments(parser, mixed_precision=False)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    print("| backend | layer | device | recurrent ops of a forward + backward pass |")
    print("|---|---|---|---|")
    for backend_name in filter(None, args.backends.split(",")):
        env = {**os.environ, "UNIKERAS_BACKEND": backend_name, "TF_CPP_MIN_LOG_LEVEL": "2"}
        done = subprocess.run(
            [sys.executable, __file__, "--child", backend_name, "--device", args.device],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
        if done.returncode != 0 or not rows:
            error = (done.stderr.strip().splitlines() or ["no output"])[-1]
            print(f"| {backend_name} | - | - | failed: {error} |")
        for row in rows:
            ops = ", ".join(f"`{op}`" for op in row["ops"]) or "none recorded"
            print(f"| {row['backend']} | {row['layer']} | {row['device']} | {ops} |")


if __name__ == "__main__":
    main()
