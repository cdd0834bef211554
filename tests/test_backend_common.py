"""Engine-neutral backend helpers (`unikeras.backend.common`): arithmetic and error messages."""

import numpy as np
import pytest

from unikeras.backend.common import array_args, axes, conv_args, dtype_rules, image_args
from unikeras.backend.common import shape_rules, signal_args


def test_spatial_tuple_normalizes_and_checks():
    assert conv_args.spatial_tuple(2, 3, "strides", "conv") == (2, 2, 2)
    assert conv_args.spatial_tuple(np.int64(2), 2, "strides", "conv") == (2, 2)
    assert conv_args.spatial_tuple([1, 2], 2, "strides", "conv") == (1, 2)
    assert conv_args.spatial_tuple(None, 2, "strides", "conv") is None
    with pytest.raises(ValueError, match=r"conv: `strides` must be an int or a tuple of 2"):
        conv_args.spatial_tuple((1, 2, 3), 2, "strides", "conv")


def test_same_and_transpose_padding():
    assert conv_args.same_padding(5, 3, 2) == (1, 1)
    assert conv_args.same_padding(4, 2, 2) == (0, 0)
    assert conv_args.same_padding(4, 3, 1) == (1, 1)
    assert conv_args.spatial_pads((5, 4), (3, 2), (2, 2), "SAME") == [(1, 1), (0, 0)]
    assert conv_args.spatial_pads((5,), (3,), (2,), "valid") == [(0, 0)]
    assert conv_args.transpose_padding(3, 2, "valid", None) == (2, 2)
    assert conv_args.transpose_padding(3, 2, "same", None) == (2, 1)
    assert conv_args.transpose_pads((3,), (2,), (1,), "same", 1) == [(2, 1)]
    with pytest.raises(ValueError, match="`padding` must be 'valid' or 'same'"):
        conv_args.check_padding("full")


def test_conv_shape_checks():
    conv_args.check_rank("conv", (1, 4, 3))
    with pytest.raises(ValueError, match=r"conv: expected `inputs` of rank 3 or 4 or 5"):
        conv_args.check_rank("conv", (4, 3))
    with pytest.raises(ValueError, match=r"expected a kernel of rank 4"):
        conv_args.check_kernel_rank("conv", (1, 4, 4, 3), (3, 3, 3))
    with pytest.raises(ValueError, match=r"block_size\*\*2 = 4"):
        conv_args.check_depth_to_space((1, 2, 2, 6), 2)
    with pytest.raises(ValueError, match=r"divisible by block_size = 2"):
        conv_args.check_space_to_depth((1, 3, 2, 1), 2)


def test_pool_patch_and_adaptive_arithmetic():
    assert conv_args.pool_args("max_pool", 2, 2, None) == ((2, 2), (2, 2))
    assert conv_args.patch_args("extract_patches", 2, 3, None, 2) == (
        (3, 3),
        (3, 3),
        (2, 2),
        (5, 5),
    )
    assert conv_args.adaptive_bounds(5, 2) == [(0, 3), (2, 5)]
    assert conv_args.fold_sizes((4, 4), 2, 1, 0, 1)[-1] == (3, 3)
    assert conv_args.fold_sizes((5, 4), (3, 2), 1, 1, (2, 1))[-1] == (3, 5)
    assert conv_args.unfold_args(2, 1, 0, 1) == ((2, 2), (1, 1), (0, 0), (1, 1))


def test_image_boxes():
    assert image_args.aspect_box(4, 8, 2, 2, True) == (4, 4, 0, 2)
    assert image_args.aspect_pads(4, 8, 2, 2) == ((2, 2), (0, 0))
    assert image_args.pad_amounts(2, 3, 1, None, None, 1, 5, 5) == [(1, 2), (1, 1)]
    assert image_args.crop_windows(4, 4, 1, 1, None, None, 2, 2) == [slice(1, 3), slice(1, 3)]
    with pytest.raises(ValueError, match="exactly two of top_padding"):
        image_args.pad_amounts(2, 3, 1, 1, 1, 1, 5, None)
    with pytest.raises(ValueError, match="does not fit"):
        image_args.crop_windows(4, 4, 3, 0, None, None, 2, 2)
    assert image_args.resize_target((3, 5.0)) == (3, 5)
    dims, shape, scales = image_args.resized_axes((1, 4, 4, 3), 8, 4)
    assert (dims, shape, scales) == ([1], (1, 8, 4, 3), [2.0])


def test_dtype_rules():
    assert dtype_rules.accumulation_dtype("int8") == "int32"
    assert dtype_rules.accumulation_dtype("float16") == "float16"
    assert dtype_rules.float_dtype("int32") == "float32"
    assert dtype_rules.wide_float_dtype("int64") == "float64"
    assert dtype_rules.float_dtype("complex64") == "complex64"
    assert dtype_rules.numeric_dtype("bool") == "int32"
    assert dtype_rules.compute_dtype("float16") == "float32"
    assert dtype_rules.float_pair_dtype("int32", "int32") == "float32"


def test_axes_and_array_args():
    assert axes.canonical_axes([-1, 0], 3) == (0, 2)
    assert axes.canonical_axes(-2, 3) == (1,)
    assert axes.axis_arg([0, 1]) == (0, 1)
    assert axes.sections(3) == 3 and axes.sections(np.array([1, 2])) == [1, 2]
    with pytest.raises(ValueError, match="pad: `mode` must be one of"):
        array_args.check_pad_args("bogus", None)
    with pytest.raises(ValueError, match="`constant_values` can only be given"):
        array_args.check_pad_args("edge", 1)


def test_shape_rules_and_signal_args():
    assert shape_rules.compatible((None, 3), (2, 3))
    assert not shape_rules.compatible((2, 3), (2,))
    with pytest.raises(ValueError, match="`target` and `output` must have the same shape"):
        shape_rules.check_same_shape("binary_crossentropy", (2, 3), (2, 4))
    with pytest.raises(ValueError, match="not supported by the jax backend"):
        shape_rules.check_no_sparse("one_hot", True, "jax")
    with pytest.raises(ValueError, match="`fft_length` must be >= `sequence_length`"):
        signal_args.check_lengths("stft", 8, 4)
