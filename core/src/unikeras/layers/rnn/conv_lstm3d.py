"""`ConvLSTM3D`: convolutional LSTM over sequences of 3-D feature maps."""

from unikeras.layers.rnn.conv_lstm import ConvLSTM


class ConvLSTM3D(ConvLSTM):
    """3-D convolutional LSTM: an LSTM whose input and recurrent transformations are
    3-D convolutions.

    Input: `(batch, time, dim1, dim2, dim3, channels)` (channels_last)
    or `(batch, time, channels, dim1, dim2, dim3)` (channels_first).

    Arguments and weights: see `ConvLSTM`.
    """

    rank = 3
