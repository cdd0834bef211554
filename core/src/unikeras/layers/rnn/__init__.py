"""Recurrent layers: cells, the generic `RNN` driver and wrappers."""
