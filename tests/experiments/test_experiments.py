"""Each experiment, in its quick configuration, shows the claim it is about.

One `numnet experiment all --quick` run serves every test, as a user would run it.
"""

import json
from pathlib import Path

import pytest

from numnet import cli
from numnet.experiments import EXPERIMENTS, load

# Their quick configurations are too small to show the claim: batch norm needs more epochs
# at the largest weight scale, and the MLP more than one epoch to reach the Keras band.
QUICK_FALLS_SHORT = {"batchnorm", "mnist-mlp"}


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("experiments")
    assert cli.main(["experiment", "all", "--quick", "--out", str(out)]) == 0
    return out


def numbers_of(out: Path, name: str) -> dict:
    return json.loads((out / name / "results.json").read_text())["numbers"]


@pytest.mark.parametrize("name", list(EXPERIMENTS))
def test_results_say_whether_the_claim_holds(quick_run, name):
    results = json.loads((quick_run / name / "results.json").read_text())
    assert results["quick"] is True
    text, holds = load(name).claim(results["numbers"])
    assert results["claim_holds"] is holds and results["claim"] == text
    assert holds is (name not in QUICK_FALLS_SHORT)


def test_activations(quick_run):
    numbers = numbers_of(quick_run, "activations")
    assert numbers["sigmoid_derivative_max"] == pytest.approx(0.25, abs=1e-3)
    assert numbers["tanh_derivative_max"] == pytest.approx(1.0, abs=1e-3)
    assert numbers["step_derivative_max"] == 0.0
    assert (quick_run / "activations" / "activations.png").stat().st_size > 10_000


def test_gates(quick_run):
    numbers = numbers_of(quick_run, "gates")
    assert numbers["perceptron_converged"] == {"AND": True, "NAND": True, "OR": True, "XOR": False}
    assert numbers["hand_set_gates_correct"]
    assert numbers["network_xor_outputs"] == [0, 1, 1, 0]


def test_zero_init(quick_run):
    numbers = numbers_of(quick_run, "zero-init")
    assert numbers["zero_init_max_difference_between_units"] < 1e-6
    assert numbers["random_init_final_accuracy"] > numbers["zero_init_final_accuracy"] + 0.2


def test_init_histograms(quick_run):
    numbers = numbers_of(quick_run, "init-histograms")
    assert numbers["std 1, sigmoid"]["saturated_fraction"] > 0.3
    assert numbers["std 0.01, sigmoid"]["last_layer_std"] < 0.02
    assert (
        numbers["Xavier, sigmoid"]["last_layer_std"]
        > 5 * numbers["std 0.01, sigmoid"]["last_layer_std"]
    )
    assert numbers["Xavier, sigmoid"]["saturated_fraction"] < 0.01


def test_experiment_command(quick_run, tmp_path, capsys):
    assert cli.main(["experiment", "list"]) == 0
    assert "init-histograms" in capsys.readouterr().out
    assert cli.main(["experiment", "gates", "--quick", "--out", str(tmp_path / "one")]) == 0
    assert json.loads((tmp_path / "one" / "results.json").read_text())["name"] == "gates"
    page = (quick_run / "index.html").read_text()
    assert "<b>Quick run</b>" in page and "Claim holds" in page and "Claim does not hold" in page
    for name in EXPERIMENTS:
        assert f'id="{name}"' in page
        for figure in json.loads((quick_run / name / "results.json").read_text())["figures"]:
            assert f'src="{name}/{figure["file"]}"' in page
            assert (quick_run / name / figure["file"]).stat().st_size > 5000
    assert cli.main(["experiment", "nope"]) == 1
    assert "unknown experiment 'nope'" in capsys.readouterr().err


def test_linear_collapse(quick_run):
    numbers = numbers_of(quick_run, "linear-collapse")
    assert numbers["end_to_end_vs_single_max_abs_difference"] < 0.05
    assert numbers["moons_accuracy_one_tanh_layer"] > numbers["moons_accuracy_deep_linear"] + 0.05


def test_planar(quick_run):
    numbers = numbers_of(quick_run, "planar")
    assert numbers["logistic_regression_accuracy"] < 0.6
    assert numbers["hidden_size_accuracy"]["4"] > 0.85


def test_vanishing_gradients(quick_run):
    ratios = numbers_of(quick_run, "vanishing-gradients")["last_over_first_layer_gradient_at_init"]
    assert ratios["sigmoid"] >= 100
    assert ratios["relu"] < 10


def test_dead_relu(quick_run):
    numbers = numbers_of(quick_run, "dead-relu")
    relu, leaky = numbers["relu"]["dead_fraction"], numbers["leaky_relu"]["dead_fraction"]
    assert relu[-1] > relu[0] + 0.1  # many more dead units at the largest learning rate
    accuracy = numbers["leaky_relu"]["test_accuracy"][-1], numbers["relu"]["test_accuracy"][-1]
    assert accuracy[0] > accuracy[1] + 0.1  # where ReLU units die, leaky ReLU still learns
    assert len(leaky) == len(relu)


def test_optimizers(quick_run):
    numbers = numbers_of(quick_run, "optimizers")
    losses = numbers["final_mnist_loss"]
    assert losses["Adam"] < losses["SGD"] and losses["Momentum"] < losses["SGD"]


def test_lr_decay(quick_run):
    spread = numbers_of(quick_run, "lr-decay")["last_epoch_probe_loss_std"]
    assert 3 * max(v for k, v in spread.items() if k != "constant") < spread["constant"]


def test_batchnorm(quick_run):
    final = numbers_of(quick_run, "batchnorm")["final_training_accuracy"]
    assert all(by["with BN"] > by["without BN"] for by in final.values())


def test_overfitting(quick_run):
    gaps = numbers_of(quick_run, "overfitting")
    assert gaps["dropout 0.2"]["gap"] < gaps["none"]["gap"]
    assert gaps["L2 weight decay 0.05"]["gap"] < gaps["none"]["gap"]


def test_hyperparameter_search(quick_run):
    numbers = numbers_of(quick_run, "hyperparameter-search")
    trials = numbers["trials"]
    assert trials[0]["val_accuracy"] >= trials[-1]["val_accuracy"]
    assert numbers["best_test_accuracy"] > 0.3


def test_mnist_mlp(quick_run):
    numbers = numbers_of(quick_run, "mnist-mlp")
    assert numbers["test_accuracy"] > 0.9
    folder = quick_run / "mnist-mlp"
    assert (folder / "mistakes.png").exists() and (folder / "confusion.png").exists()


def test_cnn_filters(quick_run):
    numbers = numbers_of(quick_run, "cnn-filters")
    assert numbers["test_accuracy"] > 0.6
    # noise has no spatial structure; learned filters do (measured rise 0.06-0.09, seeds 0-2)
    rise = numbers["neighbour_correlation_after"] - numbers["neighbour_correlation_before"]
    assert rise > 0.03
    names = {p.name for p in (quick_run / "cnn-filters").glob("*.png")}
    assert names >= {"filters_before.png", "filters_after.png"}
