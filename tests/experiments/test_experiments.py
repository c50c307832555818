"""Each experiment, in its quick configuration, shows the claim it is about."""

import json

import pytest

from numnet import cli
from numnet.experiments import EXPERIMENTS


def test_activations(tmp_path):
    numbers = EXPERIMENTS["activations"].run(tmp_path, quick=True).numbers
    assert numbers["sigmoid_derivative_max"] == pytest.approx(0.25, abs=1e-3)
    assert numbers["tanh_derivative_max"] == pytest.approx(1.0, abs=1e-3)
    assert numbers["step_derivative_max"] == 0.0
    assert (tmp_path / "activations.png").stat().st_size > 10_000


def test_gates(tmp_path):
    numbers = EXPERIMENTS["gates"].run(tmp_path, quick=True).numbers
    assert numbers["perceptron_converged"] == {"AND": True, "NAND": True, "OR": True, "XOR": False}
    assert numbers["hand_set_gates_correct"]
    assert numbers["network_xor_outputs"] == [0, 1, 1, 0]


def test_zero_init(tmp_path):
    numbers = EXPERIMENTS["zero-init"].run(tmp_path, quick=True).numbers
    assert numbers["zero_init_max_difference_between_units"] < 1e-6
    assert numbers["random_init_final_accuracy"] > numbers["zero_init_final_accuracy"] + 0.2


def test_init_histograms(tmp_path):
    numbers = EXPERIMENTS["init-histograms"].run(tmp_path, quick=True).numbers
    assert numbers["std 1, sigmoid"]["saturated_fraction"] > 0.3
    assert numbers["std 0.01, sigmoid"]["last_layer_std"] < 0.02
    assert (
        numbers["Xavier, sigmoid"]["last_layer_std"]
        > 5 * numbers["std 0.01, sigmoid"]["last_layer_std"]
    )
    assert numbers["Xavier, sigmoid"]["saturated_fraction"] < 0.01


def test_experiment_command(tmp_path, capsys):
    assert cli.main(["experiment", "list"]) == 0
    assert "init-histograms" in capsys.readouterr().out
    assert cli.main(["experiment", "gates", "--quick", "--out", str(tmp_path / "one")]) == 0
    assert json.loads((tmp_path / "one" / "results.json").read_text())["name"] == "gates"
    assert cli.main(["experiment", "all", "--quick", "--out", str(tmp_path / "all")]) == 0
    page = (tmp_path / "all" / "index.html").read_text()
    for name in EXPERIMENTS:
        assert f'id="{name}"' in page
    assert cli.main(["experiment", "nope"]) == 1
    assert "unknown experiment 'nope'" in capsys.readouterr().err
