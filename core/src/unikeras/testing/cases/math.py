"""Conformance cases for the `math` op hooks."""

import numpy as np

from unikeras.testing.case import Case, rand

CASES = {}

_D = rand((6, 3), seed=1)
_IDS = np.array([0, 0, 1, 3, 3, 3], "int32")
_SORTED = dict(num_segments=4, sorted=True)


def _segment_cases():
    return [
        Case(_D, _IDS, id="2d"),
        Case(_D, _IDS, **_SORTED, id="sorted_num"),
        Case(
            rand((6,), "int32", seed=2, low=-9, high=9),
            np.array([2, 0, 2, 1, 0, 2], "int32"),
            num_segments=3,
            id="int_unsorted",
        ),
        Case(_D, np.array([0, -1, 1, 1, -1, 0], "int32"), num_segments=2, id="negative_ids"),
        Case(rand((4, 2, 2), seed=3), np.array([0, 1, 1, 2], "int32"), id="3d"),
    ]


for _name in ("segment_sum", "segment_max", "segment_min", "segment_prod"):
    CASES[_name] = _segment_cases()

_TIES = np.array([[1.0, 3.0, 3.0, 2.0, 3.0], [0.5, -1.0, 0.5, 2.0, 0.0]], "float32")
CASES["top_k"] = [
    Case(rand((3, 7), seed=4), 3, id="2d"),
    Case(_TIES, 2, id="ties_stable"),
    Case(rand((2, 2, 5), "int32", seed=5, low=-50, high=50), 5, id="int_all"),
    Case(rand((6,), seed=6), 1, id="1d"),
    Case(rand((3, 4), seed=7), 0, id="k0"),
]
CASES["in_top_k"] = [
    Case(np.array([1, 2, 0], "int32"), rand((3, 5), seed=8), 2, id="k2"),
    Case(np.array([1, 2], "int32"), _TIES, 1, id="ties"),
    Case(np.array([0, 4], "int32"), rand((2, 5), seed=9), 5, id="k_all"),
]
CASES["logsumexp"] = [
    Case(rand((3, 4), seed=10, low=-5, high=5), id="all"),
    Case(rand((3, 4), seed=11), axis=-1, keepdims=True, id="axis_keep"),
    Case(rand((2, 3, 4), seed=12), axis=(0, 2), id="tuple_axis"),
    Case(rand((3,), "int32", seed=13, low=-3, high=3), id="int"),
    Case(np.array([-np.inf, -np.inf], "float32"), id="all_neg_inf"),
    Case(rand((), seed=14), id="scalar"),
    Case(rand((0, 3)), axis=0, id="empty"),
]
CASES["cdist"] = [
    Case(rand((4, 3), seed=15), rand((5, 3), seed=16), id="2d"),
    Case(rand((2, 3, 2), seed=17), rand((2, 4, 2), seed=18), id="batch"),
    Case(rand((3, 2), "int32", seed=19, low=-3, high=3), rand((2, 2), "int32", seed=20), id="int"),
]
CASES["extract_sequences"] = [
    Case(rand((10,), seed=21), 4, 2, id="1d"),
    Case(rand((2, 3, 9), seed=22), 3, 3, id="batch"),
    Case(rand((2, 7), "int32", seed=23), 7, 1, id="one_frame"),
    Case(rand((5,), seed=24), 2, 4, id="stride_gt_len"),
]
_RE, _IM = rand((3, 8), seed=25), rand((3, 8), seed=26)
CASES["fft"] = [
    Case((_RE, _IM), id="2d"),
    Case((rand((5,), "float64", seed=27), rand((5,), "float64", seed=28)), id="f64_odd"),
]
CASES["fft2"] = [
    Case((rand((2, 4, 4), seed=29), rand((2, 4, 4), seed=30)), id="batch"),
    Case((rand((3, 5), seed=31), rand((3, 5), seed=32)), id="2d"),
]
CASES["ifft2"] = [
    Case((rand((2, 4, 4), seed=33), rand((2, 4, 4), seed=34)), id="batch"),
    Case((rand((3, 5), seed=35), rand((3, 5), seed=36)), id="2d"),
]
CASES["rfft"] = [
    Case(rand((3, 8), seed=37), id="even"),
    Case(rand((7,), seed=38), id="odd"),
    Case(rand((2, 8), seed=39), fft_length=5, id="crop"),
    Case(rand((2, 4), "float64", seed=40), fft_length=10, id="pad_f64"),
]
CASES["irfft"] = [
    Case((rand((3, 5), seed=41), rand((3, 5), seed=42)), id="default"),
    Case((rand((2, 4), seed=43), rand((2, 4), seed=44)), fft_length=7, id="odd_length"),
    Case((rand((4,), seed=45), rand((4,), seed=46)), fft_length=4, id="crop"),
]
_SIGNAL = rand((2, 40), seed=47)
CASES["stft"] = [
    Case(_SIGNAL, 8, 4, 8, id="hann", rtol=1e-4, atol=1e-5),
    Case(_SIGNAL, 6, 2, 8, window="hamming", center=False, id="hamming_pad", rtol=1e-4, atol=1e-5),
    Case(rand((30,), seed=48), 8, 3, 16, window=None, id="no_window", rtol=1e-4, atol=1e-5),
    Case(
        rand((25,), "float64", seed=49),
        5,
        2,
        8,
        window=rand((5,), "float64", seed=50),
        id="tensor_window_f64",
    ),
]
_SPEC = (rand((2, 9, 5), seed=51), rand((2, 9, 5), seed=52))
CASES["istft"] = [
    Case(_SPEC, 8, 4, 8, id="hann", rtol=1e-4, atol=1e-5),
    Case(
        _SPEC,
        6,
        2,
        8,
        length=20,
        window="hamming",
        center=False,
        id="hamming_length",
        rtol=1e-4,
        atol=1e-5,
    ),
    Case(_SPEC, 8, 2, 8, window=None, id="no_window", rtol=1e-4, atol=1e-5),
]
CASES["rsqrt"] = [
    Case(rand((3, 4), seed=53, low=0.1, high=4), id="f32"),
    Case(rand((5,), "int32", seed=54, low=1, high=9), id="int"),
    Case(rand((), "float64", seed=55, low=0.5, high=2), id="scalar_f64"),
    Case(rand((0,)), id="empty"),
]
_WIDE = rand((4, 5), seed=56, low=-3, high=3)
CASES["erf"] = [
    Case(_WIDE, id="f32"),
    Case(rand((4,), "int32", seed=57, low=-2, high=2), id="int"),
    Case(rand((), "float64", seed=58), id="scalar_f64"),
    Case(rand((0, 2)), id="empty"),
]
CASES["erfc"] = [
    Case(_WIDE, id="f32", rtol=1e-4),
    Case(rand((4,), "int32", seed=59), id="int"),
    Case(rand((3,), "float64", seed=60, low=0, high=6), id="tail_f64"),
]
CASES["erfinv"] = [
    Case(rand((4, 5), seed=61, low=-0.99, high=0.99), id="f32", rtol=1e-4),
    Case(np.array([-1.0, 0.0, 1.0, 0.999999], "float64"), id="edges_f64", rtol=1e-6),
    Case(np.array([0, 1, -1], "int32"), id="int"),
]
_SPD = rand((2, 3, 3), seed=62)
_SPD = _SPD @ np.swapaxes(_SPD, -1, -2) + 3 * np.eye(3, dtype="float32")
CASES["logdet"] = [
    Case(_SPD, id="batch", rtol=1e-4),
    Case(_SPD[0], id="2d", rtol=1e-4),
    Case(np.eye(2, dtype="float64") * 2, id="f64"),
]
CASES["gammainc"] = [
    Case(
        rand((3, 4), seed=63, low=0.1, high=5),
        rand((3, 4), seed=64, low=0, high=10),
        id="f32",
        rtol=1e-4,
        atol=1e-6,
    ),
    Case(
        rand((4,), "float64", seed=65, low=0.5, high=20),
        np.array([0.0, 1.0, 30.0, 1e3]),
        id="edges_f64",
        rtol=1e-6,
        atol=1e-10,
    ),
    Case(np.array([1, 2, 3], "int32"), np.array(2.0, "float32"), id="int_broadcast", rtol=1e-5),
]
CASES["view_as_complex"] = [
    Case(rand((3, 2), seed=66), id="f32"),
    Case(rand((2, 4, 2), "float64", seed=67), id="f64_batch"),
]
CASES["view_as_real"] = [
    Case(rand((3,), seed=68) + 1j * rand((3,), seed=69), id="c128"),
    Case((rand((2, 2), seed=70) + 1j * rand((2, 2), seed=71)).astype("complex64"), id="c64"),
]
