"""The torch backend's per-call fast paths (issue 19) give exactly what the general paths
give: conv_bias and max_pool plans cached per call signature, the direct NumPy conversions,
and the sum / reshape / matmul shortcuts (including the cases they hand back)."""

import itertools

import numpy as np
import pytest
import torch

import unikeras  # noqa: F401  (selects the backend)
from unikeras import ops
from unikeras_torch import convert, nn


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_conv_bias_plan_matches_the_general_path(rank):
    torch.manual_seed(0)
    for fmt, padding, stride, dilation, groups in itertools.product(
        ("channels_last", "channels_first"), ("valid", "same"), (1, 2), (1, 2), (1, 2)
    ):
        if stride > 1 and dilation > 1:
            continue
        spatial = (6,) * rank
        shape = (2, *spatial, 4) if fmt == "channels_last" else (2, 4, *spatial)
        x = torch.randn(shape)
        kernel = torch.randn((3,) * rank + (4 // groups, 6))
        bias = torch.randn(6)
        args = ((stride,) * rank, padding, fmt, (dilation,) * rank)
        first = nn.conv_bias(x, kernel, bias, *args)  # fills the plan
        planned = nn.conv_bias(x, kernel, bias, *args)
        general = nn._conv(x, kernel, args[0], padding, fmt, args[3], bias)
        assert planned.shape == general.shape == first.shape
        torch.testing.assert_close(planned, general)


def test_conv_bias_plan_keeps_the_general_errors_and_edge_cases():
    kernel, bias = torch.randn(3, 3, 2, 4), torch.randn(4)
    small = torch.randn(1, 2, 2, 2)  # smaller than the window: empty output, not planned
    for _ in range(2):
        out = nn.conv_bias(small, kernel, bias, (1, 1), "valid", "channels_last", (1, 1))
    assert tuple(out.shape) == (1, 0, 0, 4)
    # The groups rule is the public op's shared check (`ops.nn._check_conv`), before dispatch.
    with pytest.raises(ValueError, match="multiple of kernel.shape"):
        ops.conv(torch.randn(1, 5, 5, 3), kernel, 1, "valid", "channels_last", 1)
    half = torch.randn(1, 5, 5, 2).half()  # computed in float32, returned in float16
    out = nn.conv_bias(half, kernel.half(), bias.half(), 1, "valid", "channels_last", 1)
    assert out.dtype == torch.float16


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16, torch.int32])
def test_max_pool_plan_matches_the_general_path(dtype):
    for rank, fmt, padding, strides in itertools.product(
        (1, 2, 3), ("channels_last", "channels_first"), ("valid", "same"), (None, 1, 2)
    ):
        spatial = (5,) * rank
        shape = (2, *spatial, 3) if fmt == "channels_last" else (2, 3, *spatial)
        x = (torch.randn(shape) * 10).to(dtype)
        strides = None if strides is None else (strides,) * rank
        for _ in range(2):
            planned = nn.max_pool(x, (2,) * rank, strides, padding, fmt)
        nn._POOL_PLANS.clear()
        # data_format=None is never planned: the general path (channels_last by default)
        general = nn.max_pool(x, (2,) * rank, strides, padding, None if fmt[9] == "l" else fmt)
        assert planned.dtype == general.dtype == dtype
        assert torch.equal(planned, general)


def test_numpy_conversions_take_the_general_path_where_needed():
    plain = torch.arange(6.0).reshape(2, 3)
    out = convert.convert_to_numpy(plain)
    np.testing.assert_array_equal(out, np.arange(6.0).reshape(2, 3))
    grad = torch.ones(3, requires_grad=True)
    np.testing.assert_array_equal(convert.convert_to_numpy(grad * 2), [2.0, 2.0, 2.0])
    conj = torch.tensor([1 + 2j, 3 - 1j]).conj()
    np.testing.assert_array_equal(convert.convert_to_numpy(conj), [1 - 2j, 3 + 1j])
    bf16 = convert.convert_to_numpy(torch.tensor([1.5, 2.0], dtype=torch.bfloat16))
    assert str(bf16.dtype) == "bfloat16" and bf16.astype("float32").tolist() == [1.5, 2.0]
    # NumPy batches: contiguous ones are shared, the rest copied, dtypes kept or cast
    batch = np.arange(6, dtype="float32").reshape(2, 3)
    assert convert.convert_to_tensor(batch).data_ptr() == batch.ctypes.data
    strided = convert.convert_to_tensor(batch.T)
    np.testing.assert_array_equal(strided.numpy(), batch.T)
    frozen = batch.copy()
    frozen.flags.writeable = False
    assert convert.convert_to_tensor(frozen).data_ptr() != frozen.ctypes.data
    assert convert.convert_to_tensor(batch, "float64").dtype == torch.float64
    assert convert.convert_to_tensor(np.array([True, False])).dtype == torch.bool


def test_op_shortcuts_keep_dtypes_and_errors():
    assert ops.sum(torch.ones(3, dtype=torch.float16)).dtype == torch.float16
    assert ops.sum(torch.ones(3, dtype=torch.int8)).dtype == torch.int32
    assert float(ops.sum(torch.tensor(2.5))) == 2.5
    np.testing.assert_array_equal(
        ops.sum(torch.ones(2, 3), axis=0, keepdims=True).numpy(), [[2.0, 2.0, 2.0]]
    )
    x = torch.arange(6.0)
    assert tuple(ops.reshape(x, (2, 3)).shape) == (2, 3)
    assert tuple(ops.reshape(x, (np.int64(3), 2.0)).shape) == (3, 2)
    with pytest.raises(RuntimeError):
        ops.reshape(x, (4, 2))
    with pytest.raises(ValueError, match="rank >= 1"):
        ops.matmul(torch.tensor(1.0), torch.tensor(2.0))
    np.testing.assert_allclose(
        ops.matmul(torch.ones(2, 3), torch.ones(3, 2)).numpy(), np.full((2, 2), 3.0)
    )
