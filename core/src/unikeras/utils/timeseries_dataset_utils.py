"""`keras.utils.timeseries_dataset_from_array`: sliding windows over an array."""

import numpy as np

from unikeras.utils import dataset_utils


def _check(
    data, sequence_length, sequence_stride, sampling_rate, batch_size, start_index, end_index, fmt
):
    if start_index is not None:
        if start_index < 0:
            raise ValueError(
                f"`start_index` must be 0 or greater. Received: start_index={start_index}"
            )
        if start_index >= len(data):
            raise ValueError(
                "`start_index` must be lower than the length of the data. "
                f"Received: start_index={start_index}, for data of length "
                f"{len(data)}"
            )
    if end_index is not None:
        if start_index is not None and end_index <= start_index:
            raise ValueError(
                "`end_index` must be higher than `start_index`. Received: "
                f"start_index={start_index}, and end_index={end_index} "
            )
        if end_index >= len(data):
            raise ValueError(
                "`end_index` must be lower than the length of the data. "
                f"Received: end_index={end_index}, for data of length {len(data)}"
            )
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")
    for name, value in (
        ("sequence_length", sequence_length),
        ("sampling_rate", sampling_rate),
        ("sequence_stride", sequence_stride),
    ):
        if not isinstance(value, (int, np.integer)) or value <= 0:
            raise ValueError(f"`{name}` must be higher than 0. Received: {name}={value}")
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if value >= len(data):
            raise ValueError(
                f"`{name}` must be lower than the length of the data. Received: "
                f"{name}={value}, for data of length {len(data)}"
            )
    if batch_size is not None and (
        not isinstance(batch_size, (int, np.integer)) or batch_size <= 0
    ):
        raise ValueError(
            f"`batch_size` must be a positive int or None. Received: batch_size={batch_size}"
        )
    if fmt not in ("tf", "grain"):
        raise ValueError(f'`format` should be either "tf" or "grain". Received: format={fmt}')


def timeseries_dataset_from_array(
    data,
    targets,
    sequence_length,
    sequence_stride=1,
    sampling_rate=1,
    batch_size=128,
    shuffle=False,
    seed=None,
    start_index=None,
    end_index=None,
    format="tf",
):
    """Creates a dataset of sliding windows over a timeseries provided as array.

    Window `i` is `data[start_index + p_i + k * sampling_rate]` for `k < sequence_length`,
    where `p_i = i * sequence_stride`, and its target is `targets[start_index + p_i]`.

    Args:
        data: Array (or list) of timesteps, axis 0 being time.
        targets: Targets aligned with `data` (axis 0), or `None` for windows only.
        sequence_length: Length of each output sequence (in number of timesteps).
        sequence_stride: Period between successive windows' first timesteps.
        sampling_rate: Period between successive timesteps within a window.
        batch_size: Windows per batch (`None`: unbatched).
        shuffle: Whether to shuffle the windows.
        seed: Seed for the shuffling.
        start_index: First timestep used (inclusive).
        end_index: Last timestep used (exclusive).
        format: `"tf"`: a `tf.data.Dataset` when TensorFlow is installed, else a backend
            neutral `NumpyDataset` of NumPy batches; `"grain"`: a Grain dataset.

    Returns:
        A dataset yielding `(windows, targets)` batches, or `windows` when `targets` is None.
    """
    _check(
        data,
        sequence_length,
        sequence_stride,
        sampling_rate,
        batch_size,
        start_index,
        end_index,
        format,
    )
    if format == "grain":
        raise ImportError(
            "timeseries_dataset_from_array(format='grain') needs Grain: "
            "`pip install grain` (or use the default format='tf')."
        )
    start = 0 if start_index is None else start_index
    stop = len(data) if end_index is None else end_index
    num_seqs = stop - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        num_seqs = min(num_seqs, len(targets))
    positions = np.arange(0, max(num_seqs, 0), sequence_stride)
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(positions)
    offsets = np.arange(sequence_length) * sampling_rate

    if dataset_utils.tf_available():
        tf = dataset_utils.import_tf()
        index_dtype = "int32" if num_seqs < 2147483647 else "int64"
        windows = (positions[:, None] + offsets[None, :]).astype(index_dtype)
        data_slice = data[start:stop]
        dataset = tf.data.Dataset.from_tensor_slices(windows).map(
            lambda w: tf.gather(data_slice, w)
        )
        if targets is not None:
            target_slice = targets[start:stop]
            target_ds = tf.data.Dataset.from_tensor_slices(positions.astype(index_dtype)).map(
                lambda p: tf.gather(target_slice, p)
            )
            dataset = tf.data.Dataset.zip((dataset, target_ds))
        if batch_size is not None:
            if shuffle:
                dataset = dataset.shuffle(buffer_size=batch_size * 8, seed=seed)
            dataset = dataset.batch(batch_size)
        elif shuffle:
            dataset = dataset.shuffle(buffer_size=1024, seed=seed)
        return dataset.prefetch(tf.data.AUTOTUNE)

    data_slice = np.asarray(data[start:stop])
    target_slice = None if targets is None else np.asarray(targets[start:stop])

    def load(indices):
        chosen = positions[indices]
        windows = data_slice[chosen[:, None] + offsets[None, :]]
        if target_slice is None:
            return windows
        return windows, target_slice[chosen]

    # With `shuffle`, the windows are drawn in a new order (from `seed`) at every epoch, as
    # the tf.data dataset reshuffles at every iteration.
    return dataset_utils.NumpyDataset(
        len(positions), load, batch_size=batch_size, shuffle=shuffle, seed=seed
    )
