"""`ModelParallel` on PyTorch computes on the shards: two gloo processes on a 1x2 mesh."""

import os
import socket
import subprocess
import sys

import numpy as np
import pytest

import unikeras as keras
from unikeras.backend import registry

pytestmark = pytest.mark.skipif(
    registry.backend() != "torch", reason="needs UNIKERAS_BACKEND=torch (unikeras-torch installed)"
)

_WORKER = """
import sys
import numpy as np
import torch
from torch.distributed.tensor import DTensor
from torch.profiler import ProfilerActivity, profile
import unikeras as keras
from unikeras import distribution as D
sys.path.insert(0, {here!r})
from test_torch_model_parallel import _bn_model, _data, _model
D.initialize()
rank = torch.distributed.get_rank()
out = {out!r}
x, y = _data()
mesh = D.DeviceMesh((1, 2), ("batch", "model"), devices=D.list_devices())
layout_map = D.LayoutMap(mesh)
layout_map[".*col/kernel"] = (None, "model")  # column sharding: (6, 16) -> (6, 8) a rank
layout_map[".*col/bias"] = ("model",)
layout_map[".*row/kernel"] = ("model", None)  # row sharding: (16, 16) -> (8, 16)
layout_map[".*einsum/kernel"] = (None, "model")  # (16, 4) -> (16, 2)
layout_map[".*bn_in/kernel"] = (None, "model")
layout_map[".*big/kernel"] = (None, "model")  # (64, 2048) -> (64, 1024)
saved = {{}}
with D.ModelParallel(layout_map=layout_map, batch_dim_name="batch").scope():
    model = _model()
    grads = []  # (local shape, global shape) of each gradient the optimizer receives
    apply = model.optimizer.apply
    def recording(gradients, variables=None):
        grads.append([(tuple(g.to_local().shape), tuple(g.shape)) if isinstance(g, DTensor)
                      else (tuple(g.shape), None) for g in gradients])
        return apply(gradients, variables)
    model.optimizer.apply = recording
    checkpoint = keras.callbacks.ModelCheckpoint(out + "ckpt.keras")  # on every rank
    model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0, callbacks=[checkpoint])
    outputs = model(x[:4])
    assert type(outputs) is torch.Tensor, type(outputs)  # plain at the model boundary
    saved["predictions"] = model.predict(x, batch_size=16, verbose=0)
    saved["local"] = np.array([str(tuple(getattr(v._value, "_local_tensor", v._value).shape))
                               for v in model.weights])
    saved["grads"] = np.array([str(g) for g in grads[-1]])
    model.save(out + "mp.keras")  # every rank gathers, rank 0 writes
    model.save_weights(out + "mp.weights.h5")
    model.save(out + "r" + str(rank) + ".keras")  # rank 1's copy is a temporary file
    # distribute_tensor redistributes a DTensor to a layout (here: the whole kernel).
    whole = D.distribute_tensor(model.layers[0].kernel.value, D.TensorLayout((None, None), mesh))
    saved["redistributed"] = whole.to_local().detach().numpy()
    for i, w in enumerate(model.get_weights()):
        saved[f"w{{i}}"] = w

    # Replicated variables assigned values computed on the shards: BatchNormalization's
    # moving statistics, and every Adam slot under a global norm clip.
    bn = _bn_model()
    bn.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    assert type(bn.layers[0].kernel.value).__name__ == "DTensor"
    for i, w in enumerate(bn.get_weights()):
        saved[f"bn{{i}}"] = w

    # A kernel large enough to see: no allocation of its full size during a train step.
    keras.utils.set_random_seed(1)
    big = keras.Sequential([keras.Input((64,)), keras.layers.Dense(2048, name="big")])
    big.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    bx, by = np.ones((8, 64), "float32"), np.zeros((8, 2048), "float32")
    big.train_on_batch(bx, by)  # the first step creates the (sharded) Adam moments

    def largest_allocation(step):
        with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
            step()
        return max(e.cpu_memory_usage for e in prof.events() if not e.cpu_children)

    saved["big_step"] = largest_allocation(lambda: big.train_on_batch(bx, by))
    saved["big_gather"] = largest_allocation(lambda: big.layers[0].kernel.value.full_tensor())
    saved["big_local"] = tuple(big.layers[0].kernel._value.to_local().shape)
np.savez(out + str(rank), **saved)
print("RANK", rank, "DONE")
"""


def _data():
    rng = np.random.default_rng(0)
    return (rng.normal(size=(64, 6)).astype("float32"), rng.normal(size=(64, 4)).astype("float32"))


def _model():
    keras.utils.set_random_seed(7)
    model = keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(16, activation="relu", name="col"),
            keras.layers.Dense(16, activation="relu", name="row"),
            keras.layers.EinsumDense("ab,bc->ac", output_shape=4, bias_axes="c", name="einsum"),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return model


def _bn_model():
    keras.utils.set_random_seed(5)
    model = keras.Sequential(  # no Input: built by its first call (symbolically when sharded)
        [
            keras.layers.Dense(16, use_bias=False, name="bn_in"),
            keras.layers.BatchNormalization(),
            keras.layers.Dense(4),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01, global_clipnorm=0.5), loss="mse")
    return model


def _free_port():
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


def test_model_parallel_computes_on_shards_two_gloo_processes(tmp_path):
    out = str(tmp_path / "rank")
    x, y = _data()
    reference = _model()
    reference.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    trained = reference.predict(x, batch_size=16, verbose=0)
    code = _WORKER.format(here=os.path.dirname(__file__), out=out)
    env = dict(
        os.environ,
        UNIKERAS_BACKEND="torch",
        OMP_NUM_THREADS="1",
        MASTER_ADDR="localhost",
        MASTER_PORT=str(_free_port()),
        WORLD_SIZE="2",
    )
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            env=dict(env, RANK=str(r)),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for r in range(2)
    ]
    try:
        logs = [w.communicate(timeout=240)[0] for w in workers]
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
    for w, log in zip(workers, logs):
        assert w.returncode == 0, log[-4000:]
    ranks = [np.load(f"{out}{r}.npz") for r in range(2)]
    # After 2 epochs both ranks hold the weights of single-process training.
    for i, want in enumerate(reference.get_weights()):
        np.testing.assert_array_equal(ranks[0][f"w{i}"], ranks[1][f"w{i}"])
        np.testing.assert_allclose(ranks[0][f"w{i}"], want, atol=1e-5, err_msg=str(i))
    bn = _bn_model()
    bn.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    for i, want in enumerate(bn.get_weights()):
        np.testing.assert_array_equal(ranks[0][f"bn{i}"], ranks[1][f"bn{i}"])
        np.testing.assert_allclose(ranks[0][f"bn{i}"], want, atol=1e-5, err_msg=f"bn {i}")
    for r in range(2):
        np.testing.assert_array_equal(ranks[r]["redistributed"], ranks[r]["w0"])
        # (the row-sharded layer adds its two partial sums: float rounding in another order)
        np.testing.assert_allclose(ranks[r]["predictions"], trained, atol=5e-5)
        # Each rank stores, and receives gradients for, its shard of the mapped variables
        # only: col kernel and bias, row kernel, einsum kernel; row bias and einsum bias
        # are replicated (their gradients are whole plain tensors).
        shards = ["(6, 8)", "(8,)", "(8, 16)", "(16,)", "(16, 2)", "(4,)"]
        assert list(ranks[r]["local"]) == shards
        assert list(ranks[r]["grads"]) == [
            "((6, 8), (6, 16))",
            "((8,), (16,))",
            "((8, 16), (16, 16))",
            "((16,), None)",
            "((16, 2), (16, 4))",
            "((4,), None)",
        ]
        # A train step of the (64, 2048) kernel allocates nothing of its full size (512 KiB)
        # -- gathering it does, so the measure sees such a copy.
        full = 64 * 2048 * 4
        assert tuple(ranks[r]["big_local"]) == (64, 1024)
        assert ranks[r]["big_gather"] >= full
        assert ranks[r]["big_step"] < full, ranks[r]["big_step"]
    # The files written by rank 0 (model.save and ModelCheckpoint, both called on every
    # rank) load in one process with equal predictions.
    for name in ("mp.keras", "ckpt.keras", "mp.weights.h5"):
        if name.endswith(".h5"):
            loaded = _model()
            loaded.load_weights(out + name)
        else:
            loaded = keras.saving.load_model(out + name)
        predictions = loaded.predict(x, batch_size=16, verbose=0)
        np.testing.assert_allclose(predictions, ranks[0]["predictions"], atol=1e-6)
    assert sorted(os.listdir(tmp_path)) == [
        "rank0.npz", "rank1.npz", "rankckpt.keras", "rankmp.keras", "rankmp.weights.h5",
        "rankr0.keras",
    ]  # fmt: skip
