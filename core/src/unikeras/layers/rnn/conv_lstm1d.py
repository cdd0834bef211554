"""`ConvLSTM1D`: convolutional LSTM over sequences of 1-D feature maps."""

from unikeras.layers.rnn.conv_lstm import ConvLSTM


class ConvLSTM1D(ConvLSTM):
    """1-D convolutional LSTM: an LSTM whose input and recurrent transformations are
    1-D convolutions.

    Input: `(batch, time, steps, channels)` (channels_last)
    or `(batch, time, channels, steps)` (channels_first).

    Arguments and weights: see `ConvLSTM`.
    """

    rank = 1
