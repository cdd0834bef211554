"""`ConvLSTM2D`: convolutional LSTM over sequences of 2-D feature maps."""

from unikeras.layers.rnn.conv_lstm import ConvLSTM


class ConvLSTM2D(ConvLSTM):
    """2-D convolutional LSTM: an LSTM whose input and recurrent transformations are
    2-D convolutions.

    Input: `(batch, time, rows, cols, channels)` (channels_last)
    or `(batch, time, channels, rows, cols)` (channels_first).

    Arguments and weights: see `ConvLSTM`.
    """

    rank = 2
