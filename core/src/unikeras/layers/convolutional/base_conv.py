"""`BaseConv`: the N-D convolution layer behind `Conv1D`, `Conv2D` and `Conv3D`."""

from unikeras import activations, constraints, initializers, ops, regularizers
from unikeras.backend import registry
from unikeras.backend.config import standardize_data_format
from unikeras.layers.convolutional.conv_utils import (
    add_bias,
    check_strides_dilation,
    known_channels,
    spatial_output_shape,
    standardize_padding,
    standardize_tuple,
    with_channels,
)
from unikeras.layers.input_spec import InputSpec
from unikeras.layers.layer import Layer


class BaseConv(Layer):
    """`activation(conv(inputs, kernel) + bias)` over `rank` spatial axes.

    Args:
        rank: Number of spatial axes (1, 2 or 3).
        filters: Number of output channels.
        kernel_size: int or tuple of `rank` ints.
        strides: int or tuple of `rank` ints (> 1 only with `dilation_rate` 1).
        padding: `"valid"`, `"same"` or (1-D only) `"causal"`.
        data_format: `"channels_last"` or `"channels_first"` (`None`: the global default).
        dilation_rate: int or tuple of `rank` ints.
        groups: Number of channel groups; input channels and `filters` must be multiples.
        activation: Activation function or name (`None`: linear).
        use_bias: Whether to add a bias vector.
        kernel_initializer: Initializer of the `(*kernel_size, in_channels // groups,
            filters)` kernel.
        bias_initializer: Initializer of the `(filters,)` bias.
        kernel_regularizer, bias_regularizer: Optional regularizers.
        activity_regularizer: Optional regularizer on the output.
        kernel_constraint, bias_constraint: Optional constraints.
        lora_rank, lora_alpha: Not supported yet (must be `None`).
    """

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        groups=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank=None,
        lora_alpha=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if lora_rank is not None or lora_alpha is not None:
            raise NotImplementedError(f"{type(self).__name__}(lora_rank=...) is not supported yet.")
        self.rank = rank
        self.filters = filters
        self.groups = groups or 1
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding, allow_causal=rank == 1)
        self.data_format = standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._check_arguments()
        self.input_spec = InputSpec(ndim=rank + 2)

    def _check_arguments(self):
        prefix = f'Layer "{self.name}":'
        if not isinstance(self.filters, int) or self.filters <= 0:
            raise ValueError(
                f"{prefix} `filters` must be a positive int. Received: filters={self.filters!r}"
            )
        if not isinstance(self.groups, int) or self.groups <= 0:
            raise ValueError(
                f"{prefix} `groups` must be a positive int. Received: groups={self.groups!r}"
            )
        if self.filters % self.groups:
            raise ValueError(
                f"{prefix} the number of filters must be evenly divisible by the "
                f"number of groups. Received: groups={self.groups}, "
                f"filters={self.filters}"
            )
        check_strides_dilation(self)

    @property
    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape):
        channels = known_channels(self, input_shape)
        if channels % self.groups:
            raise ValueError(
                f'Layer "{self.name}": the number of input channels must be evenly divisible '
                f"by the number of groups. Received groups={self.groups}, but the input has "
                f"{channels} channels (full input shape is {tuple(input_shape)})."
            )
        self.compute_output_shape(input_shape)  # raises when the input is too small
        self._kernel = self.add_weight(
            shape=self._kernel_shape(channels),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.filters,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis: channels})
        self.built = True

    def _kernel_shape(self, channels):
        return self.kernel_size + (channels // self.groups, self.filters)

    @property
    def kernel(self):
        return self._kernel

    def convolution_op(self, inputs, kernel):
        """The convolution of `call`, before bias and activation."""
        return ops.conv(
            inputs,
            kernel,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )

    def call(self, inputs):
        fused = None
        if self.bias is not None and type(self).convolution_op is BaseConv.convolution_op:
            fused = registry.optional_hook("conv_bias")
        if fused is not None:
            outputs = fused(
                inputs,
                self._kernel,
                self.bias,
                self.strides,
                self.padding,
                self.data_format,
                self.dilation_rate,
            )
            if outputs is not None:
                return self.activation(outputs)
        outputs = self.convolution_op(inputs, self._kernel)
        return self.activation(add_bias(self, outputs, self.bias))

    def compute_output_shape(self, input_shape):
        spatial = spatial_output_shape(
            self, input_shape, self.kernel_size, self.strides, self.dilation_rate, self.padding
        )
        return with_channels(self, input_shape[0], spatial, self.filters)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                "groups": self.groups,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
            }
        )
        return config
