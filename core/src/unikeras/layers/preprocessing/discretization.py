"""`Discretization`: buckets continuous values by bin boundaries (given or `adapt`ed)."""

import numpy as np

from unikeras import ops
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.layers.layer import Layer
from unikeras.layers.preprocessing.category_encoding import (
    OUTPUT_MODES,
    check_numeric_input,
    check_output_mode,
    check_sparse,
    encode_categorical_inputs,
    encoded_shape,
)
from unikeras.layers.preprocessing.host_data import adapt_batches, to_host_array


class Discretization(Layer):
    """Maps each value to the index of the bin it falls in.

    `bin_boundaries=[0., 1., 2.]` makes the bins `(-inf, 0)`, `[0, 1)`, `[1, 2)` and
    `[2, inf)`. Runs with `unikeras.ops` only, so it works inside compiled models.

    Args:
        bin_boundaries: Sorted list of boundaries (then do not call `adapt`).
        num_bins: Number of bins whose boundaries `adapt` computes as approximate quantiles.
        epsilon: Error tolerance of the quantile summary `adapt` builds (Keras 3's).
        output_mode: `"int"` (bin indices, `int32`), `"one_hot"`, `"multi_hot"` or
            `"count"` (see `CategoryEncoding`).
        sparse: Only `False` is supported.

    Examples:
        >>> keras.layers.Discretization(bin_boundaries=[0.0, 1.0])(np.array([-0.5, 0.5, 1.5]))
        array([0, 1, 2], dtype=int32)
    """

    def __init__(
        self,
        bin_boundaries=None,
        num_bins=None,
        epsilon=0.01,
        output_mode="int",
        sparse=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        check_output_mode(self.name, output_mode, OUTPUT_MODES)
        check_sparse(self.name, sparse)
        if num_bins is not None and num_bins < 0:
            raise ValueError(
                f'Layer "{self.name}": `num_bins` must be >= 0. Received: num_bins={num_bins}'
            )
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                f'Layer "{self.name}": set `num_bins` or `bin_boundaries`, not '
                f"both. Received: num_bins={num_bins} and "
                f"bin_boundaries={bin_boundaries}"
            )
        if num_bins is None and bin_boundaries is None:
            raise ValueError(f'Layer "{self.name}": set either `num_bins` or `bin_boundaries`.')
        self.bin_boundaries = None if bin_boundaries is None else [float(b) for b in bin_boundaries]
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse

    @property
    def output_dtype(self):
        """The dtype of the output: `int32` for `output_mode="int"`, else the compute dtype."""
        return "int32" if self.output_mode == "int" else self.compute_dtype

    def adapt(self, data, steps=None):
        """Computes `num_bins - 1` boundaries from approximate quantiles of `data`.

        Args:
            data: A NumPy array or tensor, a `tf.data.Dataset` or an iterable (e.g. a list)
                of batches.
            steps: Optional number of batches to read from a dataset or iterable.
        """
        if self.num_bins is None:
            raise ValueError(
                f'Layer "{self.name}": cannot adapt a Discretization layer '
                "created with `bin_boundaries`; use `num_bins` instead."
            )
        summary = np.zeros((2, 0), dtype="float32")
        for batch in adapt_batches(data, steps, lists_are_data=False):
            values = to_host_array(batch).astype("float32")
            summary = _merge_summaries(_summarize(values, self.epsilon), summary, self.epsilon)
        if summary.shape[1] == 0:
            raise ValueError(f'Layer "{self.name}": `adapt()` received no data.')
        self.bin_boundaries = _compress_summary(summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def _convert_inputs(self, x):
        check_numeric_input(self, x)
        return super()._convert_inputs(x)

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError(
                f'Layer "{self.name}": pass `bin_boundaries` or call '
                "`adapt(data)` before using the layer."
            )
        boundaries = ops.convert_to_tensor(np.asarray(self.bin_boundaries, "float32"))
        indices = ops.digitize(ops.cast(inputs, "float32"), boundaries)
        return encode_categorical_inputs(
            indices, self.output_mode, len(self.bin_boundaries) + 1, self.output_dtype
        )

    def _depth(self):
        return len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self._depth())

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.output_dtype)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "bin_boundaries": self.bin_boundaries,
                "num_bins": self.num_bins,
                "epsilon": self.epsilon,
                "output_mode": self.output_mode,
                "sparse": self.sparse,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        boundaries = config.get("bin_boundaries")
        if config.get("num_bins") is not None:
            # An adapted layer stores both: `num_bins` is its argument, the boundaries its
            # state.
            config.pop("bin_boundaries", None)
        layer = super().from_config(config)
        layer.bin_boundaries = boundaries
        return layer


# --- the quantile summary of Keras 3's `Discretization.adapt` --------------------------------
# A summary is a (2, n) array: sorted sample values and the weight (count) each stands for.
def _summarize(values, epsilon):
    """About `1 / epsilon` evenly spaced order statistics of `values`, each weighing the
    number of values it stands for."""
    values = np.sort(values.reshape(-1))
    step = max(values.size * epsilon, 1)
    picked = values[int(step - 1) :: int(step)]
    return np.stack([picked, np.full(picked.shape, step, dtype=picked.dtype)])


def _merge_summaries(first, second, epsilon):
    merged = np.concatenate([first, second], axis=1)
    merged = merged[:, np.argsort(merged[0], kind="stable")]
    return _compress_summary(merged, epsilon)


def _compress_summary(summary, epsilon):
    """Resamples `summary` at the cumulative-weight fractions `epsilon, 2 epsilon, ..., 1`
    (linear interpolation), unless it is already that small."""
    if summary.shape[1] * epsilon < 1:
        return summary
    fractions = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    positions = cumulative / cumulative[-1]
    values = np.interp(fractions, positions, summary[0])
    weights = np.diff(np.interp(fractions, positions, cumulative), prepend=0.0)
    return np.stack([values, weights]).astype("float32")
