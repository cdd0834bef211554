"""Which recurrent-layer arguments the engines' fused LSTM/GRU kernels compute exactly."""

import sys


def fused_semantics(activation, recurrent_activation, mask, unroll, reset_after=True):
    """Whether a fused LSTM/GRU kernel (cuDNN conventions) gives the generic loop's result.

    True for `tanh` / `sigmoid` activations, no mask, no unrolling and (GRU) `reset_after`.
    """
    # The activations module sits above the backend: look it up instead of importing it
    # (the layers that call this have loaded it).
    activations = sys.modules.get("unikeras.activations")
    return (
        activations is not None
        and activation is activations.tanh
        and recurrent_activation is activations.sigmoid
        and mask is None
        and not unroll
        and reset_after
    )


def same_dtype(*tensors):
    """Whether the (non-`None`) tensors share one dtype, as a fused kernel requires (mixed
    dtypes go through the generic loop, which promotes them)."""
    return len({t.dtype for t in tensors if t is not None}) == 1
