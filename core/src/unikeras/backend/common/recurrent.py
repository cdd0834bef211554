"""Which recurrent-layer arguments the engines' fused LSTM/GRU kernels compute exactly."""


def fused_semantics(activation, recurrent_activation, mask, unroll, reset_after=True):
    """Whether a fused LSTM/GRU kernel (cuDNN conventions) gives the generic loop's result.

    True for `tanh` / `sigmoid` activations, no mask, no unrolling and (GRU) `reset_after`.
    """
    from unikeras import activations  # the backends load before the activations module

    return (activation is activations.tanh and recurrent_activation is activations.sigmoid
            and mask is None and not unroll and reset_after)


def same_dtype(*tensors):
    """Whether the (non-`None`) tensors share one dtype, as a fused kernel requires (mixed
    dtypes go through the generic loop, which promotes them)."""
    return len({t.dtype for t in tensors if t is not None}) == 1
