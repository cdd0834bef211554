"""Fused recurrences: the LSTM and GRU layers run through torch's own `lstm`/`gru` kernels
(cuDNN on a GPU) when their arguments fit those kernels' semantics; right-padded masks (e.g.
from `Embedding(mask_zero=True)`) run as packed sequences."""

import torch
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

from unikeras.backend.common.recurrent import fused_semantics, same_dtype
from unikeras.backend.api import hookimpl
from unikeras_torch.convert import convert_to_tensor


def _right_padded_lengths(mask):
    """The row lengths of a mask that is True then False on every row (at least one True),
    or `None` for any other mask."""
    mask = convert_to_tensor(mask).to(torch.bool)
    lengths = mask.sum(1)
    steps = torch.arange(mask.shape[1], device=mask.device)
    if bool((lengths == 0).any()) or not torch.equal(mask, steps[None] < lengths[:, None]):
        return None
    return lengths


def _run_packed(kernel_fn, x, hx, weights, lengths):
    """The recurrence over the first `lengths[b]` steps of each row (a packed sequence):
    outputs zero past each row's end, states those at its last step."""
    packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
    hx = [h.index_select(1, packed.sorted_indices) for h in hx]
    data, *states = kernel_fn(
        packed.data,
        packed.batch_sizes,
        hx[0] if len(hx) == 1 else hx,
        weights,
        len(weights) == 4,
        1,
        0.0,
        False,
        False,
    )
    outputs, _ = pad_packed_sequence(
        PackedSequence(data, packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices),
        batch_first=True,
        total_length=x.shape[1],
    )
    return outputs, [s.index_select(1, packed.unsorted_indices) for s in states]


def _run(
    kernel_fn,
    inputs,
    initial_state,
    weights,
    mask,
    go_backwards,
    return_sequences,
    zero_output_for_mask,
):
    """Runs one single-layer, unidirectional, batch-first torch recurrence.

    `weights` are `[w_ih, w_hh, b_ih, b_hh]` (torch layout) or the first two without biases.
    Returns `(last_output, outputs or None, final states)` as the unikeras kernels do, or
    `None` inside `torch.compile` and for a mask the kernel cannot follow exactly (only
    right-padded masks are, going forwards, with masked steps repeating the last output).
    """
    if torch.compiler.is_compiling():
        # Inductor cannot compile the CPU (oneDNN) RNN kernel; the generic loop compiles.
        return None
    x = convert_to_tensor(inputs)
    hx = [convert_to_tensor(s).unsqueeze(0) for s in initial_state]
    if mask is not None:
        lengths = None if go_backwards or zero_output_for_mask else _right_padded_lengths(mask)
        if lengths is None:
            return None
        outputs, states = _run_packed(kernel_fn, x, hx, weights, lengths)
        if return_sequences:  # masked steps repeat the row's last output
            last = torch.minimum(
                torch.arange(x.shape[1], device=x.device)[None], (lengths - 1).to(x.device)[:, None]
            )
            outputs = torch.gather(outputs, 1, last[..., None].expand(-1, -1, outputs.shape[-1]))
    else:
        if go_backwards:
            x = torch.flip(x, (1,))
        outputs, *states = kernel_fn(
            x, hx[0] if len(hx) == 1 else hx, weights, len(weights) == 4, 1, 0.0, False, False, True
        )
    states = [s[0] for s in states]
    return states[0], outputs if return_sequences else None, states


def _operands(inputs, kernel, recurrent_kernel, bias):
    """The arguments as tensors, or None when their dtypes differ (the generic loop runs)."""
    tensors = [
        None if t is None else convert_to_tensor(t)
        for t in (inputs, kernel, recurrent_kernel, bias)
    ]
    return tensors if same_dtype(*tensors) else None


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
    if not fused_semantics(activation, recurrent_activation, None, unroll):
        return None
    operands = _operands(inputs, kernel, recurrent_kernel, bias)
    if operands is None:
        return None
    x, kernel, recurrent_kernel, bias = operands
    # torch's gate order i, f, g, o is Keras' i, f, c, o; it adds two biases.
    weights = [kernel.T, recurrent_kernel.T]
    if bias is not None:
        weights += [bias, torch.zeros_like(bias)]
    return _run(
        torch._VF.lstm,
        x,
        initial_state,
        weights,
        mask,
        go_backwards,
        return_sequences,
        zero_output_for_mask,
    )


def _gru_gates(weight):
    """Keras' gate order z, r, h (last axis) to torch's r, z, n (first axis)."""
    z, r, h = torch.chunk(weight, 3, dim=-1)
    return torch.cat([r, z, h], dim=-1).t()


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
    if not fused_semantics(activation, recurrent_activation, None, unroll, reset_after):
        return None
    operands = _operands(inputs, kernel, recurrent_kernel, bias)
    if operands is None:
        return None
    x, kernel, recurrent_kernel, bias = operands
    # torch's GRU is Keras' `reset_after=True` GRU: the reset gate scales the recurrent
    # projection plus its bias; bias row 0 is the input bias, row 1 the recurrent one.
    weights = [_gru_gates(kernel), _gru_gates(recurrent_kernel)]
    if bias is not None:
        weights += [_gru_gates(bias[0]), _gru_gates(bias[1])]
    return _run(
        torch._VF.gru,
        x,
        initial_state,
        weights,
        mask,
        go_backwards,
        return_sequences,
        zero_output_for_mask,
    )
