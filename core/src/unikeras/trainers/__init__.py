"""The training and inference loops shared by every backend."""
