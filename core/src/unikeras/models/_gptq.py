"""`model.quantize("gptq", config=GPTQConfig(...))`: runs GPTQ (`unikeras.quantizers.gptq`)
over a model's `Dense` layers in call order, each calibrated on its inputs as the model
(with the layers before it already quantized) computes them on the config's dataset."""

import numpy as np

from unikeras import ops
from unikeras.models.model import Model
from unikeras.quantizers.gptq import calibration_batches, gptq_kernel


def gptq_quantize(model, config, layers):
    """Runs GPTQ over `layers` (built `Dense` layers of `model`, in call order)."""
    if config.weight_bits != 4:
        raise NotImplementedError(
            f"GPTQ with weight_bits={config.weight_bits} is not implemented in unikeras; "
            "use weight_bits=4."
        )
    if config.tokenizer is not None:
        raise NotImplementedError(
            "GPTQ calibration from text with a tokenizer is not implemented in unikeras; "
            "pass a dataset of model inputs."
        )
    data = calibration_batches(config.dataset, config.num_samples)
    from unikeras.quantizers.quantization_config import Int4QuantizationConfig

    for layer in layers:
        try:
            probe = Model(model.inputs, layer.input)
        except (AttributeError, ValueError) as error:
            raise ValueError(
                f"GPTQ needs a functional or Sequential model whose layer inputs are known "
                f"(layer '{layer.name}': {error})."
            ) from None
        recorded = [np.asarray(probe.predict(data, verbose=0))]
        x = np.concatenate([r.reshape(-1, r.shape[-1]) for r in recorded], axis=0)
        group = config.group_size if config.group_size > 0 else x.shape[-1]
        q, scale, zero = gptq_kernel(
            ops.convert_to_numpy(layer._kernel), x, group, config.hessian_damping
        )
        layer.quantize("int4", config=Int4QuantizationConfig(block_size=group))
        from unikeras.quantizers.quantizers import pack_int4

        layer._kernel.assign(ops.convert_to_numpy(pack_int4(q, axis=-1)[0]))
        layer.kernel_scale.assign(scale)
        layer.kernel_zero.assign(zero)
