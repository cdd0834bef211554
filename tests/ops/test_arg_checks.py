"""The shared argument checks of the ops (`_check_<op>`, `unikeras.ops.arg_checks`): the same
`ValueError`, naming the op, what it expects and what it received, on every backend, for NumPy
inputs, the backend's own tensors and KerasTensors alike."""

import numpy as np
import pytest

import unikeras
from unikeras import ops
from unikeras.ops import arg_checks

Z = np.zeros

# (id, call taking a converter for the tensor arguments, the message as a regex)
CASES = [
    ("diag", lambda t: ops.diag(t(Z((2, 2, 2)))), r"diag: `x` must be 1-D or 2-D\. .*\(2, 2, 2\)"),
    (
        "vander",
        lambda t: ops.vander(t(Z((2, 2)))),
        r"vander: `x` must be 1-D\. .*x\.shape=\(2, 2\)",
    ),
    (
        "searchsorted",
        lambda t: ops.searchsorted(t(Z((2, 2))), t(Z(2))),
        r"searchsorted: `sorted_sequence` must be 1-D\. .*\(2, 2\)",
    ),
    (
        "searchsorted_side",
        lambda t: ops.searchsorted(t(Z(2)), t(Z(2)), side="middle"),
        r"searchsorted: `side` must be one of 'left', 'right'\. Received: side='middle'",
    ),
    ("digitize", lambda t: ops.digitize(t(Z(3)), t(Z((2, 2)))), r"digitize: `bins` must be 1-D"),
    (
        "cross",
        lambda t: ops.cross(t(Z((2, 4))), t(Z((2, 3)))),
        r"cross: both inputs must hold 2- or 3-vectors.*lengths 4 and 3",
    ),
    (
        "cross_axis",
        lambda t: ops.cross(t(Z((3, 5))), t(Z((3, 5))), axis=-1),
        r"cross: .*lengths 5 and 5",
    ),
    (
        "meshgrid",
        lambda t: ops.meshgrid(t(Z(2)), t(Z(3)), indexing="yx"),
        r"meshgrid: `indexing` must be one of 'xy', 'ij'\. Received: indexing='yx'",
    ),
    (
        "glu",
        lambda t: ops.glu(t(Z((2, 3)))),
        r"glu: the size of `axis` must be even\. Received: x\.shape=\(2, 3\), axis=-1",
    ),
    ("glu_scalar", lambda t: ops.glu(t(np.float32(1.0))), r"glu: .*x\.shape=\(\)"),
    (
        "normalize",
        lambda t: ops.normalize(t(Z((2, 2))), order=0),
        r"normalize: `order` must be an int >= 1\. Received: order=0",
    ),
    ("normalize_float", lambda t: ops.normalize(t(Z(2)), order=2.0), r"order=2\.0"),
    (
        "multi_hot",
        lambda t: ops.multi_hot(t(Z((2, 2), "int32"))),
        r"multi_hot: `num_classes` is required",
    ),
    (
        "psnr",
        lambda t: ops.psnr(t(Z((4, 4))), t(Z((2, 4))), 1.0),
        r"psnr: `x1` and `x2` must have the same shape\. .*\(4, 4\).*\(2, 4\)",
    ),
    ("top_k", lambda t: ops.top_k(t(Z((2, 3))), 4), r"top_k: `k` must be in \[0, 3\].*k=4"),
    (
        "scale_and_translate",
        lambda t: ops.image.scale_and_translate(
            t(Z((4, 4, 1))), (2, 2, 1), t(np.ones(2)), t(Z(2)), (0, 1), "box"
        ),
        r"scale_and_translate: `method` must be one of \[.*'bilinear'.*\]\. Received: 'box'",
    ),
    # slice / slice_update: one start index per axis of `inputs`, and a block of its rank
    (
        "slice_starts",
        lambda t: ops.slice(t(Z((2, 3))), (0, 0, 0), (1, 1)),
        r"slice: `start_indices` must have one entry per axis of `inputs` \(rank 2\)\. "
        r"Received: inputs\.shape=\(2, 3\), 3 start indices",
    ),
    (
        "slice_tensor_starts",
        lambda t: ops.slice(t(Z((2, 3))), t(Z(1, "int32")), (1, 1)),
        r"slice: `start_indices` .*\(rank 2\).*1 start indices",
    ),
    (
        "slice_shape",
        lambda t: ops.slice(t(Z((2, 3))), (0, 0), (1,)),
        r"slice: `shape` must have one entry per axis of `inputs` \(rank 2\)\. .*shape=\(1,\)",
    ),
    (
        "slice_update_starts",
        lambda t: ops.slice_update(t(Z((2, 3))), (0,), t(Z((1, 1)))),
        r"slice_update: `start_indices` must have one entry per axis of `inputs` \(rank 2\)",
    ),
    (
        "slice_update_rank",
        lambda t: ops.slice_update(t(Z((2, 3))), (0, 0), t(Z(2))),
        r"slice_update: `updates` must have the rank of `inputs` \(2\)\. .*updates\.shape=\(2,\)",
    ),
    (
        "scatter_update_reduction",
        lambda t: ops.scatter_update(t(Z(3)), t(np.ones((1, 1), "int32")), t(Z(1)), "sum"),
        r"scatter_update: `reduction` must be one of None, 'add', 'mul', 'max', 'min'\. "
        r"Received: reduction='sum'",
    ),
    # the crossentropies: `target` of the shape of `output` (without its class axis if sparse)
    (
        "binary_crossentropy",
        lambda t: ops.binary_crossentropy(t(Z((3, 4))), t(Z((3, 5)))),
        r"binary_crossentropy: `target` and `output` must have the same shape\. "
        r"Received: target\.shape=\(3, 4\), output\.shape=\(3, 5\)",
    ),
    (
        "categorical_crossentropy",
        lambda t: ops.categorical_crossentropy(t(Z((2, 3))), t(Z((2, 4)))),
        r"categorical_crossentropy: `target` and `output` must have the same shape\. .*\(2, 4\)",
    ),
    (
        "categorical_crossentropy_rank",
        lambda t: ops.categorical_crossentropy(t(np.float32(1)), t(np.float32(1))),
        r"categorical_crossentropy: `target` and `output` must be at least rank 1\. "
        r"Received: target\.shape=\(\), output\.shape=\(\)",
    ),
    (
        "sparse_categorical_crossentropy",
        lambda t: ops.sparse_categorical_crossentropy(t(Z((2, 3), "int32")), t(Z((2, 4)))),
        r"sparse_categorical_crossentropy: `target` must have the shape of `output` without its "
        r"class axis \(\(2,\)\)\. Received: target\.shape=\(2, 3\), output\.shape=\(2, 4\)",
    ),
    (
        "sparse_categorical_crossentropy_axis",
        lambda t: ops.sparse_categorical_crossentropy(t(Z(2, "int32")), t(Z((2, 4))), axis=0),
        r"sparse_categorical_crossentropy: .*\(\(4,\)\).*target\.shape=\(2,\).*axis=0",
    ),
    # conv groups, depthwise and separable channel counts
    (
        "conv_groups",
        lambda t: ops.conv(t(Z((1, 4, 4, 3))), t(Z((1, 1, 2, 4)))),
        r"conv: the input channel count must be a multiple of kernel\.shape\[-2\], and the output "
        r"channel count a multiple of the number of groups\. Received: input channels=3, "
        r"kernel\.shape=\(1, 1, 2, 4\)",
    ),
    (
        "conv_group_outputs",
        lambda t: ops.conv(t(Z((1, 4, 4, 4))), t(Z((1, 1, 2, 3)))),
        r"conv: .*input channels=4, kernel\.shape=\(1, 1, 2, 3\)",
    ),
    (
        "conv_channels_first",
        lambda t: ops.conv(t(Z((1, 3, 4, 4))), t(Z((1, 1, 2, 4))), data_format="channels_first"),
        r"conv: .*input channels=3, kernel\.shape=\(1, 1, 2, 4\)",
    ),
    (
        "depthwise_conv",
        lambda t: ops.depthwise_conv(t(Z((1, 4, 4, 3))), t(Z((1, 1, 2, 1)))),
        r"depthwise_conv: kernel\.shape\[-2\] must equal the input channel count\. Received: "
        r"input channels=3, kernel\.shape=\(1, 1, 2, 1\)",
    ),
    (
        "separable_conv_depthwise",
        lambda t: ops.separable_conv(t(Z((1, 4, 4, 3))), t(Z((1, 1, 2, 1))), t(Z((1, 1, 2, 4)))),
        r"separable_conv: depthwise_kernel\.shape\[-2\] must equal the input channel count\. "
        r"Received: input channels=3",
    ),
    (
        "separable_conv_pointwise",
        lambda t: ops.separable_conv(t(Z((1, 4, 4, 3))), t(Z((1, 1, 3, 2))), t(Z((1, 1, 4, 5)))),
        r"separable_conv: .*multiple of pointwise_kernel\.shape\[-2\].*input channels=6, "
        r"pointwise_kernel\.shape=\(1, 1, 4, 5\)",
    ),
    (
        "conv_transpose",
        lambda t: ops.conv_transpose(t(Z((1, 4, 4, 3))), t(Z((2, 2, 5, 2))), 2),
        r"conv_transpose: expected a kernel \(\*kernel_size, out_channels, 3\) of rank 4\. "
        r"Received: inputs\.shape=\(1, 4, 4, 3\) \(channels_last\), kernel\.shape=\(2, 2, 5, 2\)",
    ),
    (
        "conv_transpose_kernel_rank",
        lambda t: ops.conv_transpose(
            t(Z((1, 3, 4, 4))), t(Z((2, 5, 3))), 2, data_format="channels_first"
        ),
        r"conv_transpose: .*out_channels, 3\) of rank 4\. .*\(channels_first\)",
    ),
    # average: weights of the shape of `x`, or 1-D along one axis
    (
        "average_weights",
        lambda t: ops.average(t(Z((2, 3))), axis=1, weights=t(Z(2))),
        r"average: `weights` must have the shape of `x` or be 1-D with the length of `x` along a "
        r"single `axis`\. Received: x\.shape=\(2, 3\), weights\.shape=\(2,\), axis=1",
    ),
    (
        "average_no_axis",
        lambda t: ops.average(t(Z((2, 3))), weights=t(Z(3))),
        r"average: .*weights\.shape=\(3,\), axis=None",
    ),
    # unfold / fold input shapes
    (
        "unfold",
        lambda t: ops.unfold(t(Z((1, 4, 4))), 2),
        r"unfold: `x` must be 4-D\. .*\(1, 4, 4\)",
    ),
    (
        "fold",
        lambda t: ops.fold(t(Z((1, 5, 9))), (4, 4), 2),
        r"fold: `x` must be 3-D \(N, C \* 2 \* 2, L\) for kernel_size=\(2, 2\)\. "
        r"Received: x\.shape=\(1, 5, 9\)",
    ),
    ("fold_rank", lambda t: ops.fold(t(Z((4, 9))), (4, 4), 2), r"fold: .*x\.shape=\(4, 9\)"),
    # the image ops' `interpolation` / `fill_mode` names and shapes
    (
        "resize_interpolation",
        lambda t: ops.image.resize(t(Z((4, 4, 1))), (2, 2), interpolation="area"),
        r"resize: `interpolation` must be one of \[.*'bicubic'.*\]\. Received: 'area'",
    ),
    (
        "resize_fill_mode",
        lambda t: ops.image.resize(t(Z((4, 4, 1))), (2, 2), fill_mode="reflect"),
        r"resize: `fill_mode` must be one of \['constant'\]\. Received: 'reflect'",
    ),
    (
        "resize_crop_and_pad",
        lambda t: ops.image.resize(
            t(Z((4, 4, 1))), (2, 2), crop_to_aspect_ratio=True, pad_to_aspect_ratio=True
        ),
        r"resize: only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True",
    ),
    (
        "resize_size",
        lambda t: ops.image.resize(t(Z((4, 4, 1))), (2, 2, 2)),
        r"resize: `size` must be \(height, width\)\. Received: size=\(2, 2, 2\)",
    ),
    (
        "affine_transform_interpolation",
        lambda t: ops.image.affine_transform(t(Z((4, 4, 1))), t(Z(8)), interpolation="bicubic"),
        r"affine_transform: `interpolation` must be one of \['nearest', 'bilinear'\]\. "
        r"Received: 'bicubic'",
    ),
    (
        "affine_transform_fill_mode",
        lambda t: ops.image.affine_transform(t(Z((4, 4, 1))), t(Z(8)), fill_mode="edge"),
        r"affine_transform: `fill_mode` must be one of \['constant', 'nearest', 'wrap', "
        r"'mirror', 'reflect'\]\. Received: 'edge'",
    ),
    (
        "affine_transform_shape",
        lambda t: ops.image.affine_transform(t(Z((4, 4, 1))), t(Z(6))),
        r"affine_transform: expected `transform` of shape \(8,\) or \(batch, 8\)\. "
        r"Received: transform\.shape=\(6,\)",
    ),
    (
        "perspective_transform_interpolation",
        lambda t: ops.image.perspective_transform(
            t(Z((4, 4, 1))), t(Z((4, 2))), t(Z((4, 2))), interpolation="bicubic"
        ),
        r"perspective_transform: `interpolation` must be one of \['nearest', 'bilinear'\]",
    ),
    (
        "perspective_transform_points",
        lambda t: ops.image.perspective_transform(t(Z((4, 4, 1))), t(Z((3, 2))), t(Z((4, 2)))),
        r"perspective_transform: expected `start_points` and `end_points` of shape \(4, 2\) or "
        r"\(batch, 4, 2\)\. Received: start_points\.shape=\(3, 2\), end_points\.shape=\(4, 2\)",
    ),
    (
        "elastic_transform_interpolation",
        lambda t: ops.image.elastic_transform(t(Z((4, 4, 1))), interpolation="bicubic"),
        r"elastic_transform: `interpolation` must be one of \['nearest', 'bilinear'\]\. "
        r"Received: 'bicubic'",
    ),
    (
        "elastic_transform_fill_mode",
        lambda t: ops.image.elastic_transform(t(Z((4, 4, 1))), fill_mode="edge"),
        r"elastic_transform: `fill_mode` must be one of \[.*\]\. Received: 'edge'",
    ),
    (
        "map_coordinates_order",
        lambda t: ops.image.map_coordinates(t(Z((3, 3))), t(Z((2, 2))), 3),
        r"map_coordinates: `order` must be one of \[0, 1\]\. Received: 3",
    ),
    (
        "map_coordinates_fill_mode",
        lambda t: ops.image.map_coordinates(t(Z((3, 3))), t(Z((2, 2))), 1, fill_mode="edge"),
        r"map_coordinates: `fill_mode` must be one of \[.*'reflect'\]\. Received: 'edge'",
    ),
    (
        "map_coordinates_coordinates",
        lambda t: ops.image.map_coordinates(t(Z((3, 3))), t(Z((3, 2))), 1),
        r"map_coordinates: `coordinates` must have shape \(inputs\.ndim, \.\.\.\) = \(2, "
        r"\.\.\.\)\. Received: inputs\.shape=\(3, 3\), coordinates\.shape=\(3, 2\)",
    ),
    (
        "ssim_rank",
        lambda t: ops.image.ssim(t(Z((12, 12))), t(Z((12, 12)))),
        r"ssim: `image1` must be 3-D or 4-D\. Received: image1\.shape=\(12, 12\)",
    ),
    (
        "ssim_shapes",
        lambda t: ops.image.ssim(t(Z((12, 12, 1))), t(Z((12, 13, 1)))),
        r"ssim: `image1` and `image2` must have the same shape\. Received: "
        r"image1\.shape=\(12, 12, 1\), image2\.shape=\(12, 13, 1\)",
    ),
]

CONVERTERS = {
    "numpy": lambda a: np.asarray(a, "int32" if np.asarray(a).dtype.kind == "i" else "float32"),
    "tensor": lambda a: ops.convert_to_tensor(
        a, "int32" if np.asarray(a).dtype.kind == "i" else "float32"
    ),
    "symbolic": lambda a: unikeras.KerasTensor(
        np.shape(a), "int32" if np.asarray(a).dtype.kind == "i" else "float32"
    ),
}


@pytest.mark.parametrize("kind", sorted(CONVERTERS))
@pytest.mark.parametrize("call, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_argument_errors_same_on_every_backend(call, message, kind):
    with pytest.raises(ValueError, match=message):
        call(CONVERTERS[kind])


def test_unknown_dims_pass_the_checks():
    # Unknown dimensions are not judged: the symbolic ops infer their shapes.
    x = unikeras.KerasTensor((None, 4), "float32")
    assert ops.glu(x).shape == (None, 2)
    assert ops.psnr(x, x, 1.0).shape == ()
    kt = unikeras.KerasTensor((None, 3))
    assert ops.cross(kt, kt).shape == (None, 3)


def test_valid_arguments_still_compute():
    # The checks accept what the ops compute: a few values against NumPy.
    np.testing.assert_allclose(
        ops.convert_to_numpy(ops.diag(np.arange(3.0))), np.diag(np.arange(3.0))
    )
    got = ops.searchsorted(np.array([1.0, 2.0, 3.0]), np.array([2.0]), side="right")
    assert ops.convert_to_numpy(got).tolist() == [2]
    a, b = np.array([[1.0, 0, 0]], "float32"), np.array([[0, 1.0, 0]], "float32")
    np.testing.assert_allclose(ops.convert_to_numpy(ops.cross(a, b)), np.cross(a, b))
    hot = ops.multi_hot(np.array([[0, 2]], "int32"), num_tokens=3)
    np.testing.assert_allclose(ops.convert_to_numpy(hot), [[1, 0, 1]])


def test_static_shape_of_python_values_and_unknown_rank():
    assert arg_checks.static_shape([[1, 2, 3]]) == (1, 3)
    assert arg_checks.static_shape(2.0) == ()
    assert arg_checks.static_shape(unikeras.KerasTensor((None, 2))) == (None, 2)

    class Shape:  # iterating fails, as for a TensorShape of unknown rank
        def __iter__(self):
            raise ValueError("unknown rank")

    class UnknownRank:
        shape = Shape()

    assert arg_checks.static_shape(UnknownRank()) is None
    assert arg_checks.compatible((None, 2), (3, 2)) and not arg_checks.compatible((2,), (2, 1))


def test_block_scatter_and_average_checks_accept_valid_arguments():
    # What the checks let through still computes as NumPy does.
    x = np.arange(12.0, dtype="float32").reshape(3, 4)
    starts = ops.convert_to_tensor(np.array([1, 2], "int32"))
    np.testing.assert_allclose(ops.convert_to_numpy(ops.slice(x, starts, (2, 2))), x[1:3, 2:4])
    got = ops.slice_update(x, (0, 1), np.ones((1, 2), "float32"))
    want = x.copy()
    want[0, 1:3] = 1.0
    np.testing.assert_allclose(ops.convert_to_numpy(got), want)
    got = ops.scatter_update(np.ones(3, "float32"), np.array([[1], [1]]), np.full(2, 3.0), "mul")
    np.testing.assert_allclose(ops.convert_to_numpy(got), [1.0, 9.0, 1.0])
    w = np.array([1.0, 2.0, 3.0, 4.0], "float32")
    np.testing.assert_allclose(
        ops.convert_to_numpy(ops.average(x, axis=1, weights=w)), np.average(x, axis=1, weights=w)
    )
    np.testing.assert_allclose(
        ops.convert_to_numpy(ops.average(x, weights=x + 1)), np.average(x, weights=x + 1), 1e-6
    )


def test_conv_and_loss_checks_accept_valid_arguments():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 3, 3, 4)).astype("float32")
    kernel = rng.standard_normal((1, 1, 2, 6)).astype("float32")  # 2 groups of 2 -> 3 each
    want = np.concatenate(
        [x[..., 2 * g : 2 * g + 2] @ kernel[0, 0, :, 3 * g : 3 * g + 3] for g in range(2)], -1
    )
    np.testing.assert_allclose(ops.convert_to_numpy(ops.conv(x, kernel)), want, 1e-5, 1e-5)
    logits = rng.standard_normal((2, 3)).astype("float32")
    target = np.array([[2], [0]], "int32")  # a trailing axis of 1 is accepted
    log_probs = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    np.testing.assert_allclose(
        ops.convert_to_numpy(ops.sparse_categorical_crossentropy(target, logits, True)),
        -log_probs[[0, 1], [2, 0]],
        1e-5,
    )


def test_new_checks_pass_unknown_dims():
    # Unknown dimensions are not judged: the symbolic ops infer their shapes.
    x = unikeras.KerasTensor((None, 4))
    assert ops.slice(x, (0, 1), (2, 2)).shape == (2, 2)
    labels = unikeras.KerasTensor((None,), "int32")
    assert ops.sparse_categorical_crossentropy(labels, x).shape == (None,)
    assert ops.average(x, axis=1, weights=unikeras.KerasTensor((4,))).shape == (None,)
    images = unikeras.KerasTensor((None, 5, None, 4))
    kernel = unikeras.KerasTensor((3, 3, 2, 4))
    assert ops.conv(images, kernel).shape == (None, 3, None, 4)
