"""Engine-neutral helpers shared by every backend.

Only pure Python on static values lives here: argument normalization and validation (with the
error messages every backend must raise alike), output-size and padding arithmetic on static
shapes, and dtype rule tables. Nothing here touches a tensor, so a backend plugin can import it
without pulling in another engine.
"""
