"""Fused recurrence on TensorFlow.

With a GPU, LSTM and GRU layers whose arguments fit cuDNN (Keras 3's rule: tanh / sigmoid
activations, a bias, no unrolling, GRU `reset_after=True`, no mask; recurrent dropout keeps
the generic loop in training) run through cuDNN's `CudnnRNNV3` kernel, eagerly and inside
`tf.function`, but not inside an XLA-compiled function (XLA has no cuDNN RNN op; the TF trainer
keeps such models off XLA under `jit_compile="auto"`, as Keras 3 does). The weights are packed
into cuDNN's canonical parameter vector by `cudnn_lstm_params` / `cudnn_gru_params` (pure
array code, inverted by `lstm_weights_from_cudnn` / `gru_weights_from_cudnn`).

Without a GPU, an LSTM layer called eagerly runs through TensorFlow's `BlockLSTM` kernel
(the whole sequence in one op, with its own gradient op) when its arguments fit the kernel's
semantics. Inside a graph (`fit`, `predict`, any `tf.function`) the layer takes the generic
`tf.while_loop` instead: its MatMuls are faster on CPU than `BlockLSTM` and its gradient
kernel, and XLA has no `BlockLSTM` kernel. GRUs take the generic loop on CPU: TensorFlow's
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


def _gpu_available():
    """Whether TensorFlow sees a GPU (the cuDNN kernels run only there)."""
    if "gpu" not in _CACHE:
        _CACHE["gpu"] = bool(tf.config.list_logical_devices("GPU"))
    return _CACHE["gpu"]


_CACHE = {}


def _in_xla():
    """Whether the current graph is compiled by XLA (`tf.function(jit_compile=True)`)."""
    if tf.executing_eagerly():
        return False
    try:
        from tensorflow.python.ops import control_flow_util
    except ImportError:  # pragma: no cover - moved in a future TensorFlow: assume XLA
        return True
    return control_flow_util.GraphOrParentsInXlaContext(tf.compat.v1.get_default_graph())


def _flat_blocks(matrices, biases):
    """cuDNN's canonical parameter vector: each gate's weight matrix transposed to (units,
    inputs) and flattened row by row, all weights first, then the biases."""
    return tf.concat(
        [tf.reshape(tf.transpose(m), [-1]) for m in matrices]
        + [tf.reshape(b, [-1]) for b in biases],
        axis=0,
    )


def cudnn_lstm_params(kernel, recurrent_kernel, bias):
    """Keras LSTM weights as cuDNN's parameter vector (`CudnnRNNV3`, `rnn_mode="lstm"`).

    Args:
        kernel: `(inputs, 4 * units)`, gates i, f, c, o (cuDNN's order too).
        recurrent_kernel: `(units, 4 * units)`.
        bias: `(4 * units,)`; cuDNN adds an input and a recurrent bias per gate: the input
            biases are zeros and the recurrent ones Keras' bias.

    Returns:
        A 1-D tensor: the 4 input then 4 recurrent gate matrices, each `(units, inputs or
        units)` row-major, then the 4 input and 4 recurrent gate biases.
    """
    matrices = tf.split(kernel, 4, axis=1) + tf.split(recurrent_kernel, 4, axis=1)
    biases = tf.split(tf.zeros_like(bias), 4) + tf.split(bias, 4)
    return _flat_blocks(matrices, biases)


def lstm_weights_from_cudnn(params, inputs, units):
    """The inverse of `cudnn_lstm_params`: `(kernel, recurrent_kernel, bias)` in Keras'
    layout (the bias is the sum of cuDNN's input and recurrent biases)."""
    kernel, recurrent, biases = _unflatten(params, inputs, units, 4)
    return kernel, recurrent, tf.concat(biases[:4], 0) + tf.concat(biases[4:], 0)


def _swap_rz(gates):
    """Keras' GRU gate order z, r, h <-> cuDNN's r, z, h (a list of per-gate blocks)."""
    return [gates[1], gates[0], gates[2]]


def cudnn_gru_params(kernel, recurrent_kernel, bias):
    """Keras GRU weights (`reset_after=True`) as cuDNN's parameter vector (`rnn_mode="gru"`).

    Args:
        kernel: `(inputs, 3 * units)`, gates z, r, h (cuDNN orders them r, z, h).
        recurrent_kernel: `(units, 3 * units)`.
        bias: `(2, 3 * units)`: the input biases, then the recurrent ones.

    Returns:
        A 1-D tensor: the 3 input then 3 recurrent gate matrices (order r, z, h), each
        `(units, inputs or units)` row-major, then the 3 input and 3 recurrent gate biases.
    """
    matrices = _swap_rz(tf.split(kernel, 3, axis=1)) + _swap_rz(
        tf.split(recurrent_kernel, 3, axis=1)
    )
    biases = _swap_rz(tf.split(bias[0], 3)) + _swap_rz(tf.split(bias[1], 3))
    return _flat_blocks(matrices, biases)


def gru_weights_from_cudnn(params, inputs, units):
    """The inverse of `cudnn_gru_params`: `(kernel, recurrent_kernel, bias)` in Keras'
    layout (`bias` of shape `(2, 3 * units)`)."""
    kernel, recurrent, biases = _unflatten(params, inputs, units, 3)
    kernel = tf.concat(_swap_rz(tf.split(kernel, 3, axis=1)), 1)
    recurrent = tf.concat(_swap_rz(tf.split(recurrent, 3, axis=1)), 1)
    bias = tf.stack([tf.concat(_swap_rz(biases[:3]), 0), tf.concat(_swap_rz(biases[3:]), 0)])
    return kernel, recurrent, bias


def _unflatten(params, inputs, units, gates):
    """The gate blocks of a cuDNN parameter vector: `(kernel, recurrent_kernel)` with the
    gates concatenated in the vector's order (Keras' `(inputs, gates * units)` layout) and
    the list of the `2 * gates` bias blocks."""
    sizes = [units * inputs] * gates + [units * units] * gates + [units] * (2 * gates)
    blocks = tf.split(params, sizes)
    kernel = tf.concat([tf.transpose(tf.reshape(b, (units, inputs))) for b in blocks[:gates]], 1)
    recurrent = tf.concat(
        [tf.transpose(tf.reshape(b, (units, units))) for b in blocks[gates : 2 * gates]], 1
    )
    return kernel, recurrent, list(blocks[2 * gates :])


def _cudnn_operands(inputs, initial_state, kernel, recurrent_kernel, bias, go_backwards):
    """Time-major inputs (reversed with `go_backwards`), the states with cuDNN's layer axis,
    the tensors of the weights, or None when their dtypes do not suit cuDNN."""
    x = convert_to_tensor(inputs)
    weights = [convert_to_tensor(t) for t in (kernel, recurrent_kernel, bias)]
    states = [convert_to_tensor(s) for s in initial_state]
    if x.dtype not in (tf.float16, tf.float32, tf.float64):
        return None
    if any(t.dtype != x.dtype for t in weights + states):
        return None
    x = tf.transpose(x, (1, 0, 2))
    if go_backwards:  # cuDNN's outputs are then in processing order, as Keras returns them
        x = tf.reverse(x, (0,))
    return x, [s[None] for s in states], weights


def _cudnn_run(x, h0, c0, params, mode, return_sequences):
    """One `CudnnRNNV3` call over time-major `x`; `(last, sequences or None, h, c)`."""
    batch, steps = tf.shape(x)[1], tf.shape(x)[0]
    outputs, h, c, _, _ = tf.raw_ops.CudnnRNNV3(
        input=x,
        input_h=h0,
        input_c=c0,
        params=params,
        sequence_lengths=tf.fill([batch], steps),
        rnn_mode=mode,
        is_training=True,
        time_major=True,
    )
    h = h[0]
    sequences = tf.transpose(outputs, (1, 0, 2)) if return_sequences else None
    return h, sequences, h, c


def _cudnn_ok(activation, recurrent_activation, mask, unroll, bias, reset_after=True):
    return (
        bias is not None
        and _gpu_available()
        and not _in_xla()
        and fused_semantics(activation, recurrent_activation, mask, unroll, reset_after)
    )


@hookimpl
def gru(
    inputs,
    initial_state,
    kernel,
    recurrent_kernel,
    bias,
    mask,
    activation,
    recurrent_activation,
    reset_after,
    go_backwards,
    return_sequences,
    unroll,
    zero_output_for_mask,
):
    if not _cudnn_ok(activation, recurrent_activation, mask, unroll, bias, reset_after):
        return None
    operands = _cudnn_operands(inputs, initial_state, kernel, recurrent_kernel, bias, go_backwards)
    if operands is None:
        return None
    x, (h0,), (kernel, recurrent_kernel, bias) = operands
    params = cudnn_gru_params(kernel, recurrent_kernel, bias)
    last, sequences, h, _ = _cudnn_run(
        x, h0, tf.zeros((), x.dtype), params, "gru", return_sequences
    )
    return last, sequences, [h]


#: The GRU hook fuses only with a GPU (cuDNN); tests read this to know it declines here.
gru.fused_available = _gpu_available


def _cudnn_lstm(inputs, initial_state, kernel, recurrent_kernel, bias, go_backwards, sequences):
    operands = _cudnn_operands(inputs, initial_state, kernel, recurrent_kernel, bias, go_backwards)
    if operands is None:
        return None
    x, (h0, c0), (kernel, recurrent_kernel, bias) = operands
    params = cudnn_lstm_params(kernel, recurrent_kernel, bias)
    last, outputs, h, c = _cudnn_run(x, h0, c0, params, "lstm", sequences)
    return last, outputs, [h, c[0]]


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
    if _cudnn_ok(activation, recurrent_activation, mask, unroll, bias):
        return _cudnn_lstm(
            inputs, initial_state, kernel, recurrent_kernel, bias, go_backwards, return_sequences
        )
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
