"""Fused recurrence: an LSTM layer called eagerly runs through TensorFlow's `BlockLSTM` kernel
(the whole sequence in one op, with its own gradient op) when its arguments fit the kernel's
semantics. Inside a graph (`fit`, `predict`, any `tf.function`) the layer takes the generic
`tf.while_loop` instead: its MatMuls are faster on CPU than `BlockLSTM` and its gradient
kernel, and XLA has no `BlockLSTM` kernel. GRUs always take the generic loop: TensorFlow's
GRU block op applies the reset gate before the recurrent matmul, which is not Keras' default
`reset_after=True`."""

import tensorflow as tf

from unikeras.backend.common.recurrent import fused_semantics
from unikeras.backend.api import hookimpl
from unikeras_tf.convert import convert_to_tensor


def _icfo(gates):
    """Keras' gate order i, f, c, o (last axis) to `BlockLSTM`'s i, c, f, o.

    (`BlockLSTMV2` takes Keras' order, but TensorFlow registers `BlockLSTM`'s gradient for
    it, which reads the gates in `BlockLSTM`'s order: its gradients are wrong.)"""
    i, f, c, o = tf.split(gates, 4, axis=-1)
    return tf.concat([i, c, f, o], axis=-1)


@hookimpl
def lstm(
    inputs,
    initial_state,
    kernel,
    recurrent_kernel,
    bias,
    mask,
    activation,
    recurrent_activation,
    go_backwards,
    return_sequences,
    unroll,
    zero_output_for_mask,
):
    if not tf.executing_eagerly() or not fused_semantics(
        activation, recurrent_activation, mask, unroll
    ):
        return None
    x = convert_to_tensor(inputs)
    tensors = [convert_to_tensor(t) for t in (kernel, recurrent_kernel, *initial_state)]
    if bias is not None:
        tensors.append(convert_to_tensor(bias))
    if x.dtype not in (tf.float32, tf.float16) or any(t.dtype != x.dtype for t in tensors):
        return None
    kernel, recurrent_kernel, h0, c0 = tensors[:4]
    units = recurrent_kernel.shape[0]
    no_peephole = tf.zeros((units,), x.dtype)
    x = tf.transpose(x, (1, 0, 2))  # the kernel is time major
    if go_backwards:
        x = tf.reverse(x, (0,))
    # No forget bias is added (Keras initializes it in `bias`) and a negative clip disables
    # clipping the cell state.
    _, cells, _, _, _, _, outputs = tf.raw_ops.BlockLSTM(
        seq_len_max=tf.cast(tf.shape(x)[0], tf.int64),
        x=x,
        cs_prev=c0,
        h_prev=h0,
        w=_icfo(tf.concat([kernel, recurrent_kernel], 0)),
        wci=no_peephole,
        wcf=no_peephole,
        wco=no_peephole,
        b=_icfo(tensors[4]) if bias is not None else tf.zeros((4 * units,), x.dtype),
        forget_bias=0.0,
        cell_clip=-1.0,
        use_peephole=False,
    )
    h = outputs[-1]
    sequences = tf.transpose(outputs, (1, 0, 2)) if return_sequences else None
    return h, sequences, [h, cells[-1]]
