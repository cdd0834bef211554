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
from unikeras.layers.convolutional.conv3d import Conv3D  # noqa: F401
from unikeras.layers.convolutional.conv1d_transpose import Conv1DTranspose  # noqa: F401
from unikeras.layers.convolutional.conv2d_transpose import Conv2DTranspose  # noqa: F401
from unikeras.layers.convolutional.conv3d_transpose import Conv3DTranspose  # noqa: F401
from unikeras.layers.convolutional.depthwise_conv1d import DepthwiseConv1D  # noqa: F401
from unikeras.layers.convolutional.depthwise_conv2d import DepthwiseConv2D  # noqa: F401
from unikeras.layers.convolutional.separable_conv1d import SeparableConv1D  # noqa: F401
from unikeras.layers.convolutional.separable_conv2d import SeparableConv2D  # noqa: F401
from unikeras.layers.pooling.max_pooling3d import MaxPooling3D  # noqa: F401
from unikeras.layers.pooling.average_pooling3d import AveragePooling3D  # noqa: F401
from unikeras.layers.pooling.global_max_pooling3d import GlobalMaxPooling3D  # noqa: F401
from unikeras.layers.pooling.global_average_pooling3d import GlobalAveragePooling3D  # noqa: F401
from unikeras.layers.reshaping.cropping1d import Cropping1D  # noqa: F401
from unikeras.layers.reshaping.cropping2d import Cropping2D  # noqa: F401
from unikeras.layers.reshaping.cropping3d import Cropping3D  # noqa: F401
from unikeras.layers.reshaping.zero_padding1d import ZeroPadding1D  # noqa: F401
from unikeras.layers.reshaping.zero_padding2d import ZeroPadding2D  # noqa: F401
from unikeras.layers.reshaping.zero_padding3d import ZeroPadding3D  # noqa: F401
from unikeras.layers.reshaping.up_sampling1d import UpSampling1D  # noqa: F401
from unikeras.layers.reshaping.up_sampling2d import UpSampling2D  # noqa: F401
from unikeras.layers.reshaping.up_sampling3d import UpSampling3D  # noqa: F401

Convolution3D = Conv3D
Convolution1DTranspose = Conv1DTranspose
Convolution2DTranspose = Conv2DTranspose
Convolution3DTranspose = Conv3DTranspose
SeparableConvolution1D = SeparableConv1D
SeparableConvolution2D = SeparableConv2D
MaxPool3D = MaxPooling3D
AvgPool3D = AveragePooling3D
GlobalMaxPool3D = GlobalMaxPooling3D
GlobalAvgPool3D = GlobalAveragePooling3D
from unikeras.layers.core.einsum_dense import EinsumDense  # noqa: F401
from unikeras.layers.core.masking import Masking  # noqa: F401
from unikeras.layers.core.wrapper import Wrapper  # noqa: F401
from unikeras.layers.attention.multi_head_attention import MultiHeadAttention  # noqa: F401
from unikeras.layers.attention.grouped_query_attention import GroupedQueryAttention  # noqa: F401
from unikeras.layers.attention.attention import Attention  # noqa: F401
from unikeras.layers.attention.additive_attention import AdditiveAttention  # noqa: F401
from unikeras.layers.normalization.group_normalization import GroupNormalization  # noqa: F401
from unikeras.layers.normalization.unit_normalization import UnitNormalization  # noqa: F401
from unikeras.layers.normalization.spectral_normalization import SpectralNormalization  # noqa: F401
from unikeras.layers.merging.dot import Dot  # noqa: F401
from unikeras.layers.regularization.spatial_dropout import (
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
)  # noqa: F401
from unikeras.layers.regularization.gaussian_noise import (
    GaussianNoise,
    GaussianDropout,
    AlphaDropout,
)  # noqa: F401
from unikeras.layers.regularization.activity_regularization import ActivityRegularization  # noqa: F401
from unikeras.layers.activations.relu import ReLU  # noqa: F401
from unikeras.layers.activations.leaky_relu import LeakyReLU  # noqa: F401
from unikeras.layers.activations.prelu import PReLU  # noqa: F401
from unikeras.layers.activations.elu import ELU  # noqa: F401
from unikeras.layers.activations.softmax import Softmax  # noqa: F401

GroupQueryAttention = GroupedQueryAttention
from unikeras.layers.rnn.rnn import RNN  # noqa: F401
from unikeras.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell  # noqa: F401
from unikeras.layers.rnn.lstm import LSTM, LSTMCell  # noqa: F401
from unikeras.layers.rnn.gru import GRU, GRUCell  # noqa: F401
from unikeras.layers.rnn.stacked_rnn_cells import StackedRNNCells  # noqa: F401
from unikeras.layers.rnn.bidirectional import Bidirectional  # noqa: F401
from unikeras.layers.rnn.time_distributed import TimeDistributed  # noqa: F401
from unikeras.layers.preprocessing.mel_spectrogram import MelSpectrogram  # noqa: F401
from unikeras.layers.preprocessing.stft_spectrogram import STFTSpectrogram  # noqa: F401
from unikeras.layers.rnn.conv_lstm1d import ConvLSTM1D  # noqa: F401
from unikeras.layers.rnn.conv_lstm2d import ConvLSTM2D  # noqa: F401
from unikeras.layers.rnn.conv_lstm3d import ConvLSTM3D  # noqa: F401
from unikeras.layers.preprocessing.image.resizing import Resizing  # noqa: F401
from unikeras.layers.preprocessing.image.center_crop import CenterCrop  # noqa: F401
from unikeras.layers.preprocessing.image.random_flip import RandomFlip  # noqa: F401
from unikeras.layers.preprocessing.image.random_rotation import RandomRotation  # noqa: F401
from unikeras.layers.preprocessing.image.random_zoom import RandomZoom  # noqa: F401
from unikeras.layers.preprocessing.image.random_translation import RandomTranslation  # noqa: F401
from unikeras.layers.preprocessing.image.random_crop import RandomCrop  # noqa: F401
from unikeras.layers.preprocessing.image.random_contrast import RandomContrast  # noqa: F401
from unikeras.layers.preprocessing.image.random_brightness import RandomBrightness  # noqa: F401
from unikeras.layers.preprocessing.discretization import Discretization  # noqa: F401
from unikeras.layers.preprocessing.category_encoding import CategoryEncoding  # noqa: F401
from unikeras.layers.preprocessing.hashing import Hashing  # noqa: F401
from unikeras.layers.preprocessing.string_lookup import StringLookup  # noqa: F401
from unikeras.layers.preprocessing.integer_lookup import IntegerLookup  # noqa: F401
from unikeras.layers.preprocessing.text_vectorization import TextVectorization  # noqa: F401
from unikeras.layers.preprocessing.image.random_shear import RandomShear  # noqa: F401
from unikeras.layers.preprocessing.image.random_grayscale import RandomGrayscale  # noqa: F401
from unikeras.layers.preprocessing.image.random_invert import RandomInvert  # noqa: F401
from unikeras.layers.preprocessing.image.solarization import Solarization  # noqa: F401
from unikeras.layers.preprocessing.image.random_posterization import RandomPosterization  # noqa: F401
from unikeras.layers.preprocessing.image.auto_contrast import AutoContrast  # noqa: F401
from unikeras.layers.preprocessing.image.random_hue import RandomHue  # noqa: F401
from unikeras.layers.preprocessing.image.random_saturation import RandomSaturation  # noqa: F401
from unikeras.layers.preprocessing.image.random_color_degeneration import RandomColorDegeneration  # noqa: F401
from unikeras.layers.preprocessing.image.random_sharpness import RandomSharpness  # noqa: F401
from unikeras.layers.preprocessing.image.random_color_jitter import RandomColorJitter  # noqa: F401
from unikeras.layers.preprocessing.image.equalization import Equalization  # noqa: F401
from unikeras.layers.preprocessing.image.random_erasing import RandomErasing  # noqa: F401
from unikeras.layers.preprocessing.image.random_gaussian_blur import RandomGaussianBlur  # noqa: F401
from unikeras.layers.preprocessing.image.mix_up import MixUp  # noqa: F401
from unikeras.layers.preprocessing.image.cut_mix import CutMix  # noqa: F401
from unikeras.layers.preprocessing.pipeline import Pipeline  # noqa: F401
from unikeras.layers.preprocessing.image.max_num_bounding_boxes import MaxNumBoundingBoxes  # noqa: F401
from unikeras.layers.preprocessing.image.random_perspective import RandomPerspective  # noqa: F401
from unikeras.layers.preprocessing.image.rand_augment import RandAugment  # noqa: F401
from unikeras.layers.pooling.adaptive_pooling import (  # noqa: F401
    AdaptiveAveragePooling1D,
    AdaptiveAveragePooling2D,
    AdaptiveAveragePooling3D,
    AdaptiveMaxPooling1D,
    AdaptiveMaxPooling2D,
    AdaptiveMaxPooling3D,
)
from unikeras.layers.normalization.rms_normalization import RMSNormalization  # noqa: F401
from unikeras.layers.core.reversible_embedding import ReversibleEmbedding  # noqa: F401
from unikeras.layers.preprocessing.hashed_crossing import HashedCrossing  # noqa: F401
from unikeras.layers.merging.dot import dot  # noqa: F401
from unikeras.layers.serialization import deserialize, serialize  # noqa: F401
from unikeras.layers.engine_layers import FlaxLayer, JaxLayer, TFSMLayer, TorchModuleWrapper  # noqa: F401
from unikeras.layers.preprocessing.image.clahe import ContrastLimitedAdaptiveHistogramEqualization  # noqa: F401
from unikeras.layers.preprocessing.image.random_elastic_transform import RandomElasticTransform  # noqa: F401
from unikeras.layers.preprocessing.image.aug_mix import AugMix  # noqa: F401
