"""Training speed of layer-heavy models: `Model.fit` against a hand-written native loop.

    UNIKERAS_BACKEND=torch python benchmarks/layer_fit.py [--model lstm|transformer|all]
        [--repeats 5] [--samples 1280] [--jit-compile auto|true|false|both]
        [--device auto|cpu|gpu] [--mixed-precision [float16|bfloat16]]

Two text classifiers over sequences of 100 token ids (vocabulary 10,000, 2 classes), trained
with Adam (learning rate 1e-3) on the sparse categorical cross-entropy of their logits, in
batches of 64 without shuffling:

- `lstm`: Embedding(10000, 64), LSTM(64), Dense(2) on the last output;
- `transformer`: Embedding(10000, 64), x + MultiHeadAttention(4 heads, key_dim 16)(x, x),
  LayerNormalization, GlobalAveragePooling1D, Dense(2).

Every implementation starts from the same weights and trains on the same arrays:

- `unikeras`: `model.fit(x, y, batch_size=64, epochs=1)` with the default compile options
  (`--jit-compile` sets `compile(jit_compile=...)`; `both` times unikeras with `False` and
  `True` side by side, interleaved);
- `native`: the same network written directly in the engine with the engine's own kernels
  (`NATIVE_LOOPS`): JAX a `jax.jit` step with donated buffers, `lax.scan` for the LSTM
  (input projection inside the step) and `jax.nn.dot_product_attention`; torch an eager
  step with `torch.lstm`, `F.scaled_dot_product_attention`, `F.layer_norm` and
  `torch.optim.Adam`; TensorFlow a `tf.function` step with `tf.raw_ops.BlockLSTM` and
  `ResourceApplyAdam`;
- `keras 3`: Keras 3 itself on the same engine, when `keras` is importable.

Timing as in `fit_speed.py` (interleaved repeats after one untimed epoch, median epoch
time); the goal is at most 1.3x the native time on every training backend. `--device` and
`--mixed-precision` as in `fit_speed.py` (see `devices.py`): the native loops run on the
device unikeras uses and compute in the mixed policy's dtype.
"""

import argparse
import os
import platform

import numpy as np

import devices

devices.early_setup()  # `--device cpu` hides the GPUs before an engine is imported

import unikeras  # noqa: E402
from fit_speed import (  # noqa: E402
    BETA_1,
    BETA_2,
    EPSILON,
    LEARNING_RATE,
    batches,
    import_keras3,
    jax_adam_runner,
    measure,
    tf_mixed,
    to_device,
    torch_autocast,
)
from unikeras.backend import registry  # noqa: E402

VOCAB, EMBED, SEQUENCE, UNITS, CLASSES = 10000, 64, 100, 64, 2
HEADS, KEY_DIM = 4, 16
LAYER_NORM_EPSILON = 1e-3  # Keras' LayerNormalization default
GOAL = 1.3


def lstm_classifier(keras):
    tokens = keras.Input((SEQUENCE,), dtype="int32")
    x = keras.layers.Embedding(VOCAB, EMBED)(tokens)
    x = keras.layers.LSTM(UNITS)(x)
    return keras.Model(tokens, keras.layers.Dense(CLASSES)(x))


def transformer_classifier(keras):
    tokens = keras.Input((SEQUENCE,), dtype="int32")
    x = keras.layers.Embedding(VOCAB, EMBED)(tokens)
    attention = keras.layers.MultiHeadAttention(HEADS, KEY_DIM)
    x = keras.layers.LayerNormalization()(x + attention(x, x))
    x = keras.layers.GlobalAveragePooling1D()(x)
    return keras.Model(tokens, keras.layers.Dense(CLASSES)(x))


#: model name -> `keras module -> model`. The native loops receive `get_weights()` of these:
#: lstm: embeddings, kernel, recurrent kernel, bias, dense kernel, dense bias; transformer:
#: embeddings, query/key/value kernels (E, H, D) and biases (H, D) interleaved, output kernel
#: (H, D, E) and bias, gamma, beta, dense kernel, dense bias.
MODELS = {"lstm": lstm_classifier, "transformer": transformer_classifier}


def synthetic_data(samples, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, VOCAB, size=(samples, SEQUENCE)).astype("int32")
    y = rng.integers(0, CLASSES, size=samples).astype("int32")
    return x, y


def fit_runner(keras, model_name, weights, x, y, batch_size, jit_compile="auto"):
    """Returns a function that trains one epoch with `fit` (compiled with `jit_compile`)."""
    model = MODELS[model_name](keras)
    model.set_weights(weights)
    model.compile(
        optimizer=keras.optimizers.Adam(LEARNING_RATE),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        jit_compile=jit_compile,
    )
    return lambda: model.fit(x, y, batch_size=batch_size, epochs=1, shuffle=False, verbose=0)


# --- native loops: one per engine (`NATIVE_LOOPS`) -----------------------------------------
def flat_heads(weights):
    """Transformer weights with the attention kernels as matrices, (E, H*D) and (H*D, E),
    and the biases flat: the layout the torch and TensorFlow loops multiply with."""
    emb, *projections, ok, ob, gamma, beta, w, b = weights
    projections = [p.reshape(EMBED, -1) if p.ndim == 3 else p.reshape(-1) for p in projections]
    return [emb, *projections, ok.reshape(-1, EMBED), ob, gamma, beta, w, b]


def jax_loop(model_name, weights, x, y, batch_size, precision="none"):
    import jax
    import jax.numpy as jnp
    from jax import lax

    def lstm(params, tokens):
        emb, kernel, recurrent, bias, w, b = params

        def cell(carry, x_t):
            # Projecting inside the step is about twice as fast on XLA:CPU as projecting the
            # whole sequence before the scan.
            h, c = carry
            i, f, g, o = jnp.split(x_t @ kernel + h @ recurrent + bias, 4, axis=-1)
            c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
            return (jax.nn.sigmoid(o) * jnp.tanh(c), c), None

        zeros = jnp.zeros((tokens.shape[0], UNITS), emb.dtype)
        (h, _), _ = lax.scan(cell, (zeros, zeros), jnp.swapaxes(emb[tokens], 0, 1))
        return h @ w + b

    def transformer(params, tokens):
        emb, qk, qb, kk, kb, vk, vb, ok, ob, gamma, beta, w, b = params
        x = emb[tokens]
        q, k, v = (
            jnp.einsum("bte,ehd->bthd", x, kernel) + bias
            for kernel, bias in ((qk, qb), (kk, kb), (vk, vb))
        )
        x = x + jnp.einsum("bthd,hde->bte", jax.nn.dot_product_attention(q, k, v), ok) + ob
        mean = x.mean(-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(-1, keepdims=True)
        x = (x - mean) * lax.rsqrt(variance + LAYER_NORM_EPSILON) * gamma + beta
        return x.mean(1) @ w + b

    forward = {"lstm": lstm, "transformer": transformer}[model_name]
    return jax_adam_runner(forward, weights, x, y, batch_size, precision)


def torch_loop(model_name, weights, x, y, batch_size, precision="none"):
    import torch
    import torch.nn.functional as F

    if model_name == "lstm":
        emb, kernel, recurrent, bias, w, b = weights
        # torch's layout: (4 * units, features) matrices, an input and a recurrent bias.
        weights = [emb, kernel.T, recurrent.T, bias, np.zeros_like(bias), w, b]
    else:
        weights = flat_heads(weights)

    def lstm(params, tokens):
        emb, w_ih, w_hh, b_ih, b_hh, w, b = params
        zeros = torch.zeros(1, tokens.shape[0], UNITS, device=tokens.device)
        _, h, _ = torch.lstm(
            F.embedding(tokens, emb),
            (zeros, zeros),
            [w_ih, w_hh, b_ih, b_hh],
            True,
            1,
            0.0,
            True,
            False,
            True,
        )
        return torch.addmm(b, h[0], w)

    def transformer(params, tokens):
        emb, qk, qb, kk, kb, vk, vb, ok, ob, gamma, beta, w, b = params
        x = F.embedding(tokens, emb)
        batch = tokens.shape[0]
        q, k, v = (
            torch.addmm(bias, x.flatten(0, 1), kernel)
            .view(batch, SEQUENCE, HEADS, KEY_DIM)
            .transpose(1, 2)
            for kernel, bias in ((qk, qb), (kk, kb), (vk, vb))
        )
        attention = F.scaled_dot_product_attention(q, k, v).transpose(1, 2).flatten(2)
        x = F.layer_norm(x + attention @ ok + ob, (EMBED,), gamma, beta, LAYER_NORM_EPSILON)
        return torch.addmm(b, x.mean(1), w)

    forward = {"lstm": lstm, "transformer": transformer}[model_name]
    device = devices.torch_device()
    params = [
        torch.tensor(np.ascontiguousarray(w), requires_grad=True, device=device) for w in weights
    ]
    optimizer = torch.optim.Adam(params, lr=LEARNING_RATE, betas=(BETA_1, BETA_2), eps=EPSILON)
    data = torch.from_numpy(x).long(), torch.from_numpy(y).long()  # batches copied to device
    float16 = devices.compute_dtype(precision) == "float16"
    scaler = torch.amp.GradScaler(device.type) if float16 else None

    def run_epoch():
        for xb, yb in batches(*data, batch_size):
            xb, yb = to_device((xb, yb), device)
            optimizer.zero_grad(set_to_none=True)
            with torch_autocast(device, precision):
                loss = F.cross_entropy(forward(params, xb), yb)
            if scaler is None:
                loss.backward()
                optimizer.step()
            else:  # dynamic loss scaling, as unikeras' LossScaleOptimizer
                scaler.scale(loss).backward()
                scaler.step(optimizer)
                scaler.update()
        return loss.item()

    return run_epoch


def icfo(gates):
    """Keras' LSTM gate order i, f, c, o (last axis) to `BlockLSTM`'s i, c, f, o."""
    i, f, c, o = np.split(gates, 4, axis=-1)
    return np.concatenate([i, c, f, o], axis=-1)


def tensorflow_loop(model_name, weights, x, y, batch_size, precision="none"):
    import tensorflow as tf

    if model_name == "lstm":
        emb, kernel, recurrent, bias, w, b = weights
        weights = [emb, icfo(np.concatenate([kernel, recurrent])), icfo(bias), w, b]
    else:
        weights = flat_heads(weights)

    def lstm(params, tokens):
        emb, cell_weights, bias, w, b = params
        inputs = tf.transpose(tf.nn.embedding_lookup(emb, tokens), (1, 0, 2))
        if inputs.dtype == tf.bfloat16:  # BlockLSTM has float32 and float16 kernels only
            inputs, cell_weights, bias = (
                tf.cast(t, tf.float32) for t in (inputs, cell_weights, bias)
            )
        zeros = tf.zeros((tf.shape(tokens)[0], UNITS), inputs.dtype)
        no_peephole = tf.zeros((UNITS,), inputs.dtype)
        outputs = tf.raw_ops.BlockLSTM(
            seq_len_max=tf.constant(SEQUENCE, tf.int64),
            x=inputs,
            cs_prev=zeros,
            h_prev=zeros,
            w=cell_weights,
            wci=no_peephole,
            wcf=no_peephole,
            wco=no_peephole,
            b=bias,
            forget_bias=0.0,
            cell_clip=-1.0,
            use_peephole=False,
        )[-1]
        return tf.cast(outputs[-1], w.dtype) @ w + b

    def transformer(params, tokens):
        emb, qk, qb, kk, kb, vk, vb, ok, ob, gamma, beta, w, b = params
        x = tf.nn.embedding_lookup(emb, tokens)
        q, k, v = (
            tf.transpose(
                tf.reshape(x @ kernel + bias, (-1, SEQUENCE, HEADS, KEY_DIM)), (0, 2, 1, 3)
            )
            for kernel, bias in ((qk, qb), (kk, kb), (vk, vb))
        )
        scores = tf.nn.softmax(q @ tf.transpose(k, (0, 1, 3, 2)) / KEY_DIM**0.5)
        attention = tf.reshape(tf.transpose(scores @ v, (0, 2, 1, 3)), (-1, SEQUENCE, EMBED))
        x = x + attention @ ok + ob
        mean, variance = tf.nn.moments(x, axes=[-1], keepdims=True)
        x = tf.nn.batch_normalization(x, mean, variance, beta, gamma, LAYER_NORM_EPSILON)
        return tf.reduce_mean(x, 1) @ w + b

    forward = tf_mixed({"lstm": lstm, "transformer": transformer}[model_name], precision)
    scale = devices.LOSS_SCALE if devices.compute_dtype(precision) == "float16" else 1.0
    params = [tf.Variable(w) for w in weights]
    slots = [(tf.Variable(tf.zeros_like(w)), tf.Variable(tf.zeros_like(w))) for w in weights]
    step = tf.Variable(0.0)

    @tf.function
    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(
                tf.nn.sparse_softmax_cross_entropy_with_logits(
                    labels=yb, logits=forward(params, xb)
                )
            )
            scaled = loss * scale if scale != 1.0 else loss
        grads = tape.gradient(scaled, params)
        if scale != 1.0:  # (the embedding's gradient is an IndexedSlices)
            grads = [tf.convert_to_tensor(g) / scale for g in grads]
        t = step.assign_add(1.0)
        for p, (m, v), g in zip(params, slots, grads):
            tf.raw_ops.ResourceApplyAdam(
                var=p.handle,
                m=m.handle,
                v=v.handle,
                beta1_power=BETA_1**t,
                beta2_power=BETA_2**t,
                lr=LEARNING_RATE,
                beta1=BETA_1,
                beta2=BETA_2,
                epsilon=EPSILON,
                grad=tf.convert_to_tensor(g),
            )
        return loss

    def run_epoch():
        loss = None
        for xb, yb in batches(x, y, batch_size):
            loss = train_step(xb, yb)
        return float(loss)

    return run_epoch


#: backend name -> `builder(model_name, weights, x, y, batch_size) -> run_one_epoch` (as in
#: `fit_speed.NATIVE_LOOPS`).
NATIVE_LOOPS = {"jax": jax_loop, "torch": torch_loop, "tensorflow": tensorflow_loop}


# --- measuring -----------------------------------------------------------------------------
def _load():
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", choices=[*MODELS, "all"], default="all")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--samples", type=int, default=1280)
    parser.add_argument("--batch-size", type=int, default=64)
    devices.add_arguments(parser)
    parser.add_argument(
        "--jit-compile",
        choices=["auto", "true", "false", "both"],
        default="auto",
        help="`compile(jit_compile=...)` of the unikeras and Keras 3 models; `both` measures "
        "unikeras with jit_compile False and True side by side",
    )
    args = parser.parse_args()
    jit = {"auto": "auto", "true": True, "false": False, "both": "auto"}[args.jit_compile]

    backend_name = registry.backend()
    info = registry.table.backend_info()
    if not info.get("training"):
        raise SystemExit(
            f"backend {backend_name!r} cannot train; select one with "
            "UNIKERAS_BACKEND=jax (or torch, tensorflow)"
        )
    devices.check_device(args.device, backend_name)
    x, y = synthetic_data(args.samples)
    keras3 = import_keras3(backend_name)
    devices.set_policy(unikeras, args.mixed_precision)
    if keras3 is not None:
        devices.set_policy(keras3, args.mixed_precision)
    load_before = _load()
    rows = []
    for model_name in MODELS if args.model == "all" else [args.model]:
        unikeras.utils.set_random_seed(0)
        weights = MODELS[model_name](unikeras).get_weights()
        runners = {}
        for flag in (False, True) if args.jit_compile == "both" else (jit,):
            label = f"unikeras jit_compile={flag}" if args.jit_compile == "both" else "unikeras"
            runners[label] = fit_runner(unikeras, model_name, weights, x, y, args.batch_size, flag)
        if backend_name in NATIVE_LOOPS:
            runners["native"] = NATIVE_LOOPS[backend_name](
                model_name, weights, x, y, args.batch_size, args.mixed_precision
            )
        if keras3 is not None:
            runners[f"keras {keras3.__version__}"] = fit_runner(
                keras3, model_name, weights, x, y, args.batch_size, jit
            )
        rows.append((model_name, measure(runners, args.repeats)))

    print(
        f"layer fit speed: unikeras {unikeras.__version__} on {backend_name} "
        f"({info['version']}), Python {platform.python_version()}, {os.cpu_count()} CPUs; "
        f"{args.samples} sequences of {SEQUENCE} tokens, batch {args.batch_size}, jit_compile "
        f"{args.jit_compile}, median of "
        f"{args.repeats} epochs; load average {load_before} before / {_load()} after; "
        + devices.describe(backend_name, args.device, args.mixed_precision)
        + "\n"
    )
    print(
        "| backend | model | implementation | epoch time (ms, median) | samples/s "
        "| time vs native | goal |"
    )
    print("|---|---|---|---:|---:|---:|---:|")
    for model_name, medians in rows:
        native = medians.get("native")
        for name, seconds in medians.items():
            ratio = f"{seconds / native:.2f}x" if native else "n/a"
            goal = f"<= {GOAL}x" if name.startswith("unikeras") else ""
            print(
                f"| {backend_name} | {model_name} | {name} | {seconds * 1e3:.1f} "
                f"| {args.samples / seconds:,.0f} | {ratio} | {goal} |"
            )


if __name__ == "__main__":
    main()
