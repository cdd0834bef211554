"""`keras.layers` attention layers."""
