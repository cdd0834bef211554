"""`keras.utils.audio_dataset_from_directory`."""

import wave

import numpy as np

from unikeras.utils import dataset_utils

ALLOWED_FORMATS = (".wav",)


def read_wav(path, output_sequence_length=None):
    """Decodes a PCM `.wav` file to float32 `(samples, channels)` in `[-1, 1)` and its rate.

    As `tf.audio.decode_wav`: 16-bit samples are divided by 32768; with
    `output_sequence_length` the audio is truncated or zero-padded to that many samples.
    """
    with wave.open(path, "rb") as handle:
        channels = handle.getnchannels()
        width = handle.getsampwidth()
        rate = handle.getframerate()
        frames = handle.readframes(handle.getnframes())
    if width == 2:
        audio = np.frombuffer(frames, dtype="<i2").astype("float32") / 32768.0
    elif width == 1:
        audio = (np.frombuffer(frames, dtype="uint8").astype("float32") - 128.0) / 128.0
    elif width == 4:
        audio = np.frombuffer(frames, dtype="<i4").astype("float32") / 2147483648.0
    else:
        raise ValueError(
            f"audio_dataset_from_directory: unsupported sample width {width} bytes "
            f"in {path!r} (expected 8-, 16- or 32-bit PCM)."
        )
    audio = audio.reshape(-1, channels)
    if output_sequence_length is not None:
        out = np.zeros((output_sequence_length, channels), dtype="float32")
        kept = audio[:output_sequence_length]
        out[: len(kept)] = kept
        audio = out
    return audio, rate


def _pad_stack(clips):
    longest = max(len(c) for c in clips)
    out = np.zeros((len(clips), longest, clips[0].shape[1]), dtype="float32")
    for i, clip in enumerate(clips):
        out[i, : len(clip)] = clip
    return out


def audio_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    batch_size=32,
    sampling_rate=None,
    output_sequence_length=None,
    ragged=False,
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    follow_links=False,
    verbose=True,
):
    """Generates a dataset of audio clips from the `.wav` files in a directory.

    Batches are float32 `(batch_size, samples, channels)`: clips are padded with zeros to the
    longest clip of the batch, or truncated/padded to `output_sequence_length`.

    Args:
        directory: Folder of the `.wav` files (one subfolder per class with
            `labels="inferred"`).
        labels: `"inferred"`, `None` or a list/tuple of integer labels.
        label_mode: `"int"`, `"categorical"`, `"binary"` or `None`.
        class_names: With `labels="inferred"`, the subfolders to use, in label order.
        batch_size: Batch size (`None`: unbatched clips).
        sampling_rate: Resample the audio to this rate (needs `tensorflow-io`).
        output_sequence_length: Length every clip is truncated or padded to.
        ragged: Whether to return ragged batches (TensorFlow only).
        shuffle: Whether to shuffle the files (and the elements at each epoch).
        seed: Seed of the shuffling and of the validation split.
        validation_split: Fraction of the files kept for validation.
        subset: `"training"`, `"validation"` or `"both"`.
        follow_links: Whether to follow symlinks to subfolders.
        verbose: Whether to print the number of files and classes found.

    Returns:
        A `tf.data.Dataset` when TensorFlow is installed, else a backend-neutral
        `NumpyDataset`, yielding `(audio, labels)` (or `audio`), with `class_names` and
        `file_paths` attributes.
    """
    if ragged and output_sequence_length is not None:
        raise ValueError("Cannot set both `ragged` and `output_sequence_length`")
    if sampling_rate is not None:
        if not isinstance(sampling_rate, int):
            raise ValueError(
                "`sampling_rate` should have an integer value. Received: "
                f"sampling_rate={sampling_rate}"
            )
        if sampling_rate <= 0:
            raise ValueError(
                f"`sampling_rate` should be higher than 0. Received: sampling_rate={sampling_rate}"
            )
        raise ImportError(
            "To use the argument `sampling_rate`, you should install "
            "tensorflow_io. You can install it via `pip install tensorflow-io`."
        )
    use_tf = dataset_utils.tf_available()
    if ragged and not use_tf:
        raise ValueError(
            "audio_dataset_from_directory: `ragged=True` needs TensorFlow "
            "(ragged tensors); without it, pad with `output_sequence_length` or "
            "leave `ragged=False` (clips padded to the longest of each batch)."
        )

    def read(path):
        return read_wav(path, output_sequence_length)[0]

    def make(paths, part_labels, label_mode, class_names):
        num_classes = len(class_names) if class_names else 0
        if use_tf:
            tf = dataset_utils.import_tf()

            def read_tf(path):
                audio, _ = tf.audio.decode_wav(
                    tf.io.read_file(path), desired_samples=output_sequence_length or -1
                )
                return audio

            dataset = dataset_utils.tf_directory_dataset(
                paths,
                part_labels,
                label_mode,
                num_classes,
                read_tf,
                None if ragged else batch_size,
                shuffle,
                seed,
                class_names,
                padded=output_sequence_length is None,
            )
            if ragged and batch_size is not None:
                dataset = dataset.ragged_batch(batch_size)
                dataset.class_names = class_names
                dataset.file_paths = list(paths)
            return dataset
        return dataset_utils.directory_dataset(
            paths,
            part_labels,
            label_mode,
            num_classes,
            read,
            batch_size,
            shuffle,
            seed,
            class_names,
            stack=_pad_stack,
        )

    return dataset_utils.build_directory_datasets(
        directory,
        labels,
        label_mode,
        class_names,
        ALLOWED_FORMATS,
        batch_size,
        shuffle,
        seed,
        validation_split,
        subset,
        follow_links,
        verbose,
        make,
        "audio files",
    )
