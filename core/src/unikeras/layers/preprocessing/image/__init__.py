"""`keras.layers` image preprocessing layers: resizing, cropping and random augmentation."""
