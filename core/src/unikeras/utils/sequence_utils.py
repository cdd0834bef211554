"""`keras.utils.pad_sequences`: pad/truncate a list of sequences to one length."""

import numpy as np


def pad_sequences(
    sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0
):
    """Pads sequences to the same length.

    Turns a list of `num_samples` sequences (lists of values, or of equally shaped arrays) into
    an array of shape `(num_samples, maxlen) + sample_shape`. Sequences longer than `maxlen`
    are truncated; shorter ones are padded with `value`.

    Args:
        sequences: List of sequences.
        maxlen: Maximum length (default: the longest sequence's length).
        dtype: Dtype of the output (`object` or a string dtype for string sequences).
        padding: `"pre"` or `"post"`: pad before or after each sequence.
        truncating: `"pre"` or `"post"`: drop values from the start or the end of sequences
            longer than `maxlen`.
        value: The padding value (a float or a string).

    Returns:
        A NumPy array of shape `(len(sequences), maxlen) + sample_shape`.
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable.")
    num_samples = len(sequences)
    lengths = []
    sample_shape = ()
    found_sample_shape = False
    for seq in sequences:
        try:
            lengths.append(len(seq))
        except TypeError as error:
            raise ValueError(
                f"`sequences` must be a list of iterables. Found non-iterable: {seq!r}"
            ) from error
        if not found_sample_shape and len(seq):
            sample_shape = np.asarray(seq).shape[1:]
            found_sample_shape = True
    if maxlen is None:
        maxlen = max(lengths) if lengths else 0
    if padding not in ("pre", "post"):
        raise ValueError(f'Padding type "{padding}" not understood')
    if truncating not in ("pre", "post"):
        raise ValueError(f'Truncating type "{truncating}" not understood')

    is_dtype_str = np.issubdtype(np.dtype(dtype), np.str_) or np.dtype(dtype) == np.object_
    if isinstance(value, str) and dtype is not object and not is_dtype_str:
        raise ValueError(
            f"`dtype` {dtype} is not compatible with `value`'s type: "
            f"{type(value)}\nYou should set `dtype=object` for variable length "
            "strings."
        )

    out = np.full((num_samples, maxlen) + sample_shape, value, dtype=dtype)
    for index, seq in enumerate(sequences):
        if not len(seq) or maxlen == 0:
            continue
        kept = seq[-maxlen:] if truncating == "pre" else seq[:maxlen]
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != sample_shape:
            raise ValueError(
                f"Shape of sample {kept.shape[1:]} of sequence at position {index} "
                f"is different from expected shape {sample_shape}"
            )
        if padding == "post":
            out[index, : len(kept)] = kept
        else:
            out[index, -len(kept) :] = kept
    return out
