"""`numnet train --model gan`, shortened: it writes its files and its digits score better
than the untrained generator's by a (quickly trained) MNIST classifier."""

import json

import numpy as np
import pytest

import numnet
from numnet import layers
from numnet.cli import main
from numnet.datasets import mnist


@pytest.fixture(scope="module")
def quick_classifier(tmp_path_factory) -> str:
    """A small dense classifier (about 95% on MNIST) standing in for the 99% one."""
    numnet.random.seed(0)
    (x, y), _ = mnist.load_data()
    model = numnet.Sequential(
        [numnet.Input((28, 28, 1)), layers.Flatten(), layers.Dense(128, activation="relu"),
         layers.Dense(10, activation="softmax")]
    )  # fmt: skip
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x[:20000, :, :, None] / 255.0, y[:20000], epochs=2, batch_size=128, verbose=0)
    path = tmp_path_factory.mktemp("classifier") / "classifier.npz"
    model.save(path)
    return str(path)


def test_a_short_gan_run_beats_the_untrained_generator(quick_classifier, tmp_path, capsys):
    argv = ["train", "--model", "gan", "--epochs", "2", "--train-limit", "6000", "--seed", "0"]
    assert main([*argv, "--classifier", quick_classifier, "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "untrained_generator" in out and "real_training_digits" in out
    assert (tmp_path / "generator.npz").is_file() and (tmp_path / "curves.png").is_file()
    assert sorted(p.name for p in (tmp_path / "samples").iterdir()) == [
        "epoch_001.png", "epoch_002.png"
    ]  # fmt: skip
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert set(metrics["history"]) == {"d_loss", "g_loss", "d_acc_real", "d_acc_fake"}
    scores = metrics["scores"]
    generated, untrained = scores["generated"], scores["untrained_generator"]
    assert generated["frechet_distance"] < 0.5 * untrained["frechet_distance"]
    assert generated["classes_present"] > untrained["classes_present"]
    real = scores["real_training_digits"]
    assert (
        real["classes_present"] == 10 and real["frechet_distance"] < generated["frechet_distance"]
    )
    generator = numnet.models.load_model(tmp_path / "generator.npz")
    images = generator.predict(np.random.default_rng(0).normal(size=(4, 64)))
    assert images.shape == (4, 28, 28, 1) and images.min() >= 0 and images.max() <= 1


@pytest.mark.slow
def test_full_mlp_gan_draws_all_ten_digits(tmp_path):
    """The MLP recipe with its defaults, judged by the 99% classifier (issue 13's bar)."""
    assert main(["train", "--model", "gan", "--seed", "0", "--out", str(tmp_path)]) == 0
    generated = json.loads((tmp_path / "metrics.json").read_text())["scores"]["generated"]
    assert generated["classes_present"] == 10
    assert generated["max_class_share"] <= 0.2
    assert generated["mean_confidence"] >= 0.9


@pytest.mark.slow
def test_full_dcgan_learns_every_digit(tmp_path):
    """The DCGAN recipe (untuned: measured 10 classes, largest share 20%, confidence 0.83,
    Fréchet distance 50 against the untrained generator's 393) covers every digit."""
    assert main(["train", "--model", "dcgan", "--seed", "0", "--out", str(tmp_path)]) == 0
    scores = json.loads((tmp_path / "metrics.json").read_text())["scores"]
    generated, untrained = scores["generated"], scores["untrained_generator"]
    assert generated["classes_present"] == 10 and generated["max_class_share"] <= 0.25
    assert generated["frechet_distance"] < 0.25 * untrained["frechet_distance"]
