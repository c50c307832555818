"""The notes' Keras program and the hand-written loop, on the real MNIST (seconds per epoch)."""

import runpy
from pathlib import Path

import numnet

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_notes_keras_program_reaches_the_keras_band(capsys):
    numnet.random.seed(0)
    namespace = runpy.run_path(str(EXAMPLES / "keras_mnist_mlp.py"), run_name="__main__")
    history = namespace["history"].history
    assert len(history["loss"]) == 4
    assert history["loss"][-1] < history["loss"][0]
    assert namespace["score"][1] >= 0.975, namespace["score"]
    assert "Epoch 4/4" in capsys.readouterr().out


def test_hand_written_loop_reaches_the_same_band():
    namespace = runpy.run_path(str(EXAMPLES / "hand_written_loop.py"))
    assert namespace["main"](epochs=4, seed=0) >= 0.975


def test_lenet5_example_learns_and_draws_its_filters(tmp_path):
    namespace = runpy.run_path(str(EXAMPLES / "lenet5_keras.py"))
    accuracy = namespace["main"](epochs=1, out_dir=str(tmp_path), train_limit=6000)
    assert accuracy > 0.7  # 47 steps from 10% chance
    for name in ("filters_before", "filters_after", "feature_maps_before", "feature_maps_after"):
        assert (tmp_path / f"{name}.png").stat().st_size > 5_000
