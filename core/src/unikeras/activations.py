"""`keras.activations`: element-wise activation functions, by object or by name."""

from unikeras import ops
from unikeras.saving import serialization


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit with optional leak, cap and threshold.

    Returns `x` for `threshold <= x < max_value`, `max_value` above it, and
    `negative_slope * (x - threshold)` below `threshold`.
    """
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return ops.relu(x)
    x = ops.convert_to_tensor(x)
    negative = ops.multiply(negative_slope, ops.subtract(x, threshold))
    positive = ops.where(ops.greater_equal(x, threshold), x, ops.zeros_like(x))
    if max_value is not None:
        positive = ops.minimum(positive, max_value)
    if negative_slope:
        return ops.where(ops.greater_equal(x, threshold), positive, negative)
    return positive


def linear(x):
    """Identity: returns `x` unchanged."""
    return x


def exponential(x):
    """`exp(x)`."""
    return ops.exp(x)


def mish(x):
    """`x * tanh(softplus(x))`."""
    return ops.multiply(x, ops.tanh(ops.softplus(x)))


def softmax(x, axis=-1):
    """Softmax over `axis`."""
    return ops.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    """Log of the softmax over `axis`."""
    return ops.log_softmax(x, axis=axis)


def elu(x, alpha=1.0):
    """Exponential linear unit."""
    return ops.elu(x, alpha=alpha)


def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU: `x` if positive else `negative_slope * x`."""
    return ops.leaky_relu(x, negative_slope=negative_slope)


def gelu(x, approximate=False):
    """Gaussian error linear unit (`approximate=True` uses the tanh formula)."""
    return ops.gelu(x, approximate=approximate)


def celu(x, alpha=1.0):
    """Continuously differentiable ELU."""
    return ops.celu(x, alpha=alpha)


def glu(x, axis=-1):
    """Gated linear unit: splits `axis` in halves `a, b` and returns `a * sigmoid(b)`."""
    return ops.glu(x, axis=axis)


def _unary(op_name, doc):
    def activation(x):
        return getattr(ops, op_name)(x)

    activation.__name__ = activation.__qualname__ = op_name
    activation.__doc__ = doc
    return activation


sigmoid = _unary("sigmoid", "`1 / (1 + exp(-x))`.")
tanh = _unary("tanh", "Hyperbolic tangent.")
softplus = _unary("softplus", "`log(exp(x) + 1)`.")
softsign = _unary("softsign", "`x / (|x| + 1)`.")
selu = _unary("selu", "Scaled exponential linear unit.")
silu = _unary("silu", "`x * sigmoid(x)`.")
relu6 = _unary("relu6", "`min(max(x, 0), 6)`.")
hard_sigmoid = _unary("hard_sigmoid", "Piecewise linear approximation of sigmoid.")
hard_silu = _unary("hard_silu", "`x * hard_sigmoid(x)`.")
log_sigmoid = _unary("log_sigmoid", "`log(sigmoid(x))`, computed stably.")
hard_tanh = _unary("hard_tanh", "`clip(x, -1, 1)`.")
tanh_shrink = _unary("tanh_shrink", "`x - tanh(x)`.")
sparse_plus = _unary("sparse_plus", "Sparse plus: 0, `(x + 1)**2 / 4`, or `x`.")
sparse_sigmoid = _unary(
    "sparse_sigmoid", "Sparse sigmoid: 0 for `x <= -1`, `(x + 1) / 2` inside, 1 for `x >= 1`."
)
swish = silu
hard_swish = hard_silu


def hard_shrink(x, threshold=0.5):
    """`x` where `|x| > threshold`, else 0."""
    return ops.hard_shrink(x, threshold=threshold)


def soft_shrink(x, threshold=0.5):
    """Shrinks `x` towards 0 by `threshold`, zero inside `[-threshold, threshold]`."""
    return ops.soft_shrink(x, threshold=threshold)


def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, else `default_value`."""
    return ops.threshold(x, threshold, default_value)


def squareplus(x, b=4):
    """`(x + sqrt(x**2 + b)) / 2`."""
    return ops.squareplus(x, b=b)


def sparsemax(x, axis=-1):
    """Sparsemax: the Euclidean projection of `x` onto the probability simplex."""
    return ops.sparsemax(x, axis=axis)


_ALL = {
    fn.__name__: fn
    for fn in (
        relu,
        linear,
        exponential,
        mish,
        softmax,
        log_softmax,
        elu,
        leaky_relu,
        gelu,
        celu,
        glu,
        sigmoid,
        tanh,
        softplus,
        softsign,
        selu,
        silu,
        relu6,
        hard_sigmoid,
        hard_silu,
        log_sigmoid,
        hard_tanh,
        tanh_shrink,
        sparse_plus,
        sparse_sigmoid,
        hard_shrink,
        soft_shrink,
        threshold,
        squareplus,
        sparsemax,
    )
}
_ALL.update({"swish": silu, "hard_swish": hard_silu})


def get(identifier):
    """Returns an activation function from a name, a serialized config, a callable or `None`
    (`None` gives `linear`)."""
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        if identifier not in _ALL:
            raise ValueError(
                f"Unknown activation function: {identifier!r}. Expected one of {sorted(_ALL)}."
            )
        return _ALL[identifier]
    if isinstance(identifier, dict):
        return serialization.deserialize_keras_object(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation function identifier: {identifier!r}")


def serialize(activation):
    """Returns the name of a built-in activation, else its serialized config."""
    name = getattr(activation, "__name__", None)
    if name in _ALL and _ALL[name] is activation:
        return name
    return serialization.serialize_keras_object(activation)


def deserialize(config, custom_objects=None):
    """Returns the activation for a name or config."""
    if isinstance(config, str) and not (custom_objects and config in custom_objects):
        return get(config)
    return serialization.deserialize_keras_object(config, custom_objects)
