"""The search space: the notes' hyperparameters, overrides, and impossible ranges."""

from __future__ import annotations

import optuna
import pytest

from numnet.tuning import Choice, Range, SearchSpace, default_space

NOTES = {"learning_rate", "batch_size", "optimizer", "layers", "units", "activation", "dropout"}


def test_the_mlp_searches_the_notes_list_and_fixed_networks_only_their_training():
    assert set(default_space("mlp").parameters) == NOTES | {"weight_decay"}
    assert set(default_space("lenet5").parameters) == {"learning_rate", "batch_size", "optimizer"}
    assert default_space().parameters["learning_rate"].log


def test_overrides_move_fix_and_choose():
    space = default_space().with_overrides(
        ["learning_rate=1e-3:1e-2", "layers=2", "activation=TANH,relu,tanh", "batch_size=16"]
    )
    assert space.parameters["learning_rate"] == Range(1e-3, 1e-2, log=True)
    assert space.parameters["layers"].low == space.parameters["layers"].high == 2
    assert space.parameters["activation"].values == ("tanh", "relu")  # lowercase, once each
    assert space.parameters["batch_size"].values == (16,)
    assert default_space().parameters["layers"].high == 3  # the default is left as it was


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("learning_rate=0.1:0.001", "learning_rate=0.1:0.001 is empty (low is above high)"),
        ("learning_rate=0:0.1", "log scale, so both bounds must be > 0, got 0:0.1"),
        ("weight_decay=-1e-3:1e-2", "log scale, so both bounds must be > 0"),
        ("dropout=0.2:1", "dropout takes values in [0, 1), got 0.2:1"),
        ("layers=0:2", "layers takes values in [1, inf), got 0:2"),
        ("layers=1.5:3", "layers takes whole numbers, got '1.5:3'"),
        ("units=a:b", "units takes whole numbers"),
        ("learning_rate=1:2:3", "takes low:high or one value"),
        ("batch_size=32,0", "batch_size takes whole numbers >= 1, got '0'"),
        ("optimizer=adam,nadam", "unknown optimizer 'nadam'; valid names: adagrad"),
        ("activation=relu,,tanh", "takes values separated by commas"),
        ("lr=1e-3:1e-2", "no parameter 'lr'; it has learning_rate, batch_size"),
        ("units", "expected name=range"),
    ],
)
def test_an_impossible_override_is_one_clear_line(spec, message):
    with pytest.raises(ValueError) as caught:
        default_space().override(spec)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_shape_of_a_fixed_network_cannot_be_searched():
    with pytest.raises(ValueError, match=r"the network's shape is searched for --model mlp"):
        default_space("lenet5").override("units=16:32")


def test_a_space_built_by_hand_is_checked_too():
    with pytest.raises(ValueError, match="is empty"):
        SearchSpace({"learning_rate": Range(1.0, 0.1)})


def test_trials_draw_within_the_ranges_on_the_scales_asked_for():
    space = default_space().with_overrides(["units=8:64", "optimizer=sgd,adam"])
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.RandomSampler(0))
    for _ in range(30):
        trial = study.ask()
        config = space.suggest(trial)
        assert 1e-4 <= config["learning_rate"] <= 1e-1
        assert isinstance(config["units"], int) and 8 <= config["units"] <= 64
        assert config["layers"] in (1, 2, 3) and config["optimizer"] in ("sgd", "adam")
        assert config["batch_size"] in (32, 64, 128, 256) and 0 <= config["dropout"] <= 0.5
        study.tell(trial, 0.5)
    distributions = study.trials[0].distributions
    assert distributions["learning_rate"].log and distributions["units"].log
    assert not distributions["dropout"].log
    assert distributions["optimizer"].choices == ("sgd", "adam")
    rates = [t.params["learning_rate"] for t in study.trials]
    assert min(rates) < 1e-3 < 1e-2 < max(rates)  # log-uniform: each decade is drawn


def test_describe_reads_like_the_override_syntax():
    described = default_space().describe()
    assert described["learning_rate"] == "0.0001:0.1 (log)"
    assert described["optimizer"] == "sgd,momentum,rmsprop,adam"
    assert Choice((32, 64)).describe() == "32,64"
