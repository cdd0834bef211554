"""Defects found by running the keras.io generative examples with `import unikeras as keras`.

The examples (VAE, DCGAN, WGAN-GP, conditional GAN, miniature GPT, character LSTM,
DDIM/DDPM, neural style transfer, deep dream, CycleGAN, GauGAN, ...) were run unchanged
but for synthetic data and tiny sizes; each test here pins one defect they exposed, on
small data, against NumPy or Keras 3's documented behaviour.
"""

import numpy as np

import unikeras as keras


def _write_images(root, names):
    """Writes 4x4 RGB PNGs whose top-left red value is 10 * (index + 1)."""
    for i, name in enumerate(names):
        image = np.zeros((4, 4, 3), "uint8")
        image[0, 0, 0] = 10 * (i + 1)
        image[3, 3, 2] = 255  # keeps save_img's min-max scaling an identity
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        keras.utils.save_img(str(path), image)


# --- DCGAN: image_dataset_from_directory(..., label_mode=None) over a folder of faces ---------


def test_image_dataset_without_labels_indexes_every_file(tmp_path, capsys):
    # label_mode=None means no labels (Keras 3 then indexes as for labels=None): the files
    # at the top of the folder count too, and the message has no class count.
    _write_images(tmp_path, ["a/1.png", "a/2.png", "b/3.png", "top.png"])
    dataset = keras.utils.image_dataset_from_directory(
        str(tmp_path), label_mode=None, image_size=(4, 4), batch_size=8, shuffle=False
    )
    assert capsys.readouterr().out.strip() == "Found 4 files."
    (batch,) = [np.asarray(x) for x in dataset]
    assert batch.shape == (4, 4, 4, 3)
    assert sorted(batch[:, 0, 0, 0].tolist()) == [10.0, 20.0, 30.0, 40.0]
