"""Experiments that reproduce the notes' claims: each a `run(out_dir, seed, quick)` that
writes its figures and results.json and returns a `Result`."""

from numnet.experiments import (
    activations,
    batchnorm,
    cnn_filters,
    dead_relu,
    gates,
    hyperparameter_search,
    init_histograms,
    linear_collapse,
    lr_decay,
    mnist_mlp,
    optimizers,
    overfitting,
    planar,
    vanishing_gradients,
    zero_init,
)

EXPERIMENTS = {
    "activations": activations,
    "gates": gates,
    "linear-collapse": linear_collapse,
    "planar": planar,
    "zero-init": zero_init,
    "init-histograms": init_histograms,
    "vanishing-gradients": vanishing_gradients,
    "dead-relu": dead_relu,
    "optimizers": optimizers,
    "lr-decay": lr_decay,
    "batchnorm": batchnorm,
    "overfitting": overfitting,
    "hyperparameter-search": hyperparameter_search,
    "mnist-mlp": mnist_mlp,
    "cnn-filters": cnn_filters,
}

__all__ = ["EXPERIMENTS"]
