"""`keras.layers` regularization layers."""
