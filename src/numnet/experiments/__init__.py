"""Experiments that reproduce the notes' claims: each a `run(out_dir, seed, quick)` that
writes its figures and results.json and returns a `Result`."""

from numnet.experiments import activations, gates, init_histograms, zero_init

EXPERIMENTS = {
    "activations": activations,
    "gates": gates,
    "zero-init": zero_init,
    "init-histograms": init_histograms,
}

__all__ = ["EXPERIMENTS"]
