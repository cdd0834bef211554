"""`keras.layers` reshaping layers."""
