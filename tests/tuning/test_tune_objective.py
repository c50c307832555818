"""The objective: a held-out part of the training set, networks as drawn, no test set."""

from __future__ import annotations

import numpy as np
import pytest
from tune_helpers import FAST

from numnet import layers, optimizers
from numnet.cli import tune as tune_command
from numnet.tuning import holdout_split
from numnet.tuning.models import build_model, searched_mlp

CONFIG = {"learning_rate": 3e-3, "optimizer": "rmsprop", "batch_size": 64, "layers": 2,
          "units": 24, "activation": "tanh", "dropout": 0.25, "weight_decay": 1e-4}  # fmt: skip


def test_the_held_out_part_is_disjoint_the_same_everywhere_and_seeded():
    x, y = np.arange(100).reshape(100, 1), np.arange(100)
    (x_fit, y_fit), (x_val, y_val) = holdout_split(x, y, 0.2)
    assert len(x_val) == 20 and len(x_fit) == 80
    assert sorted([*y_fit, *y_val]) == list(range(100))  # every sample once
    assert (x_val[:, 0] == y_val).all()  # pairs stay pairs
    assert (holdout_split(x, y, 0.2)[1][1] == y_val).all()  # every worker holds out the same
    assert not (holdout_split(x, y, 0.2, seed=1)[1][1] == y_val).all()
    assert not (y_val == np.arange(20)).all()  # shuffled, not the first 20


@pytest.mark.parametrize(("fraction", "message"), [(0.0, "in \\(0, 1\\)"), (0.001, "empty part")])
def test_a_held_out_part_that_cannot_be_is_an_error(fraction, message):
    with pytest.raises(ValueError, match=message):
        holdout_split(np.zeros((100, 2)), np.zeros(100), fraction)


def test_the_searched_mlp_has_the_drawn_shape():
    model = searched_mlp(CONFIG)
    dense = [layer for layer in model.layers if isinstance(layer, layers.Dense)]
    assert [d.units for d in dense] == [24, 24, 10]
    activations = [
        a.get_config()["activation"] for a in model.layers if isinstance(a, layers.Activation)
    ]
    assert activations == ["tanh", "tanh"]
    assert [d.rate for d in model.layers if isinstance(d, layers.Dropout)] == [0.25, 0.25]
    assert all(d.kernel_regularizer.l2 == pytest.approx(1e-4) for d in dense[:2])
    no_dropout = searched_mlp({**CONFIG, "layers": 1, "dropout": 0.0})
    assert not any(isinstance(layer, layers.Dropout) for layer in no_dropout.layers)


def test_a_fixed_network_keeps_its_architecture_and_takes_the_drawn_training():
    config = {"learning_rate": 2e-3, "optimizer": "momentum", "batch_size": 32}
    model = build_model("lenet5", config, train_samples=100)
    assert sum(isinstance(layer, layers.Conv2D) for layer in model.layers) == 2
    assert isinstance(model.optimizer, optimizers.Momentum)
    # LeNet-5's recipe decays the rate by 0.85 each epoch: at step 0 it is the drawn one.
    assert model.optimizer.current_learning_rate == pytest.approx(2e-3)


def test_the_search_reads_only_the_training_split_and_retrain_the_test_split_once(
    tmp_path, monkeypatch, tune
):
    splits = []
    real_load_split = tune_command.load_split

    def recording_load_split(dataset, split, limit=None):
        splits.append(split)
        return real_load_split(dataset, split, limit)

    monkeypatch.setattr(tune_command, "load_split", recording_load_split)
    status, out, _ = tune("--trials", "2", *FAST, "--out", str(tmp_path))
    assert status == 0 and splits == ["train"]
    assert "270 images to fit, 30 held out to score them" in out
    status, out, _ = tune(
        "--trials", "0", "--retrain", "--test-limit", "100", "--out", str(tmp_path)
    )
    assert status == 0 and splits == ["train", "train", "test"]
    assert "Retraining trial" in out and "on all 300 training images" in out
