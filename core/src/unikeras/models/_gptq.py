"""`model.quantize("gptq", config=GPTQConfig(...))`: runs GPTQ (`unikeras.quantizers.gptq`)
over a model's `Dense` and `EinsumDense` layers in call order, each calibrated on its inputs
as the model (with the layers before it already quantized) computes them on the config's
dataset, and stored in Keras 3's GPTQ layout (`GPTQDTypePolicy` `"gptq/<bits>/<group>"`)."""

import numpy as np

from unikeras import ops

from unikeras.models.model import Model
from unikeras.quantizers.gptq import (
    awq_quantize,
    calibration_batches,
    gptq_quantize,
    token_calibration_samples,
)


def _structure_layers(structure):
    """The leaf layers of `structure["sequential_blocks"]` (Keras 3's
    `quantization_layer_structure`), checked."""
    if not isinstance(structure, dict) or not structure.get("sequential_blocks"):
        raise ValueError(
            "GPTQConfig.quantization_layer_structure must be a dict with keys "
            "'pre_block_layers' and 'sequential_blocks' (a non-empty list of layers). "
            f"Received: {structure!r}"
        )

    def leaves(layer):
        subs = layer._sublayers()
        if not subs:
            yield layer
        for sub in subs:
            yield from leaves(sub)

    return {id(leaf) for block in structure["sequential_blocks"] for leaf in leaves(block)}


def _float_matrix(layer):
    """The layer's float kernel as the 2-D `(rows, columns)` NumPy matrix GPTQ/AWQ
    quantize (an `EinsumDense` kernel reshaped as Keras 3 does it)."""
    if hasattr(layer, "_gptq_float_matrix"):
        return layer._gptq_float_matrix()
    return ops.convert_to_numpy(layer._kernel)


def _recorded_inputs(model, layer, data, batch_size=32):
    """`layer`'s inputs as `model` computes them on `data`: through a sub-model ending at
    the layer's input where the graph knows it, else (a layer inside another layer, such as
    the projections of a `MultiHeadAttention`) recorded while the model runs eagerly."""
    try:
        probe = Model(model.inputs, layer.input)
    except (AttributeError, ValueError):
        probe = None
    if probe is not None:
        return np.asarray(probe.predict(data, verbose=0))
    captured = []
    original = layer.call

    def recording_call(*args, **kwargs):
        inputs = args[0] if args else kwargs["inputs"]
        captured.append(np.asarray(ops.convert_to_numpy(inputs)))
        return original(*args, **kwargs)

    layer.__dict__["call"] = recording_call
    run_eagerly = model.run_eagerly
    model.run_eagerly = True  # (a compiled predict function would not call the hook)
    try:
        for start in range(0, len(data), batch_size):
            model(data[start : start + batch_size])
    finally:
        layer.__dict__.pop("call", None)
        model.run_eagerly = run_eagerly
    if not captured:
        raise ValueError(
            f"Layer '{layer.name}' was not called when the model ran on the calibration "
            "data, so GPTQ/AWQ cannot calibrate it."
        )
    return np.concatenate(captured, axis=0)


def _calibration_inputs(config):
    """The model inputs GPTQ/AWQ calibrate on: token sequences cut from the dataset when
    the config has a tokenizer, else the dataset's first `num_samples` inputs."""
    if config.dataset is None:
        raise ValueError(
            f"{config.mode.upper()} quantization needs calibration data: pass a `dataset` "
            f"in the `{type(config).__name__}`."
        )
    if config.tokenizer is not None:
        return token_calibration_samples(
            config.dataset, config.tokenizer, config.sequence_length, config.num_samples
        )
    dataset = config.dataset
    first = dataset[0] if isinstance(dataset, (list, tuple)) and dataset else None
    text_array = getattr(getattr(dataset, "dtype", None), "kind", None) in ("U", "S")
    if isinstance(dataset, (str, bytes)) or isinstance(first, (str, bytes)) or text_array:
        raise ValueError(
            f"{type(config).__name__}: a text dataset needs a `tokenizer` (an object with "
            "`tokenize(text)` or a callable returning token ids). Received: tokenizer=None"
        )
    return calibration_batches(config.dataset, config.num_samples)


def gptq_quantize_model(model, config, layers):
    """Runs GPTQ (or AWQ, for an `AWQConfig`) over `layers` (built `Dense` or `EinsumDense` layers of
    `model`, in call order).

    AWQ honours `group_size`, `num_grid_points`, `num_samples` and
    `quantization_layer_structure` (its `weight_bits` is always 4).

    Honours `weight_bits` (2, 3, 4, 8), `group_size`, `symmetric`, `activation_order`,
    `hessian_damping`, `per_channel`, `num_samples` and `quantization_layer_structure` (only
    the `Dense` layers inside its `sequential_blocks` are quantized). With a `tokenizer`,
    the model's inputs are `num_samples` token sequences of `sequence_length` cut from the
    dataset as Keras 3.15.1 does (`token_calibration_samples`); without one, the dataset
    holds model inputs.
    """
    data = _calibration_inputs(config)
    if config.quantization_layer_structure is not None:
        inside = _structure_layers(config.quantization_layer_structure)
        layers = [layer for layer in layers if id(layer) in inside]
        if not layers:
            raise ValueError(
                f"model.quantize('{config.mode}'): quantization_layer_structure's sequential_blocks "
                "hold no float Dense layer."
            )
    for layer in layers:
        recorded = _recorded_inputs(model, layer, data)
        matrix = _float_matrix(layer)
        recorded = recorded.reshape(-1, matrix.shape[0])
        if config.mode == "awq":
            values = awq_quantize(
                matrix,
                recorded,
                group_size=config.group_size,
                num_grid_points=config.num_grid_points,
            )
            layer._apply_gptq(config, values)
            continue
        values = gptq_quantize(
            matrix,
            recorded,
            weight_bits=config.weight_bits,
            group_size=config.group_size,
            symmetric=config.symmetric,
            activation_order=config.activation_order,
            damping=config.hessian_damping,
            per_channel=config.per_channel,
        )
        layer._apply_gptq(config, values)
