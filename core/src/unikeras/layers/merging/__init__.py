"""`keras.layers` merging layers."""
