"""Checks specific to the PyTorch backend plugin (`unikeras-torch`); skipped on other backends."""

import numpy as np
import pytest

import unikeras
from unikeras import layers, ops
from unikeras.backend import registry

pytestmark = pytest.mark.skipif(
    registry.backend() != "torch", reason="needs UNIKERAS_BACKEND=torch (unikeras-torch installed)"
)

if registry.backend() == "torch":
    import torch


def _mlp():
    model = unikeras.Sequential([layers.Dense(16, activation="relu"), layers.Dense(1)])
    model(np.zeros((1, 3), "float32"))  # build
    return model


def test_backend_info_declares_training_and_jit():
    info = registry.table.backend_info()
    assert info["name"] == "torch" and info["training"] and info["jit"]


def test_variables_hold_parameters_updated_in_place():
    v = unikeras.Variable(np.array([1.0, 2.0], "float32"))
    assert isinstance(v.value, torch.nn.Parameter) and v.value.requires_grad
    before = v.value
    v.assign([3.0, 4.0])
    assert v.value is before  # assignment copies into the same Parameter
    np.testing.assert_array_equal(v.numpy(), [3.0, 4.0])
    frozen = unikeras.Variable(np.zeros(2, "float32"), trainable=False)
    assert not frozen.value.requires_grad
    counter = unikeras.Variable(np.array(0, "int32"))
    assert not counter.value.requires_grad  # torch grads exist only for floats


def test_layers_are_modules_and_parameters_lists_the_variables():
    model = _mlp()
    assert isinstance(model, torch.nn.Module)
    assert all(isinstance(layer, torch.nn.Module) for layer in model.layers)
    params = list(model.parameters())
    assert len(params) == len(model.trainable_weights) == 4
    assert {id(p) for p in params} == {id(v.value) for v in model.trainable_weights}
    assert len(model.state_dict()) == 4


def test_model_inside_a_torch_module_trains_with_sgd():
    torch.manual_seed(0)

    class Wrapper(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.body = _mlp()

        def forward(self, x):
            return self.body(x)

    net = Wrapper()
    assert len(list(net.parameters())) == 4
    x = torch.randn(64, 3)
    y = (x.sum(dim=1, keepdim=True) > 0).float()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    losses = []
    for _ in range(60):
        optimizer.zero_grad()
        loss = torch.mean((net(x) - y) ** 2)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]


def test_print_in_call_shows_a_real_tensor(capsys):
    class Show(layers.Layer):
        def call(self, x):
            print(type(x).__module__, type(x).__name__)
            return x * 2

    out = Show()(np.ones((2, 2), "float32"))
    assert isinstance(out, torch.Tensor)
    assert capsys.readouterr().out.strip() == "torch Tensor"


def test_ops_return_tensors_and_keep_keras_dtypes():
    x = torch.arange(4, dtype=torch.int32)
    assert ops.add(x, 1.5).dtype == torch.float32  # int + weak float -> floatx
    assert ops.mean(x).dtype == torch.float32
    assert ops.sum(torch.ones(3, dtype=torch.int8)).dtype == torch.int32
    assert (
        ops.add(torch.ones(2, dtype=torch.uint8), torch.ones(2, dtype=torch.int8)).dtype
        == torch.int16
    )


def test_gradients_flow_through_ops():
    v = unikeras.Variable(np.array([1.0, -2.0], "float32"))
    loss = ops.sum(ops.square(v.value))
    loss.backward()
    np.testing.assert_allclose(v.value.grad.numpy(), [2.0, -4.0])


def test_symbolic_shapes_use_meta_tensors():
    spec = ops.matmul(unikeras.KerasTensor((None, 3)), unikeras.KerasTensor((3, 5)))
    assert spec.shape == (None, 5) and spec.dtype == "float32"


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_takes_the_fused_foreach_update(monkeypatch, amsgrad):
    calls = []
    fused = registry.table.adam_update
    monkeypatch.setattr(
        registry.table, "adam_update", lambda *args: calls.append(1) or fused(*args)
    )
    rng = np.random.default_rng(0)
    w0, grads = rng.normal(size=(2, 3)).astype("float32"), rng.normal(size=(3, 2, 3))
    variable = unikeras.Variable(w0)
    optimizer = unikeras.optimizers.Adam(learning_rate=0.1, amsgrad=amsgrad)
    m, v, v_hat, w = np.zeros_like(w0), np.zeros_like(w0), np.zeros_like(w0), w0.astype("float64")
    for t, g in enumerate(grads.astype("float32"), start=1):
        optimizer.apply([ops.convert_to_tensor(g)], [variable])
        m += (g - m) * 0.1
        v += (g * g - v) * 0.001
        v_hat = np.maximum(v_hat, v)
        alpha = 0.1 * np.sqrt(1 - 0.999**t) / (1 - 0.9**t)
        w -= alpha * m / (np.sqrt(v_hat if amsgrad else v) + 1e-7)
    assert len(calls) == len(grads)
    np.testing.assert_allclose(ops.convert_to_numpy(variable), w, rtol=1e-5, atol=1e-6)


def _numpy_log_softmax(x, axis):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


@pytest.mark.parametrize("from_logits", [True, False])
def test_sparse_crossentropy_fused_path_keeps_axis_and_out_of_range_semantics(from_logits):
    rng = np.random.default_rng(1)
    scores = rng.random((2, 4, 3)).astype("float32") + 0.1  # classes on axis 1
    labels = np.array([[0, 3, -1], [4, 2, 1]])  # -1 and 4 are outside [0, 4)
    got = ops.convert_to_numpy(
        ops.sparse_categorical_crossentropy(labels, scores, from_logits=from_logits, axis=1)
    )
    if from_logits:
        log_probs = _numpy_log_softmax(scores.astype("float64"), 1)
    else:
        probs = scores / scores.sum(axis=1, keepdims=True)
        log_probs = np.log(np.clip(probs, 1e-7, 1 - 1e-7))
    valid = (labels >= 0) & (labels < 4)
    picked = np.take_along_axis(log_probs, np.clip(labels, 0, 3)[:, None], axis=1)[:, 0]
    np.testing.assert_allclose(got, np.where(valid, -picked, 0.0), rtol=1e-6, atol=1e-6)


def test_softmax_uses_one_kernel_per_axis_and_still_takes_several_axes():
    x = np.random.default_rng(2).normal(size=(2, 3, 4)).astype("float32")
    np.testing.assert_allclose(
        ops.convert_to_numpy(ops.log_softmax(x, axis=1)),
        _numpy_log_softmax(x, 1),
        rtol=1e-6,
        atol=1e-6,
    )
    both = np.exp(_numpy_log_softmax(x.reshape(2, 12), 1)).reshape(x.shape)
    np.testing.assert_allclose(
        ops.convert_to_numpy(ops.softmax(x, axis=(1, 2))), both, rtol=1e-6, atol=1e-7
    )


def test_conv_same_padding_on_inputs_smaller_than_the_window():
    x = np.arange(8, dtype="float32").reshape(1, 2, 2, 2)
    kernel = np.random.default_rng(3).normal(size=(3, 3, 2, 1)).astype("float32")
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    want = np.einsum("nhwc,hwco->no", padded[:, 0:3, 0:3], kernel)
    got = ops.convert_to_numpy(ops.conv(x, kernel, padding="same"))
    assert got.shape == (1, 2, 2, 1)
    np.testing.assert_allclose(got[:, 0, 0], want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "layer_fn, shape",
    [
        (lambda: layers.Dense(4), (3, 5)),
        (lambda: layers.Dense(4), (2, 3, 5)),
        (lambda: layers.Conv2D(4, 3, padding="same"), (2, 5, 5, 3)),
        (lambda: layers.Conv2D(4, 3, strides=2, data_format="channels_first"), (2, 3, 7, 7)),
    ],
)
def test_fused_bias_hooks_equal_the_generic_path_with_gradients(monkeypatch, layer_fn, shape):
    x = np.random.default_rng(4).normal(size=shape).astype("float32")
    layer = layer_fn()
    layer.build(shape)
    layer.bias.assign(np.arange(4, dtype="float32") / 4)

    def run():
        inputs = torch.tensor(x, requires_grad=True)
        out = layer(inputs)
        grads = torch.autograd.grad(
            out.square().sum(), [inputs, layer.kernel.value, layer.bias.value]
        )
        return [ops.convert_to_numpy(t) for t in (out, *grads)]

    hook = "linear" if isinstance(layer, layers.Dense) else "conv_bias"
    calls = []
    fused = getattr(registry.table, hook)
    monkeypatch.setattr(registry.table, hook, lambda *a: calls.append(1) or fused(*a))
    fused_results = run()
    monkeypatch.setattr(registry.table, hook, lambda *a: None)  # generic matmul/conv + add
    for got, want in zip(fused_results, run()):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    assert calls


def test_adam_device_path_equals_the_cpu_path():
    # The accelerator path (step size kept on the device) runs on CPU tensors here too.
    from unikeras_torch import optimizers as torch_optimizers

    rng = np.random.default_rng(5)
    states = []
    for apply in (torch_optimizers._cpu_apply, torch_optimizers._device_apply):
        params = [torch.tensor(rng.normal(size=(3, 2)).astype("float32")) for _ in range(2)]
        m = [torch.full((3, 2), 0.5) for _ in range(2)]
        v = [torch.full((3, 2), 0.25) for _ in range(2)]
        velocities = [unikeras.Variable(t.numpy()) for t in v]
        apply(
            params,
            m,
            v,
            velocities,
            0.01,
            unikeras.Variable(np.array(4, "int64")),
            0.9,
            0.999,
            1e-7,
        )
        states.append([p.numpy() for p in params])
        rng = np.random.default_rng(5)
    alpha = 0.01 * np.sqrt(1 - 0.999**5) / (1 - 0.9**5)
    for got_cpu, got_device in zip(*states):
        np.testing.assert_allclose(got_cpu, got_device, rtol=1e-6, atol=1e-7)
    want = np.random.default_rng(5).normal(size=(3, 2)).astype("float32") - alpha * 0.5 / (
        0.5 + 1e-7
    )
    np.testing.assert_allclose(states[0][0], want, rtol=1e-6, atol=1e-7)
