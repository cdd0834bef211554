"""`KerasTensor`: a symbolic tensor (shape + dtype, no value) used to build functional models."""

from unikeras.backend import dtypes


_OPS = []  # [the `unikeras.ops` namespace], installed by `unikeras.ops` with `bind_ops`


def bind_ops(namespace):
    """Installs the op namespace that operators of `KerasTensor` and `Variable` call.

    `unikeras.ops` calls this when it is imported: the backend layer serves the layers above
    it and never imports them.

    Args:
        namespace: A module with Keras' op functions (`add`, `get_item`, ...).
    """
    _OPS[:] = [namespace]


def _ops():
    return _OPS[0]


class KerasTensor:
    """A symbolic tensor: a shape (with `None` for unknown dimensions) and a dtype.

    Calling ops or layers on KerasTensors infers output shapes and dtypes without computing
    anything, and records the graph a functional `Model` is built from.

    Args:
        shape: Tuple of ints or `None`.
        dtype: dtype name or object; `None` means `floatx()`.
        sparse: Whether the tensor is sparse.
        ragged: Whether the tensor is ragged.
        record_history: Whether ops called on it record graph nodes (as in Keras 3; kept
            as an attribute).
        name: Optional name.
    """

    __slots__ = (
        "shape",
        "dtype",
        "sparse",
        "ragged",
        "name",
        "record_history",
        "_keras_history",
        "_keras_mask",
    )

    def __init__(
        self, shape, dtype="float32", sparse=False, ragged=False, record_history=True, name=None
    ):
        shape = tuple(None if d is None else int(d) for d in shape)
        self.shape = shape
        self.dtype = dtypes.standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.name = name
        self.record_history = record_history
        self._keras_history = None
        self._keras_mask = None

    @property
    def ndim(self):
        """The number of axes."""
        return len(self.shape)

    def reshape(self, newshape):
        """Returns `keras.ops.reshape(self, newshape)`."""
        return _ops().reshape(self, newshape)

    def squeeze(self, axis=None):
        """Returns `keras.ops.squeeze(self, axis)`."""
        return _ops().squeeze(self, axis=axis)

    def astype(self, dtype):
        """Returns `keras.ops.cast(self, dtype)`."""
        return _ops().cast(self, dtype)

    @property
    def T(self):
        """The transposed tensor (`keras.ops.transpose(self)`)."""
        return _ops().transpose(self)

    def __repr__(self):
        return (
            f"<KerasTensor shape={self.shape}, dtype={self.dtype}, "
            f"sparse={self.sparse}, name={self.name}>"
        )

    def __iter__(self):
        raise NotImplementedError(
            "Iterating over a symbolic KerasTensor is not supported; index it instead."
        )

    def __bool__(self):
        raise TypeError("A symbolic KerasTensor cannot be used as a Python boolean.")

    def __len__(self):
        if not self.shape or self.shape[0] is None:
            raise TypeError(f"len() of a KerasTensor with unknown first dimension: {self.shape}")
        return self.shape[0]

    def __array__(self, *args, **kwargs):
        raise ValueError(
            "A KerasTensor is symbolic: it is a placeholder for a shape and dtype in a model "
            "being built and has no value. You cannot pass it to NumPy or an engine function; "
            "use `unikeras.ops` or layers on it instead."
        )

    # Arithmetic and comparisons delegate to unikeras.ops so they work symbolically.
    def __add__(self, other):
        return _ops().add(self, other)

    def __radd__(self, other):
        return _ops().add(other, self)

    def __sub__(self, other):
        return _ops().subtract(self, other)

    def __rsub__(self, other):
        return _ops().subtract(other, self)

    def __mul__(self, other):
        return _ops().multiply(self, other)

    def __rmul__(self, other):
        return _ops().multiply(other, self)

    def __truediv__(self, other):
        return _ops().true_divide(self, other)

    def __rtruediv__(self, other):
        return _ops().true_divide(other, self)

    def __floordiv__(self, other):
        return _ops().floor_divide(self, other)

    def __rfloordiv__(self, other):
        return _ops().floor_divide(other, self)

    def __mod__(self, other):
        return _ops().mod(self, other)

    def __rmod__(self, other):
        return _ops().mod(other, self)

    def __pow__(self, other):
        return _ops().power(self, other)

    def __rpow__(self, other):
        return _ops().power(other, self)

    def __matmul__(self, other):
        return _ops().matmul(self, other)

    def __rmatmul__(self, other):
        return _ops().matmul(other, self)

    def __neg__(self):
        return _ops().negative(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return _ops().absolute(self)

    def __invert__(self):
        return _ops().logical_not(self)

    def __and__(self, other):
        return _ops().logical_and(self, other)

    def __rand__(self, other):
        return _ops().logical_and(other, self)

    def __or__(self, other):
        return _ops().logical_or(self, other)

    def __ror__(self, other):
        return _ops().logical_or(other, self)

    def __xor__(self, other):
        return _ops().logical_xor(self, other)

    def __rxor__(self, other):
        return _ops().logical_xor(other, self)

    def __lt__(self, other):
        return _ops().less(self, other)

    def __le__(self, other):
        return _ops().less_equal(self, other)

    def __gt__(self, other):
        return _ops().greater(self, other)

    def __ge__(self, other):
        return _ops().greater_equal(self, other)

    def __ne__(self, other):
        return _ops().not_equal(self, other)

    def __getitem__(self, key):
        return _ops().get_item(self, key)

    # KerasTensors are graph nodes: identity equality keeps them hashable.
    __hash__ = object.__hash__


def is_keras_tensor(x):
    """Returns whether `x` is a symbolic `KerasTensor`.

    Args:
        x: Any object.

    Returns:
        A bool.
    """
    return isinstance(x, KerasTensor)
