"""Scoring a set of digit images with an MNIST classifier.

`score_images(images, classifier)` returns:

* ``n``: how many images were scored;
* ``class_shares``: for each digit 0-9, the fraction of the images the classifier
  predicts as that digit (they sum to 1);
* ``classes_present``: how many digits get a share of at least `PRESENT_SHARE` (1%);
  a generator that draws every digit scores 10;
* ``max_class_share``: the largest share (0.1 when the ten digits are equally frequent;
  above 0.2 means one digit is drawn at least twice as often as it should be);
* ``mean_confidence``: the mean over images of the classifier's top probability;
* ``inception_score``: exp(E_x KL(p(y|x) || p(y))) (Salimans et al. 2016) on the
  classifier's softmax, from 1 (all images look alike to it) to 10 (confident and
  evenly spread);
* ``frechet_distance``: the Fréchet distance (Heusel et al. 2017) between Gaussians fitted
  to the classifier's penultimate-layer features of the images and of the 10,000 real
  MNIST test digits; 0 for identical statistics, lower is better. It is biased upwards
  for small sets, so compare sets of the same size.

The numbers only mean something beside references: `reference_scores(classifier)` gives
them for real training digits (the best a generator can hope for), and the untrained
generator's come from `score_images(untrained_generator_samples, classifier)`.
"""

from __future__ import annotations

import hashlib
import weakref
from typing import Any

import numpy as np

from numnet.generative import measures
from numnet.generative.classifier import features
from numnet.generative.digits import as_digit_images, mnist_digits
from numnet.models import Model

Statistics = tuple[np.ndarray, np.ndarray]
TRAIN_DIGITS = 60_000  # MNIST's training split

# classifier -> (fingerprint of its weights, statistics of the real test digits' features)
_real_statistics: weakref.WeakKeyDictionary[Model, tuple[str, Statistics]] = (
    weakref.WeakKeyDictionary()
)


def score_images(images: Any, classifier: Model, batch_size: int = 1000) -> dict[str, Any]:
    """The scores above for `images`: (N, 28, 28, 1), (N, 28, 28) or (N, 784) values in
    [0, 1], N >= 2 (anything else is a ValueError)."""
    images = as_digit_images(images)
    probabilities = np.asarray(classifier.predict(images, batch_size=batch_size))
    if probabilities.ndim != 2 or probabilities.shape[1] != 10:
        raise ValueError(
            f"the classifier must output (N, 10) probabilities, got shape {probabilities.shape}"
        )
    shares = measures.class_shares(probabilities)
    mu, sigma = measures.gaussian_statistics(features(classifier, images, batch_size))
    real_mu, real_sigma = real_statistics(classifier)
    return {
        "n": len(images),
        "class_shares": [float(share) for share in shares],
        "classes_present": int(np.sum(shares >= measures.PRESENT_SHARE)),
        "max_class_share": float(shares.max()),
        "mean_confidence": float(probabilities.max(axis=1).mean()),
        "inception_score": measures.inception_score(probabilities),
        "frechet_distance": measures.frechet_distance(mu, sigma, real_mu, real_sigma),
    }


def reference_scores(classifier: Model, n: int = 10_000, seed: int = 0) -> dict[str, Any]:
    """`score_images` of `n` real MNIST training digits, drawn without replacement with
    `seed`: what a generator that had learnt the data perfectly would score."""
    if not 2 <= n <= TRAIN_DIGITS:
        raise ValueError(f"n must be between 2 and {TRAIN_DIGITS} training digits, got {n}")
    chosen = np.random.default_rng(seed).choice(TRAIN_DIGITS, size=n, replace=False)
    images, _ = mnist_digits("train", np.sort(chosen))
    return score_images(images, classifier)


def real_statistics(classifier: Model) -> Statistics:
    """Mean and covariance of the classifier's features of the 10,000 MNIST test digits,
    computed once per classifier (again only if its weights change)."""
    fingerprint = _fingerprint(classifier)
    cached = _real_statistics.get(classifier)
    if cached is None or cached[0] != fingerprint:
        images, _ = mnist_digits("test")
        statistics = measures.gaussian_statistics(features(classifier, images))
        _real_statistics[classifier] = cached = (fingerprint, statistics)
    return cached[1]


def _fingerprint(model: Model) -> str:
    digest = hashlib.sha256()
    for weight in model.get_weights():
        digest.update(np.ascontiguousarray(weight).tobytes())
    return digest.hexdigest()
