"""Short-term memory, measured: SimpleRNN, GRU and LSTM on the adding problem.

An RNN carries its state from step to step, so in principle it remembers everything; in
practice the gradient that reaches an early step is a product of one Jacobian per step
and shrinks (or grows) geometrically, so a SimpleRNN learns short dependencies only. The
LSTM's cell state (and the GRU's gated update) is a path along which the gradient is
multiplied by a gate near 1 instead, so early inputs keep their influence.

The task (Hochreiter & Schmidhuber 1997, in the form of Le, Jaitly & Hinton 2015, whose
Figure 2 shows the tanh RNN failing at length 100): add the two values marked in a
sequence of `length` random numbers, the first mark in the first half. Always predicting
the mean scores a test MSE of about 0.167 (computed here from the test set); a network
must remember the first marked value for up to `length` steps to do better.

The recipe, the same for every cell and length (fixed before the runs): 32 units, a Dense
output, Adam from 0.01 with cosine decay to 0.001 and clipnorm 1.0, batch 64, 6,400
training and 1,000 test sequences, 25 epochs (2,500 steps). "Solves" means a test MSE
below 0.01, under 6% of the baseline's.

Why, measured: how much the prediction depends on each input step, ||dy/dx_t|| relative
to the last step's, for each cell at the longest length, before training (Keras' default
initialisation) and after. The figures are drawn in `rnn_memory_draw`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

import numnet
from numnet import layers, optimizers
from numnet.datasets import adding_problem
from numnet.experiments.common import Result, finish, prepare
from numnet.experiments.rnn_memory_draw import draw
from numnet.optimizers.schedules import CosineDecay

NAME = "rnn-memory"
CELLS = ("SimpleRNN", "GRU", "LSTM")
SOLVED = 0.01  # a test MSE below this solves the task
FAILED = 0.1  # a test MSE above this has learned little (the baseline is ~0.167)
UNITS, BATCH, LEARNING_RATE, CLIPNORM = 32, 64, 0.01, 1.0
FULL = {"lengths": [10, 50, 100], "train": 6400, "test": 1000, "epochs": 25}
QUICK = {"lengths": [10], "train": 1280, "test": 200, "epochs": 4}
PROBED = 256  # test sequences whose gradients the survival profile averages


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when at length 10 every cell's test MSE is below SOLVED (0.01), and at length
    100 the LSTM's and the GRU's are below 0.01 while the SimpleRNN's is above FAILED
    (0.1). A run without length 100 (a quick one) cannot bear it out."""
    mse = numbers["test_mse"]
    holds = (
        "10" in mse
        and "100" in mse
        and all(mse["10"][cell] < SOLVED for cell in CELLS)
        and mse["100"]["LSTM"] < SOLVED
        and mse["100"]["GRU"] < SOLVED
        and mse["100"]["SimpleRNN"] > FAILED
    )
    text = (
        "all three cells solve the adding problem at length 10 (test MSE < 0.01, against "
        "0.167 for always predicting the mean); at length 100 the LSTM and the GRU still "
        "do (MSE < 0.01) while the SimpleRNN stays above 0.1: its memory is short"
    )
    return text, holds


def recurrent_model(cell: str, length: int, steps: int) -> Any:
    """cell(32) -> Dense(1) over (length, 2) sequences, compiled with the recipe's Adam."""
    model = numnet.Sequential(
        [layers.Input((length, 2)), getattr(layers, cell)(UNITS), layers.Dense(1)]
    )
    schedule = CosineDecay(LEARNING_RATE, steps, alpha=0.1)
    model.compile(optimizer=optimizers.Adam(schedule, clipnorm=CLIPNORM), loss="mse")
    return model


def gradient_survival(model: Any, x: np.ndarray) -> np.ndarray:
    """How much of the output's gradient reaches each input step: the mean over sequences
    of ||d y / d x_t||, divided by that of the last step (1 at t = T, log-spaced below)."""
    inputs = numnet.tensor(x, requires_grad=True)
    model(inputs, training=False).sum().backward()
    norms = np.linalg.norm(np.asarray(inputs.grad), axis=-1).mean(axis=0)
    return norms / norms[-1]


def train(cell: str, length: int, config: dict, seed: int) -> dict[str, Any]:
    """Train one cell at one length; its test MSE per epoch and the trained model."""
    x, y = adding_problem(config["train"], length, seed=seed)
    xt, yt = adding_problem(config["test"], length, seed=seed + 1)
    numnet.random.seed(seed)
    steps = config["epochs"] * -(-config["train"] // BATCH)
    model = recurrent_model(cell, length, steps)
    history = model.fit(x, y, batch_size=BATCH, epochs=config["epochs"], verbose=0,
                        validation_data=(xt, yt), seed=seed).history  # fmt: skip
    curve = [float(v) for v in history["val_loss"]]
    return {"curve": curve, "train_mse": float(history["loss"][-1]), "model": model}


def survival_profiles(trained: dict[str, Any], length: int, seed: int) -> dict[str, dict]:
    """`gradient_survival` of each cell's trained model and of the same model before
    training (rebuilt from the seed), on PROBED test sequences of `length` steps."""
    probe, _ = adding_problem(PROBED, length, seed=seed + 1)
    profiles: dict[str, dict[str, np.ndarray]] = {"untrained": {}, "trained": {}}
    for cell, model in trained.items():
        numnet.random.seed(seed)  # the initial weights `train` started from
        profiles["untrained"][cell] = gradient_survival(recurrent_model(cell, length, 1), probe)
        profiles["trained"][cell] = gradient_survival(model, probe)
    return profiles


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Train every cell at every length; profile the gradients at the longest length."""
    config = QUICK if quick else FULL
    test_mse: dict[str, dict[str, float]] = {}
    train_mse: dict[str, dict[str, float]] = {}
    curves: dict[str, dict[str, list[float]]] = {}
    baseline: dict[str, float] = {}
    for length in config["lengths"]:
        key = str(length)
        _, yt = adding_problem(config["test"], length, seed=seed + 1)
        baseline[key] = float(np.mean((yt - yt.mean()) ** 2))  # always predict the mean
        runs = {cell: train(cell, length, config, seed) for cell in CELLS}
        curves[key] = {cell: run["curve"] for cell, run in runs.items()}
        test_mse[key] = {cell: run["curve"][-1] for cell, run in runs.items()}
        train_mse[key] = {cell: run["train_mse"] for cell, run in runs.items()}
    longest = config["lengths"][-1]  # `runs` holds the models trained at this length
    survival = survival_profiles({c: run["model"] for c, run in runs.items()}, longest, seed)
    numbers: dict[str, Any] = {
        "cells": list(CELLS),
        "lengths": config["lengths"],
        "recipe": {
            "units": UNITS,
            "optimizer": "Adam, cosine decay 0.01 -> 0.001",
            "clipnorm": CLIPNORM,
            "batch_size": BATCH,
            "epochs": config["epochs"],
            "train_sequences": config["train"],
            "test_sequences": config["test"],
        },
        "solved_below": SOLVED,
        "failed_above": FAILED,
        "mean_prediction_mse": baseline,
        "test_mse": test_mse,
        "final_train_mse": train_mse,
        "test_mse_per_epoch": curves,
        "gradient_surviving_to_step_1": {
            when: {cell: float(profile[0]) for cell, profile in by_cell.items()}
            for when, by_cell in survival.items()
        },
        "gradient_profile_length": longest,
    }
    return {"numbers": numbers, "survival": survival}


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
