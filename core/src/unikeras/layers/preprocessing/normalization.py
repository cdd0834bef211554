"""`Normalization`: shifts and scales features with a fixed or `adapt`ed mean and variance."""

import math

import numpy as np

from unikeras import ops
from unikeras.backend.config import epsilon as fuzz_factor
from unikeras.layers.layer import Layer


class Normalization(Layer):
    """`(x - mean) / sqrt(variance)` (or the inverse with `invert=True`).

    The statistics have one value per index of the kept `axis` (broadcast over the other
    axes); they are given as `mean`/`variance` or computed by `adapt(data)`.

    Args:
        axis: int, tuple of ints or `None`: the axes that keep separate statistics
            (`None`: one scalar mean and variance).
        mean: Optional fixed mean (given together with `variance`), broadcastable to the
            kept axes; `None`: computed by `adapt`.
        variance: Optional fixed variance (given together with `mean`), broadcastable to
            the kept axes; `None`: computed by `adapt`.
        invert: Whether to map normalized values back: `x * sqrt(variance) + mean`.

    Examples:
        >>> layer = keras.layers.Normalization()
        >>> layer.adapt(np.array([[1.0], [2.0], [3.0]], 'float32'))
        >>> np.round(np.asarray(layer(np.array([[2.0], [4.0]], 'float32'))), 4)
        array([[0.    ],
               [2.4495]], dtype=float32)
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        else:
            axis = tuple(axis)
        self.axis = axis
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True
        if (mean is None) != (variance is None):
            raise ValueError(
                f'Layer "{self.name}": when setting values directly, both `mean` and '
                f"`variance` must be set. Received: mean={mean} and variance={variance}"
            )

    def build(self, input_shape):
        if input_shape is None:
            return
        ndim = len(input_shape)
        self._build_input_shape = tuple(input_shape)
        if any(not -ndim <= a < ndim for a in self.axis):
            raise ValueError(
                f'Layer "{self.name}": all `axis` values must be in the range [-ndim, ndim). '
                f"Received inputs with ndim={ndim}, while axis={self.axis}"
            )
        self._keep_axis = tuple(sorted(a % ndim for a in self.axis))
        for a in self._keep_axis:
            if input_shape[a] is None:
                raise ValueError(
                    f'Layer "{self.name}": all `axis` values to be kept must have a known '
                    f"shape. Received axis={self.axis}, inputs.shape={tuple(input_shape)}, "
                    f"with unknown axis at index {a}"
                )
        self._reduce_axis = tuple(a for a in range(ndim) if a not in self._keep_axis)
        self._broadcast_shape = tuple(
            input_shape[a] if a in self._keep_axis else 1 for a in range(ndim)
        )
        shape = tuple(input_shape[a] for a in self._keep_axis)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(
                shape=shape, initializer="zeros", trainable=False, name="mean"
            )
            self.adapt_variance = self.add_weight(
                shape=shape, initializer="ones", trainable=False, name="variance"
            )
            self.count = self.add_weight(
                shape=(), dtype="int", initializer="zeros", trainable=False, name="count"
            )
        self.built = True

    @property
    def mean(self):
        """The mean, broadcastable to the inputs (`None` before `build`)."""
        return self._statistic(self.input_mean, "adapt_mean")

    @property
    def variance(self):
        """The variance, broadcastable to the inputs (`None` before `build`)."""
        return self._statistic(self.input_variance, "adapt_variance")

    def _statistic(self, given, adapted_name):
        if not self.built:
            return None
        value = getattr(self, adapted_name) if given is None else given
        value = ops.convert_to_tensor(value)
        if given is None:
            value = ops.reshape(value, self._broadcast_shape)
        else:
            value = ops.broadcast_to(value, self._broadcast_shape)
        return ops.cast(value, self.compute_dtype)

    def adapt(self, data):
        """Computes the mean and variance of `data` over all axes but `axis`.

        Args:
            data: A NumPy array or tensor, or an iterable of such batches (statistics are
                then combined across batches).
        """
        batches = [data] if hasattr(data, "shape") else data
        total_mean = total_var = None
        total_count = 0
        for batch in batches:
            batch = np.asarray(ops.convert_to_numpy(batch), dtype="float64")
            self._check_adapt_shape(batch.shape)
            batch_mean = batch.mean(axis=self._reduce_axis)
            batch_var = batch.var(axis=self._reduce_axis)
            batch_count = math.prod(batch.shape[a] for a in self._reduce_axis)
            if total_mean is None:
                total_mean, total_var, total_count = batch_mean, batch_var, batch_count
                continue
            # Pooled variance: within-batch variances plus the spread of the batch means.
            total_count += batch_count
            weight = batch_count / total_count
            new_mean = total_mean * (1 - weight) + batch_mean * weight
            total_var = (total_var + (total_mean - new_mean) ** 2) * (1 - weight) + (
                batch_var + (batch_mean - new_mean) ** 2
            ) * weight
            total_mean = new_mean
        if total_mean is None:
            raise ValueError(f'Layer "{self.name}": `adapt()` received no data.')
        self.adapt_mean.assign(total_mean.astype(self.adapt_mean.dtype))
        self.adapt_variance.assign(total_var.astype(self.adapt_variance.dtype))

    def _check_adapt_shape(self, shape):
        if not self.built:
            self.build(shape)
            self._build_shapes = tuple(shape)
            return
        expected = self._build_input_shape
        for a in self._keep_axis:
            if len(shape) != len(expected) or shape[a] != expected[a]:
                raise ValueError(
                    f'Layer "{self.name}": the layer was built with input_shape={expected}, '
                    f"but adapt() is being called with data with an incompatible shape, "
                    f"data.shape={shape}"
                )
        if self.input_mean is not None:
            raise ValueError(
                f'Layer "{self.name}": cannot adapt a layer created with fixed '
                "`mean` and `variance`."
            )

    def call(self, inputs):
        inputs = ops.cast(inputs, self.compute_dtype)
        std = ops.maximum(ops.sqrt(self.variance), fuzz_factor())
        if self.invert:
            return ops.add(self.mean, ops.multiply(inputs, std))
        return ops.divide(ops.subtract(inputs, self.mean), std)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "axis": self.axis,
                "invert": self.invert,
                "mean": np.array(self.input_mean).tolist(),
                "variance": np.array(self.input_variance).tolist(),
            }
        )
        return config
