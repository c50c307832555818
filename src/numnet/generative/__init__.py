"""Measuring generated MNIST digits with a numnet classifier.

`mnist_classifier()` gives a LeNet-5 trained once (then loaded from numnet's cache) with
about 99.1% test accuracy; `score_images(images, classifier)` gives the share of each
predicted digit, the mean confidence, an Inception score and a Fréchet distance to the real
test digits' features; `reference_scores(classifier)` gives the same for real training
digits. See `scores.py` for what each number means.
"""

from numnet.generative.classifier import (
    classifier_accuracy,
    default_path,
    feature_model,
    features,
    mnist_classifier,
    train_classifier,
)
from numnet.generative.digits import as_digit_images, mnist_digits
from numnet.generative.measures import (
    PRESENT_SHARE,
    class_shares,
    frechet_distance,
    gaussian_statistics,
    inception_score,
)
from numnet.generative.scores import real_statistics, reference_scores, score_images

__all__ = [
    "PRESENT_SHARE",
    "as_digit_images",
    "class_shares",
    "classifier_accuracy",
    "default_path",
    "feature_model",
    "features",
    "frechet_distance",
    "gaussian_statistics",
    "inception_score",
    "mnist_classifier",
    "mnist_digits",
    "real_statistics",
    "reference_scores",
    "score_images",
    "train_classifier",
]
