"""`keras.activations`: element-wise activation functions, by object or by name."""

from unikeras import ops
from unikeras.saving import serialization


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit with optional leak, cap and threshold.

    Gives `x` for `threshold < x < max_value` (`0` for `x <= threshold`), `max_value` above
    it, and adds `negative_slope * (x - threshold)` below `threshold`; with a `max_value`
    the kept part is clipped to `[0, max_value]`, as in Keras 3.

    Args:
        x: Input tensor.
        negative_slope: Slope below `threshold`; the default `0.0` gives zero there.
        max_value: Upper cap of the output; `None` (default) means no cap.
        threshold: Value below which the output is `negative_slope * (x - threshold)`
            (default `0.0`).

    Returns:
        A tensor of the same shape and dtype as `x`.

    Examples:
        >>> keras.activations.relu(np.array([-2.0, 0.5, 8.0]), max_value=6.0)
        array([0. , 0.5, 6. ]...)
    """
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return ops.relu(x)
    x = ops.convert_to_tensor(x)
    # Keras 3 keeps x only strictly above the threshold: relu([5.0], threshold=5.0) is 0.
    positive = ops.where(ops.greater(x, threshold), x, ops.zeros_like(x))
    if max_value is not None:
        positive = ops.clip(positive, 0.0, max_value)
    if negative_slope:
        below = ops.relu(ops.subtract(threshold, x))
        return ops.subtract(positive, ops.multiply(negative_slope, below))
    return positive


def linear(x):
    """Identity: returns `x` unchanged.

    Args:
        x: Input tensor.

    Returns:
        `x` itself.
    """
    return x


def exponential(x):
    """Exponential activation: `exp(x)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.exp(x)


def mish(x):
    """Mish activation: `x * tanh(softplus(x))`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.multiply(x, ops.tanh(ops.softplus(x)))


def softmax(x, axis=-1):
    """Softmax over `axis`: `exp(x) / sum(exp(x), axis)`.

    Args:
        x: Input tensor.
        axis: Axis along which the softmax is normalized (default `-1`, the last).

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    """Log of the softmax over `axis`, computed stably.

    Args:
        x: Input tensor.
        axis: Axis along which the softmax is normalized (default `-1`, the last).

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.log_softmax(x, axis=axis)


def elu(x, alpha=1.0):
    """Exponential linear unit: `x` if `x > 0` else `alpha * (exp(x) - 1)`.

    Args:
        x: Input tensor.
        alpha: Scale of the negative part (default `1.0`).

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.elu(x, alpha=alpha)


def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU: `x` if positive else `negative_slope * x`.

    Args:
        x: Input tensor.
        negative_slope: Slope of the negative part (default `0.2`).

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.leaky_relu(x, negative_slope=negative_slope)


def gelu(x, approximate=False):
    """Gaussian error linear unit: `x * P(X <= x)` for a standard normal `X`.

    Args:
        x: Input tensor.
        approximate: Whether to use the tanh approximation (default `False`: the exact erf form).

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.gelu(x, approximate=approximate)


def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`.

    Args:
        x: Input tensor.
        alpha: The `alpha` of the formula (default `1.0`).

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.celu(x, alpha=alpha)


def glu(x, axis=-1):
    """Gated linear unit: splits `axis` in halves `a, b` and returns `a * sigmoid(b)`.

    Args:
        x: Input tensor; its size along `axis` must be even.
        axis: Axis to split (default `-1`, the last).

    Returns:
        A tensor of the dtype of `x`, half its size along `axis`.
    """
    return ops.glu(x, axis=axis)


def sigmoid(x):
    """Sigmoid activation: `1 / (1 + exp(-x))`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Examples:
        >>> keras.activations.sigmoid(np.array([-1.0, 0.0, 1.0]))
        array([0.26894142, 0.5       , 0.73105858])
    """
    return ops.sigmoid(x)


def tanh(x):
    """Hyperbolic tangent activation: `(exp(x) - exp(-x)) / (exp(x) + exp(-x))`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.tanh(x)


def softplus(x):
    """Softplus activation: `log(exp(x) + 1)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.softplus(x)


def softsign(x):
    """Softsign activation: `x / (abs(x) + 1)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.softsign(x)


def selu(x):
    """Scaled exponential linear unit: `scale * elu(x, alpha)`.

    With the fixed constants `alpha = 1.67326324` and `scale = 1.05070098` (Klambauer et al.,
    2017), for self-normalizing networks (use `lecun_normal` initialization).

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.selu(x)


def silu(x):
    """Swish (SiLU) activation: `x * sigmoid(x)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.silu(x)


def relu6(x):
    """ReLU capped at 6: `min(max(x, 0), 6)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.relu6(x)


def hard_sigmoid(x):
    """Hard sigmoid: a piecewise linear approximation of the sigmoid.

    0 for `x <= -3`, 1 for `x >= 3`, `x / 6 + 0.5` in between.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Examples:
        >>> keras.activations.hard_sigmoid(np.array([-4.0, 0.0, 1.5, 4.0]))
        array([0.  , 0.5 , 0.75, 1.  ])
    """
    return ops.hard_sigmoid(x)


def hard_silu(x):
    """Hard SiLU (hard swish): `x * hard_sigmoid(x)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.hard_silu(x)


def log_sigmoid(x):
    """Log-sigmoid activation: `log(sigmoid(x))`, computed stably.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.log_sigmoid(x)


def hard_tanh(x):
    """Hard tanh: `clip(x, -1, 1)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.hard_tanh(x)


def tanh_shrink(x):
    """Tanh shrink: `x - tanh(x)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.tanh_shrink(x)


def sparse_plus(x):
    """Sparse plus: 0 for `x <= -1`, `(x + 1)**2 / 4` for `-1 < x < 1`, `x` for `x >= 1`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.sparse_plus(x)


def sparse_sigmoid(x):
    """Sparse sigmoid: 0 for `x <= -1`, `(x + 1) / 2` for `-1 < x < 1`, 1 for `x >= 1`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.sparse_sigmoid(x)


swish = silu
hard_swish = hard_silu


def hard_shrink(x, threshold=0.5):
    """Hard shrink: `x` where `|x| > threshold`, else 0.

    Args:
        x: Input tensor.
        threshold: Non-negative cut-off (default `0.5`).

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.hard_shrink(x, threshold=threshold)


def soft_shrink(x, threshold=0.5):
    """Soft shrink: moves `x` towards 0 by `threshold`, 0 inside `[-threshold, threshold]`.

    Args:
        x: Input tensor.
        threshold: Non-negative shrink amount (default `0.5`).

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.soft_shrink(x, threshold=threshold)


def threshold(x, threshold, default_value):
    """Threshold activation: `x` where `x > threshold`, else `default_value`.

    Args:
        x: Input tensor.
        threshold: The cut-off value.
        default_value: The value given where `x <= threshold`.

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.threshold(x, threshold, default_value)


def squareplus(x, b=4):
    """Squareplus: `(x + sqrt(x**2 + b)) / 2`, a smooth ReLU.

    Args:
        x: Input tensor.
        b: Non-negative smoothness (default `4`); `b = 0` gives ReLU.

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
    return ops.squareplus(x, b=b)


def sparsemax(x, axis=-1):
    """Sparsemax: the Euclidean projection of `x` onto the probability simplex.

    Args:
        x: Input tensor.
        axis: Axis along which to project (default `-1`, the last).

    Returns:
        A tensor of the same shape and dtype as `x`.
    """
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
    """Returns an activation function from a name, a serialized config, a callable or `None`.

    Args:
        identifier: A built-in activation's name (e.g. `"relu"`), a serialized config dict,
            a callable (returned as is) or `None` (gives `linear`).

    Returns:
        The activation function.

    Raises:
        ValueError: For an unknown name or an identifier of another type.
    """
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        if identifier not in _ALL:
            raise ValueError(
                f"Unknown activation function: {identifier!r}. Expected one of {sorted(_ALL)}."
            )
        return _ALL[identifier]
    if isinstance(identifier, dict):
        return serialization._deserialize_object(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation function identifier: {identifier!r}")


def serialize(activation):
    """Returns the name of a built-in activation, else its serialized config.

    Args:
        activation: The activation function to serialize.

    Returns:
        A string (built-in activations) or a config dict.
    """
    name = getattr(activation, "__name__", None)
    if name in _ALL and _ALL[name] is activation:
        return name
    return serialization.serialize_keras_object(activation)


def deserialize(config, custom_objects=None):
    """Returns the activation for a name or config.

    Args:
        config: A built-in activation's name or a config dict from `serialize`.
        custom_objects: Optional dict mapping names to custom functions or classes.

    Returns:
        The activation function.
    """
    if isinstance(config, str) and not (custom_objects and config in custom_objects):
        return get(config)
    return serialization._deserialize_object(config, custom_objects)
