"""input-normalization, one-hot and zigzag: their quick runs show what they are about, and
their claims and helpers decide by the rules their docstrings state.

One quick run of each (seed 0) serves every test here; `test_experiments.py` runs them
again inside `experiment all --quick`.
"""

import copy
import json
from pathlib import Path

import numpy as np
import pytest

from numnet.experiments import input_normalization, load, one_hot, zigzag

NEW = ("input-normalization", "one-hot", "zigzag")


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("new_experiments")
    for name in NEW:
        load(name).run(out / name, seed=0, quick=True)
    return out


def results_of(out: Path, name: str) -> dict:
    return json.loads((out / name / "results.json").read_text())


@pytest.mark.parametrize("name", NEW)
def test_results_record_the_claim_their_numbers_decide(quick_run, name):
    results = results_of(quick_run, name)
    assert results["name"] == name and results["quick"] is True
    text, holds = load(name).claim(results["numbers"])
    assert results["claim"] == text and results["claim_holds"] is holds
    for figure in results["figures"]:
        assert (quick_run / name / figure["file"]).stat().st_size > 10_000
        assert figure["caption"]


def test_input_normalization(quick_run):
    results = results_of(quick_run, "input-normalization")
    runs = results["numbers"]["runs"]
    notes, adam, sgd = (runs[setting] for setting in input_normalization.SETTINGS)
    raw, scaled, standardised = input_normalization.INPUTS
    # The notes' batch norm divides the input's scale out: raw and [0, 1] pixels end alike.
    assert abs(notes[raw]["test_accuracy"] - notes[scaled]["test_accuracy"]) <= 0.01
    # Without it, raw pixels blow up Adam's first epoch and make SGD diverge.
    assert adam[raw]["loss"][0] > 5 * adam[scaled]["loss"][0]
    assert sgd[raw]["diverged"] and sgd[raw]["loss"] == []
    assert not any(run["diverged"] for run in (sgd[scaled], sgd[standardised]))
    assert results["claim_holds"] is True


def test_standardising_uses_the_training_statistics_and_spares_constant_pixels():
    rng = np.random.default_rng(0)
    x = rng.random((50, 4)).astype(np.float32)
    x[:, 0] = 0  # a border pixel: dark in every training image
    x_test = rng.random((10, 4)).astype(np.float32)
    raw, _, standardised = input_normalization.INPUTS
    fed = input_normalization.feeds(x, x_test)
    train, test = fed[standardised]
    assert np.allclose(train[:, 1:].mean(axis=0), 0, atol=1e-6)
    assert np.allclose(train[:, 1:].std(axis=0), 1, atol=1e-5)
    assert np.all(train[:, 0] == 0) and np.allclose(test[:, 0], x_test[:, 0])
    expected = (x_test[:, 1:] - x[:, 1:].mean(axis=0)) / x[:, 1:].std(axis=0)
    assert np.allclose(test[:, 1:], expected, atol=1e-5)
    assert np.allclose(fed[raw][1], x_test * 255)


def test_one_hot(quick_run):
    numbers = results_of(quick_run, "one-hot")["numbers"]
    number, hot = (numbers[method] for method in one_hot.METHODS)
    assert hot["test_accuracy"] > number["test_accuracy"] + 0.2
    assert number["neighbour_share"] > 2 * max(hot["neighbour_share"], number["even_spread_share"])
    for profile in (number, hot):
        matrix = np.array(profile["confusion"])
        assert matrix.sum() == 2000  # the quick run's test images
        assert np.trace(matrix) / matrix.sum() == pytest.approx(profile["test_accuracy"])
        assert sum(profile["share_by_distance"]) == pytest.approx(1)


def test_error_profile_counts_neighbours_against_an_even_spread():
    truth = np.array([0, 1, 2, 3, 9, 5])
    predicted = np.array([1, 1, 4, 2, 0, 5])  # errors at distances 1, 2, 1, 9
    profile = one_hot.error_profile(truth, predicted)
    assert profile["test_accuracy"] == pytest.approx(2 / 6)
    assert profile["errors"] == 4
    assert profile["neighbour_share"] == pytest.approx(2 / 4)
    # Neighbours among the nine wrong digits: 0 and 9 have one, 2 and 3 have two.
    assert profile["even_spread_share"] == pytest.approx((1 + 2 + 2 + 1) / 9 / 4)
    assert profile["share_by_distance"] == pytest.approx([0.5, 0.25] + [0] * 6 + [0.25])
    assert profile["confusion"][9][0] == 1 and profile["confusion"][5][5] == 1


def test_zigzag(quick_run):
    numbers = results_of(quick_run, "zigzag")["numbers"]
    neuron = numbers["neuron"]
    one_example = neuron["sigmoid inputs, batch 1"]
    # Positive inputs: every one-example update moves both weights the same way.
    assert one_example["one_sign_share"] == 1
    assert neuron["tanh inputs, batch 1"]["one_sign_share"] < 0.75
    assert one_example["path_over_straight"] > 2
    for batch in (1, 32):
        sigmoid, tanh = (neuron[f"{kind} inputs, batch {batch}"] for kind in ("sigmoid", "tanh"))
        assert sigmoid["steps"] >= 3 * tanh["steps"]
    assert neuron["sigmoid inputs, batch 32"]["one_sign_share"] < 0.5
    # Even two short epochs show the centred sigmoid's head start.
    best = numbers["network"]["best"]
    sigmoid, centred, _ = (best[hidden] for hidden in zigzag.HIDDEN)
    assert centred["loss"][0] < sigmoid["loss"][0]


def test_zigzag_claim_is_decided_by_the_network_as_well_as_the_neuron(quick_run):
    numbers = results_of(quick_run, "zigzag")["numbers"]
    sigmoid, centred, tanh = zigzag.HIDDEN

    def changed(changes: dict) -> dict:
        """The quick numbers with the network's best runs changed as `changes` says."""
        edited = copy.deepcopy(numbers)
        for (hidden, key), value in changes.items():
            edited["network"]["best"][hidden][key] = value
        return edited

    sigmoid_loss = numbers["network"]["best"][sigmoid]["final_loss"]
    close = {
        (sigmoid, "test_accuracy"): 0.94,
        (centred, "test_accuracy"): 0.945,
        (tanh, "test_accuracy"): 0.95,
        (centred, "final_loss"): 0.7 * sigmoid_loss,
    }
    assert zigzag.claim(changed(close))[1] is True
    assert zigzag.claim(changed({**close, (sigmoid, "test_accuracy"): 0.91}))[1] is False
    assert zigzag.claim(changed({**close, (centred, "final_loss"): 2 * sigmoid_loss}))[1] is False
    straight = changed(close)
    straight["neuron"]["sigmoid inputs, batch 1"]["one_sign_share"] = 0.9
    assert zigzag.claim(straight)[1] is False
