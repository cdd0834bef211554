"""`keras.layers` activation layers."""
