"""`keras.layers`."""

from unikeras.layers.core.input_layer import Input, InputLayer  # noqa: F401
from unikeras.layers.input_spec import InputSpec  # noqa: F401
from unikeras.layers.layer import Layer  # noqa: F401
from unikeras.layers.core.dense import Dense  # noqa: F401
from unikeras.layers.core.activation import Activation  # noqa: F401
from unikeras.layers.core.identity import Identity  # noqa: F401
from unikeras.layers.core.lambda_layer import Lambda  # noqa: F401
from unikeras.layers.regularization.dropout import Dropout  # noqa: F401
from unikeras.layers.reshaping.flatten import Flatten  # noqa: F401
from unikeras.layers.reshaping.reshape import Reshape  # noqa: F401
from unikeras.layers.reshaping.permute import Permute  # noqa: F401
from unikeras.layers.reshaping.repeat_vector import RepeatVector  # noqa: F401
from unikeras.layers.preprocessing.rescaling import Rescaling  # noqa: F401
from unikeras.layers.merging.concatenate import Concatenate, concatenate  # noqa: F401
from unikeras.layers.merging.add import Add, add  # noqa: F401
from unikeras.layers.merging.subtract import Subtract, subtract  # noqa: F401
from unikeras.layers.merging.multiply import Multiply, multiply  # noqa: F401
from unikeras.layers.merging.average import Average, average  # noqa: F401
from unikeras.layers.merging.maximum import Maximum, maximum  # noqa: F401
from unikeras.layers.merging.minimum import Minimum, minimum  # noqa: F401
from unikeras.layers.convolutional.conv1d import Conv1D  # noqa: F401
from unikeras.layers.convolutional.conv2d import Conv2D  # noqa: F401
from unikeras.layers.pooling.max_pooling1d import MaxPooling1D  # noqa: F401
from unikeras.layers.pooling.max_pooling2d import MaxPooling2D  # noqa: F401
from unikeras.layers.pooling.average_pooling1d import AveragePooling1D  # noqa: F401
from unikeras.layers.pooling.average_pooling2d import AveragePooling2D  # noqa: F401
from unikeras.layers.pooling.global_average_pooling1d import GlobalAveragePooling1D  # noqa: F401
from unikeras.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D  # noqa: F401
from unikeras.layers.pooling.global_max_pooling1d import GlobalMaxPooling1D  # noqa: F401
from unikeras.layers.pooling.global_max_pooling2d import GlobalMaxPooling2D  # noqa: F401
from unikeras.layers.core.embedding import Embedding  # noqa: F401
from unikeras.layers.normalization.layer_normalization import LayerNormalization  # noqa: F401
from unikeras.layers.normalization.batch_normalization import BatchNormalization  # noqa: F401
from unikeras.layers.preprocessing.normalization import Normalization  # noqa: F401
Convolution1D = Conv1D
Convolution2D = Conv2D
MaxPool1D = MaxPooling1D
MaxPool2D = MaxPooling2D
AvgPool1D = AveragePooling1D
AvgPool2D = AveragePooling2D
GlobalAvgPool1D = GlobalAveragePooling1D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalMaxPool1D = GlobalMaxPooling1D
GlobalMaxPool2D = GlobalMaxPooling2D
