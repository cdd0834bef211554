"""`keras.models.clone_model`: a model with the same architecture and new layers/weights."""

from unikeras import tree
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.layers.core.input_layer import Input, InputLayer
from unikeras.layers.layer import Layer
from unikeras.models.functional import Functional
from unikeras.models.sequential import Sequential
from unikeras.saving import saving_lib, serialization


def clone_model(
    model, input_tensors=None, clone_function=None, call_function=None, recursive=False, **kwargs
):
    """Clone a Functional or Sequential `Model` instance.

    Model cloning is similar to calling a model on new inputs, except that it creates new
    layers (and thus new weights) instead of sharing the weights of the existing layers.
    Shared objects inside the model (e.g. one variable attached to two layers) are not kept
    shared in the clone. A compiled model's clone is compiled the same way.

    Examples:
        ```python
        model = keras.Sequential([
            keras.layers.Input(shape=(728,)),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        new_model = clone_model(model)
        ```

        A `call_function` adding a `Dropout` after each `Dense` (reusing the same layers):

        ```python
        def call_function(layer, *args, **kwargs):
            out = layer(*args, **kwargs)
            if isinstance(layer, keras.layers.Dense):
                out = keras.layers.Dropout(0.5)(out)
            return out

        new_model = clone_model(model, clone_function=lambda x: x, call_function=call_function)
        ```

    Subclassed models are cloned through their config
    (`model.__class__.from_config(model.get_config())`), and take neither `clone_function`,
    `input_tensors` nor `call_function`.

    Args:
        model: Instance of `Model` (a Functional model or a Sequential model).
        input_tensors: Optional list of input tensors to build the model upon. If not
            provided, new `Input` objects are created.
        clone_function: Callable `fn(layer)` cloning each layer of the model (except
            `Input`s); defaults to `layer.__class__.from_config(layer.get_config())`. A
            custom callable can, e.g., wrap some layers or return them unchanged (shared).
        call_function: Callable `fn(layer, *args, **kwargs)` calling each cloned layer on
            its inputs; defaults to `layer(*args, **kwargs)`. It can insert new layers before
            or after a given layer. Functional models only.
        recursive: Whether to clone Sequential/Functional models found inside the model with
            `clone_model` (same `clone_function`, `call_function` and `recursive`;
            `call_function` is not passed to Sequential models); when `False`, inner models
            are cloned by `clone_function`.

    Returns:
        An instance of `Model` reproducing the behavior of the original model, on top of
        new inputs tensors, using newly instantiated weights.
    """
    cache = kwargs.pop("cache", None)
    if kwargs:
        raise ValueError(f"Unexpected keyword argument(s): {tuple(kwargs.keys())}")
    if isinstance(model, Sequential):
        if call_function is not None:
            raise ValueError(
                "`call_function` argument is not supported with Sequential models. In a "
                "Sequential model, layers aren't called at model-construction time (they're "
                "merely listed). Use `call_function` with Functional models only. Received "
                f"model of type '{type(model).__name__}', with call_function={call_function}"
            )
        clone_function = _wrap_clone_function(clone_function, None, recursive, cache)
        return _clone_sequential(model, clone_function, input_tensors)
    if isinstance(model, Functional):
        subclassed_config = type(model).get_config is not Functional.get_config
        if not subclassed_config or clone_function or input_tensors or call_function:
            clone_function = _wrap_clone_function(clone_function, call_function, recursive, cache)
            return _clone_functional(model, clone_function, input_tensors, call_function)
    if clone_function or input_tensors:
        raise ValueError(
            "Arguments `clone_function` and `input_tensors` are only supported for "
            f"Sequential models or Functional models. Received model of type "
            f"'{type(model).__name__}', with clone_function={clone_function} and "
            f"input_tensors={input_tensors}"
        )
    if call_function is not None:
        raise ValueError(
            "Argument `call_function` is only supported for Functional models. Received "
            f"model of type '{type(model).__name__}', with call_function={call_function}"
        )
    config = serialization.serialize_keras_object(model)
    return serialization._deserialize_object(
        config, custom_objects={type(model).__name__: type(model)}
    )


def _default_clone(layer):
    return type(layer).from_config(layer.get_config())


def _wrap_clone_function(clone_function, call_function, recursive, cache):
    """`clone_function` that clones each layer once (shared layers stay shared) and, with
    `recursive`, clones inner models with `clone_model`."""
    if clone_function is None:
        clone_function = _default_clone
    if not callable(clone_function):
        raise ValueError(
            "Expected `clone_function` argument to be a callable. "
            f"Received: clone_function={clone_function}"
        )
    cache = {} if cache is None else cache

    def wrapped(layer):
        if id(layer) in cache:
            return cache[id(layer)]
        if recursive and isinstance(layer, Sequential):
            clone = clone_model(layer, clone_function=clone_function, recursive=True, cache=cache)
        elif recursive and isinstance(layer, Functional):
            clone = clone_model(
                layer,
                clone_function=clone_function,
                call_function=call_function,
                recursive=True,
                cache=cache,
            )
        else:
            clone = clone_function(layer)
        cache[id(layer)] = clone
        return clone

    return wrapped


def _compile_like(source, clone):
    config = saving_lib.compile_config(source)
    if config is not None:
        saving_lib.compile_from_config(clone, config)
    return clone


def _clone_sequential(model, clone_function, input_tensors):
    new_layers = [clone_function(layer) for layer in model.layers]
    first = model._stack[0] if model._stack else None
    reference = first if isinstance(first, InputLayer) else None
    if input_tensors is not None:
        if isinstance(input_tensors, (list, tuple)):
            if len(input_tensors) != 1:
                raise ValueError("Argument `input_tensors` must contain a single tensor.")
            input_tensors = input_tensors[0]
        if not isinstance(input_tensors, KerasTensor):
            raise ValueError(
                "Argument `input_tensors` must be a KerasTensor. Received invalid value: "
                f"input_tensors={input_tensors}"
            )
        inputs = Input(
            tensor=input_tensors,
            name=reference.name if reference is not None else None,
            optional=reference.optional if reference is not None else False,
        )
        new_layers = [inputs] + new_layers
    elif reference is not None:
        new_layers = [
            Input(
                batch_shape=reference.batch_shape,
                dtype=reference.dtype,
                name=reference.name,
                optional=reference.optional,
            )
        ] + new_layers
    clone = Sequential(new_layers, name=model.name, trainable=model.trainable)
    return _compile_like(model, clone)


def _clone_functional(model, clone_function, input_tensors, call_function):
    if input_tensors is not None:
        if not all(isinstance(x, KerasTensor) for x in tree.flatten(input_tensors)):
            raise ValueError(
                "All entries in `input_tensors` must be KerasTensors. Received invalid "
                f"values: inputs_tensors={input_tensors}"
            )
        try:
            tree.assert_same_structure(input_tensors, model.input)
        except ValueError as error:
            raise ValueError(
                "`input_tensors` must have the same structure as model.input\n"
                f"Reference structure: {model.input}\nReceived structure: {input_tensors}"
            ) from error
    else:

        def new_input(x):
            layer = x._keras_history[0] if x._keras_history else None
            return Input(
                batch_shape=x.shape,
                dtype=x.dtype,
                name=layer.name if layer is not None else x.name,
                optional=getattr(layer, "optional", False),
            )

        input_tensors = tree.map_structure(new_input, model.input)

    def run_op(op, args, kwargs):
        if isinstance(op, Layer):  # raw ops in the graph are stateless: reused as they are
            op = clone_function(op)
        if call_function is not None:
            return call_function(op, *args, **kwargs)
        return op(*args, **kwargs)

    outputs = model._run(input_tensors, run_op)
    cls = type(model)
    if cls is not Functional and _functional_like_constructor(cls):
        clone = cls(input_tensors, outputs, name=model.name)
    else:
        clone = Functional(input_tensors, outputs, name=model.name)
    clone.trainable = model.trainable
    return _compile_like(model, clone)


def _functional_like_constructor(cls):
    """Whether a Functional subclass's constructor takes `(inputs, outputs, name=...)`."""
    import inspect

    try:
        parameters = list(inspect.signature(cls.__init__).parameters)
    except (TypeError, ValueError):
        return False
    return parameters[1:3] == ["inputs", "outputs"]
