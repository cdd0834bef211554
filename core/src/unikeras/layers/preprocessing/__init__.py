"""`keras.layers` preprocessing layers."""
