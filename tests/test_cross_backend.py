"""The same model, weights and batch give the same loss and gradients on every installed
training backend (each backend runs in its own subprocess: selection happens at import)."""

import importlib.util
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from unikeras.backend import registry

TRAINING_BACKENDS = [
    b for b in ("jax", "torch", "tensorflow") if b in registry.installed_backends()
]

PROBE = """
import json, sys
sys.path.insert(0, {tests!r})
from gradient_probe import loss_and_gradients
loss, gradients = loss_and_gradients()
print(json.dumps({{"loss": loss, "gradients": [g.tolist() for g in gradients]}}))
"""


def _run(backend):
    env = dict(os.environ, UNIKERAS_BACKEND=backend)
    code = PROBE.format(tests=os.path.dirname(__file__))
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(
    len(TRAINING_BACKENDS) < 2,
    reason="needs at least two training backends "
    "installed (the tox env `all` installs every plugin)",
)
def test_loss_and_gradients_agree_across_backends():
    results = {backend: _run(backend) for backend in TRAINING_BACKENDS}
    first, *others = TRAINING_BACKENDS
    for other in others:
        np.testing.assert_allclose(results[other]["loss"], results[first]["loss"], rtol=1e-5)
        for a, b in zip(results[other]["gradients"], results[first]["gradients"]):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7, err_msg=f"{other} vs {first}")


LAYER_PROBE = """
import json, sys
sys.path.insert(0, {tests!r})
from layer_gradient_probe import all_layer_gradients
result = all_layer_gradients()
print(json.dumps({{k: [g.tolist() for g in v] for k, v in result.items()}}))
"""


@pytest.fixture(scope="module")
def layer_gradients_per_backend():
    results = {}
    for backend in TRAINING_BACKENDS:
        env = dict(os.environ, UNIKERAS_BACKEND=backend)
        code = LAYER_PROBE.format(tests=os.path.dirname(__file__))
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=900
        )
        assert done.returncode == 0, f"{backend}: {done.stderr[-3000:]}"
        results[backend] = json.loads(done.stdout.strip().splitlines()[-1])
    return results


sys.path.insert(0, os.path.dirname(__file__))
from layer_gradient_probe import CASES  # noqa: E402


@pytest.mark.skipif(
    len(TRAINING_BACKENDS) < 2,
    reason="needs at least two training backends "
    "installed (the tox env `all` installs every plugin)",
)
@pytest.mark.parametrize("case", sorted(CASES))
def test_layer_gradients_agree_across_backends(case, layer_gradients_per_backend):
    first, *others = TRAINING_BACKENDS
    reference = layer_gradients_per_backend[first][case]
    assert reference and any(np.abs(g).max() > 0 for g in map(np.asarray, reference))
    for other in others:
        got = layer_gradients_per_backend[other][case]
        assert len(got) == len(reference)
        for a, b in zip(got, reference):
            np.testing.assert_allclose(
                a, b, rtol=1e-4, atol=1e-5, err_msg=f"{case}: {other} vs {first}"
            )


# --- trained on JAX, served on OpenVINO ------------------------------------------------------
SERVE_TRAIN = """
import sys
import numpy as np
import unikeras as keras
from unikeras import layers

folder = sys.argv[1]
rng = np.random.default_rng(0)
models = {
    "cnn": (keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D(4, 3, activation="relu"),
                              layers.MaxPooling2D(), layers.BatchNormalization(),
                              layers.Flatten(), layers.Dense(3, activation="softmax")]),
            rng.normal(size=(32, 8, 8, 1))),
    "lstm": (keras.Sequential([keras.Input((6, 3)), layers.LSTM(5, return_sequences=True),
                               layers.GRU(4), layers.Dense(3, activation="softmax")]),
             rng.normal(size=(32, 6, 3))),
}
for name, (model, x) in models.items():
    x = x.astype("float32")
    y = rng.integers(0, 3, size=(len(x),))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    model.save(f"{folder}/{name}.keras")
    model.export(f"{folder}/{name}", format="openvino")
    np.save(f"{folder}/{name}-x.npy", x)
    np.save(f"{folder}/{name}-y.npy", model.predict(x, verbose=0))
print("ok")
"""

SERVE_LOAD = """
import sys
import numpy as np
import unikeras as keras

folder = sys.argv[1]
for name in ("cnn", "lstm"):
    model = keras.models.load_model(f"{folder}/{name}.keras")
    got = model.predict(np.load(f"{folder}/{name}-x.npy"), verbose=0)
    np.testing.assert_allclose(got, np.load(f"{folder}/{name}-y.npy"), rtol=1e-5, atol=1e-6)
print("ok")
"""

# Plain OpenVINO: nothing of unikeras is imported.
SERVE_IR = """
import sys
import numpy as np
import openvino as ov

folder = sys.argv[1]
core = ov.Core()
for name in ("cnn", "lstm"):
    compiled = core.compile_model(core.read_model(f"{folder}/{name}.xml"), "CPU",
                                  {"INFERENCE_PRECISION_HINT": "f32"})
    got = compiled(np.load(f"{folder}/{name}-x.npy"))[0]
    np.testing.assert_allclose(got, np.load(f"{folder}/{name}-y.npy"), rtol=1e-5, atol=1e-6)
assert not any(m.startswith("unikeras") for m in sys.modules)
print("ok")
"""


def _run_script(code, backend, folder):
    env = dict(os.environ, UNIKERAS_BACKEND=backend, OMP_NUM_THREADS="1")
    env.pop("KERAS_BACKEND", None)
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0 and "ok" in done.stdout, f"{backend}: {done.stderr[-3000:]}"


@pytest.mark.skipif(
    not {"jax", "openvino"} <= set(registry.installed_backends()),
    reason="needs unikeras-jax and unikeras-openvino installed (the tox env `all`)",
)
def test_cross_trained_on_jax_served_on_openvino_and_as_ir(tmp_path):
    _run_script(SERVE_TRAIN, "jax", tmp_path)
    _run_script(SERVE_LOAD, "openvino", tmp_path)
    _run_script(SERVE_IR, "openvino", tmp_path)


# A torch-trained network's parameters (tensors that require grad) used directly by the
# OpenVINO backend in the same process: set_weights, assign and ops take them.
TORCH_WEIGHTS_ON_OPENVINO = """
import numpy as np
import torch
import unikeras as keras

assert keras.backend.backend() == "openvino"
torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
x = torch.randn(16, 4)
for _ in range(3):
    optimizer.zero_grad()
    net(x).square().mean().backward()
    optimizer.step()
first, second = net[0], net[2]
assert first.weight.requires_grad
with torch.no_grad():
    expected = net(x).numpy()

model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(3)])
model.set_weights([first.weight.T, first.bias, second.weight.T, second.bias])
np.testing.assert_allclose(model.predict(x.numpy(), verbose=0), expected, rtol=1e-5, atol=1e-6)
model.layers[1].kernel.assign(2 * second.weight.T)
np.testing.assert_allclose(model.predict(x.numpy(), verbose=0),
                           expected + (expected - second.bias.detach().numpy()),
                           rtol=1e-5, atol=1e-5)
got = keras.ops.matmul(x, first.weight.T) + first.bias
np.testing.assert_allclose(keras.ops.convert_to_numpy(got),
                           (x @ first.weight.T + first.bias).detach().numpy(), rtol=1e-5, atol=1e-6)
print("ok")
"""


@pytest.mark.skipif(
    "openvino" not in registry.installed_backends() or importlib.util.find_spec("torch") is None,
    reason="needs unikeras-openvino and torch installed (the tox env `all`)",
)
def test_cross_torch_trained_weights_on_openvino_in_process(tmp_path):
    _run_script(TORCH_WEIGHTS_ON_OPENVINO, "openvino", tmp_path)
