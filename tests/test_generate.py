"""Drawing from generators: `numnet generate`, the image grid, and the SampleGrid callback."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import numnet
from numnet import cli
from numnet.callbacks import SampleGrid
from numnet.layers import Dense, Flatten, Reshape
from numnet.visualize import image_grid, tile_images

LATENT_DIM = 8


def run(*argv: str) -> int:
    return cli.main(list(argv))


def tiny_generator(flat: bool = False) -> numnet.Sequential:
    """(N, 8) noise to (N, 28, 28, 1) images in (0, 1), or to (N, 784) with `flat`."""
    layers = [numnet.Input((LATENT_DIM,)), Dense(784, activation="sigmoid")]
    return numnet.Sequential(layers if flat else [*layers, Reshape((28, 28, 1))])


@pytest.fixture
def generator_file(tmp_path: Path) -> str:
    numnet.random.seed(0)
    path = tmp_path / "generator.npz"
    tiny_generator().save(path)
    return str(path)


def generate(generator: str, out: Path, *flags: str) -> tuple[int, Path, Path]:
    grid, npy = out / "grid.png", out / "samples.npy"
    status = run("generate", generator, "--out", str(grid), "--npy", str(npy), *flags)
    return status, grid, npy


# --- the grid -----------------------------------------------------------------------------
def test_tile_images_lays_out_a_square_ish_grid_with_white_borders():
    images = np.zeros((10, 28, 28, 1))
    grid = tile_images(images)  # 10 images: 4 columns, 3 rows, 2-pixel borders
    assert grid.shape == (3 * 30 + 2, 4 * 30 + 2) and grid.dtype == np.float32
    assert grid[0].min() == 1.0 and grid[2:30, 2:30].max() == 0.0
    assert grid[-30:-2, -30:-2].min() == 1.0  # the two empty cells are blank
    assert tile_images(np.ones((3, 5, 5)), columns=1).shape == (3 * 7 + 2, 7 + 2)
    assert tile_images(np.full((2, 4, 4, 3), 2.0)).max() == 1.0  # RGB, clipped
    for bad in (np.zeros((4, 28, 28, 2)), np.zeros((0, 28, 28)), np.zeros((784,))):
        with pytest.raises(ValueError, match="expected images of shape"):
            tile_images(bad)


def test_image_grid_writes_a_png_and_its_folder(tmp_path):
    path = image_grid(np.random.default_rng(0).random((64, 28, 28)), tmp_path / "a/b.png", "t")
    with Image.open(path) as image:
        width, height = image.size
    assert width == 3 * (8 * 30 + 2) and height == width + 30  # 3x3 pixels, a title line


# --- numnet generate ----------------------------------------------------------------------
def test_generate_writes_grid_and_samples(generator_file, tmp_path, capsys):
    status, grid, npy = generate(generator_file, tmp_path, "--n", "16", "--seed", "3")
    assert status == 0
    out = capsys.readouterr().out.strip()
    assert len(out.splitlines()) == 1 and str(grid) in out and str(npy) in out
    with Image.open(grid) as image:
        assert image.format == "PNG" and 300 <= image.size[0] <= 1000
    samples = np.load(npy, allow_pickle=False)
    assert samples.shape == (16, 28, 28, 1) and samples.dtype == np.float32
    assert samples.min() >= 0.0 and samples.max() <= 1.0
    assert np.ptp(samples, axis=0).max() > 0  # 16 different noise vectors


def test_same_seed_same_samples(generator_file, tmp_path):
    first, second, other = (tmp_path / name for name in ("1", "2", "3"))
    assert generate(generator_file, first, "--n", "4", "--seed", "3")[0] == 0
    assert generate(generator_file, second, "--n", "4", "--seed", "3")[0] == 0
    assert generate(generator_file, other, "--n", "4", "--seed", "4")[0] == 0
    samples = [np.load(folder / "samples.npy") for folder in (first, second, other)]
    np.testing.assert_array_equal(samples[0], samples[1])
    assert not np.array_equal(samples[0], samples[2])


def test_generate_matches_gan_generate(tmp_path):
    """The saved generator, given the seed, draws what gan.generate(n, seed) draws."""
    numnet.random.seed(1)
    discriminator = numnet.Sequential(
        [numnet.Input((28, 28, 1)), Flatten(), Dense(1, activation="sigmoid")]
    )
    gan = numnet.models.GAN(tiny_generator(), discriminator, latent_dim=LATENT_DIM)
    gan.generator.save(tmp_path / "generator.npz")
    status, _, npy = generate(str(tmp_path / "generator.npz"), tmp_path, "--n", "5", "--seed", "7")
    assert status == 0
    np.testing.assert_allclose(np.load(npy), gan.generate(5, seed=7), atol=1e-6)


def test_flat_generator_output_is_read_as_28x28_images(tmp_path):
    tiny_generator(flat=True).save(tmp_path / "flat.npz")
    status, _, npy = generate(str(tmp_path / "flat.npz"), tmp_path, "--n", "3")
    assert status == 0 and np.load(npy).shape == (3, 28, 28, 1)


def test_a_classifier_is_not_a_generator(tmp_path, capsys):
    classifier = numnet.Sequential([numnet.Input((784,)), Dense(10, activation="softmax")])
    classifier.save(tmp_path / "model.npz")
    assert generate(str(tmp_path / "model.npz"), tmp_path)[0] == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "model.npz is not an image generator: it maps (784,) to (10,)" in err
    assert "expected noise (latent_dim,) to images (28, 28, 1)" in err
    assert not (tmp_path / "grid.png").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "model file {path} does not exist"), (b"junk", "{path} is not a numnet model file")],
)
def test_missing_or_damaged_file_gives_one_line(content, message, tmp_path, capsys):
    path = tmp_path / "generator.npz"
    if content is not None:
        path.write_bytes(content)
    assert generate(str(path), tmp_path)[0] == 1
    err = capsys.readouterr().err.strip()
    assert message.format(path=path) in err and len(err.splitlines()) == 1


@pytest.mark.parametrize("n", ["0", "-2", "many"])
def test_n_must_be_positive(n, generator_file, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:  # refused by the parser, as train's numbers
        generate(generator_file, tmp_path, "--n", n)
    assert exit_info.value.code == 2
    assert f"argument --n: expected a whole number >= 1, got '{n}'" in capsys.readouterr().err


# --- the SampleGrid callback --------------------------------------------------------------
class Painter(numnet.Model):
    """A stand-in generative model: a trivial train_step, and noise images from generate."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[tuple[int, int | None]] = []

    def train_step(self, data):
        return {"loss": 0.5}

    def generate(self, n: int, seed: int | None = None) -> np.ndarray:
        self.requests.append((n, seed))
        return np.random.default_rng(seed).random((n, 28, 28, 1))


def fit(model: numnet.Model, epochs: int, *callbacks) -> None:
    model.fit(np.zeros((4, 2)), batch_size=2, epochs=epochs, verbose=0, callbacks=callbacks)


def test_sample_grid_writes_one_png_per_epoch_from_the_same_noise(tmp_path):
    model = Painter()
    grids = SampleGrid(tmp_path / "samples/epoch_{epoch:03d}-{loss:.1f}.png", n=9, seed=5)
    fit(model, 3, grids)
    names = [f"epoch_00{i}-0.5.png" for i in (1, 2, 3)]
    assert sorted(p.name for p in (tmp_path / "samples").iterdir()) == names
    assert grids.paths == [tmp_path / "samples" / name for name in names]
    assert model.requests == [(9, 5)] * 3


def test_sample_grid_every_k_epochs_and_the_last(tmp_path):
    grids = SampleGrid(tmp_path / "e{epoch}.png", n=4, every=2)
    fit(Painter(), 5, grids)
    assert [p.name for p in grids.paths] == ["e2.png", "e4.png", "e5.png"]


def test_sample_grid_during_gan_training(tmp_path):
    numnet.random.seed(2)
    discriminator = numnet.Sequential(
        [numnet.Input((28, 28, 1)), Flatten(), Dense(1, activation="sigmoid")]
    )
    gan = numnet.models.GAN(tiny_generator(), discriminator, latent_dim=LATENT_DIM)
    gan.compile(numnet.optimizers.Adam(1e-3), numnet.optimizers.Adam(1e-3))
    real = np.random.default_rng(0).random((8, 28, 28, 1)).astype(np.float32)
    grids = SampleGrid(tmp_path / "epoch_{epoch}.png", n=4)
    gan.fit(real, batch_size=4, epochs=2, verbose=0, callbacks=[grids])
    assert [p.name for p in grids.paths] == ["epoch_1.png", "epoch_2.png"]
    with Image.open(grids.paths[0]) as image:
        assert image.size[0] >= 300


def test_sample_grid_needs_a_model_that_generates(tmp_path):
    classifier = numnet.Sequential([numnet.Input((2,)), Dense(1)])
    classifier.compile("sgd", "mse")
    with pytest.raises(TypeError, match="SampleGrid needs a model with generate"):
        classifier.fit(np.zeros((4, 2)), np.zeros((4, 1)), verbose=0, callbacks=[SampleGrid()])
    for bad in ({"n": 0}, {"every": 0}, {"n": 2.5}):
        with pytest.raises(ValueError, match="must be a positive integer"):
            SampleGrid(tmp_path / "x.png", **bad)
