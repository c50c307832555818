"""Scores of generated digits: the measures against hand computations, a quickly trained
classifier telling real digits from noise, input checks, and (slow) the real classifier."""

from __future__ import annotations

import time

import numpy as np
import pytest

import numnet
from numnet import generative
from numnet.generative import measures
from numnet.generative.digits import JitteredBatches, shift_randomly


@pytest.fixture(scope="module")
def digits(tmp_path_factory: pytest.TempPathFactory):
    """3,000 training digits with labels and 1,000 others, read with the session's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "numnet-cache"))
        images, labels = generative.mnist_digits("train", slice(3000))
        others, _ = generative.mnist_digits("train", slice(-1000, None))
    return images, labels, others


@pytest.fixture(scope="module")
def small_classifier(digits):
    """LeNet-5 after 2 epochs on 3,000 digits (a few seconds; about 92% accurate)."""
    images, labels, _ = digits
    return generative.train_classifier(images, labels, epochs=2, seed=0)


# --- the measures on plain arrays -------------------------------------------------------
def test_frechet_distance_of_a_set_with_itself_is_zero(rng):
    features = rng.normal(size=(500, 20)) @ rng.normal(size=(20, 20))
    mu, sigma = measures.gaussian_statistics(features)
    assert measures.frechet_distance(mu, sigma, mu, sigma) == pytest.approx(0.0, abs=1e-8)


def test_frechet_distance_of_diagonal_gaussians_by_hand():
    # |(0, 0) - (3, 4)|^2 = 25; per axis, s1 + s2 - 2 sqrt(s1 s2): 1 + 4 - 4 = 1, 4 + 9 - 12 = 1
    distance = measures.frechet_distance(
        np.zeros(2), np.diag([1.0, 4.0]), np.array([3.0, 4.0]), np.diag([4.0, 9.0])
    )
    assert distance == pytest.approx(27.0, abs=1e-10)


def test_frechet_distance_of_sampled_shifted_gaussians_matches_the_closed_form(rng):
    std1, std2 = np.array([1.0, 2.0, 0.5]), np.array([1.5, 1.0, 0.5])
    shift = np.array([1.0, -2.0, 0.0])
    a = rng.normal(size=(200_000, 3)) * std1
    b = rng.normal(size=(200_000, 3)) * std2 + shift
    closed_form = np.sum(shift**2) + np.sum((std1 - std2) ** 2)
    distance = measures.frechet_distance(
        *measures.gaussian_statistics(a), *measures.gaussian_statistics(b)
    )
    assert distance == pytest.approx(closed_form, abs=0.05)


def test_trace_sqrt_product_matches_the_eigenvalues_of_the_product(rng):
    m1, m2 = rng.normal(size=(6, 6)), rng.normal(size=(6, 6))
    sigma1, sigma2 = m1 @ m1.T, m2 @ m2.T
    expected = np.sum(np.sqrt(np.linalg.eigvals(sigma1 @ sigma2).real))
    assert measures.trace_sqrt_product(sigma1, sigma2) == pytest.approx(expected, rel=1e-8)


def test_trace_sqrt_product_survives_singular_covariances(rng):
    m = rng.normal(size=(8, 3))  # rank 3 of 8: rounding leaves tiny negative eigenvalues
    sigma = m @ m.T
    assert np.isfinite(measures.trace_sqrt_product(sigma, sigma))
    assert measures.trace_sqrt_product(sigma, sigma) == pytest.approx(np.trace(sigma), rel=1e-6)


def test_frechet_distance_rejects_mismatched_statistics():
    with pytest.raises(ValueError, match="statistics do not match"):
        measures.frechet_distance(np.zeros(2), np.eye(2), np.zeros(3), np.eye(3))


def test_inception_score_is_1_for_a_constant_prediction(rng):
    row = rng.dirichlet(np.ones(10))
    assert measures.inception_score(np.tile(row, (50, 1))) == pytest.approx(1.0)
    assert measures.inception_score(np.tile(np.eye(10)[3], (50, 1))) == pytest.approx(1.0)


def test_inception_score_is_10_for_ten_equally_likely_confident_classes():
    assert measures.inception_score(np.tile(np.eye(10), (7, 1))) == pytest.approx(10.0)


def test_inception_score_of_unsure_predictions_lies_between():
    softened = 0.5 * np.tile(np.eye(10), (3, 1)) + 0.05
    assert 1.0 < measures.inception_score(softened) < 10.0


def test_class_shares_sum_to_1(rng):
    probabilities = rng.dirichlet(np.ones(10), size=333)
    shares = measures.class_shares(probabilities)
    assert shares.shape == (10,)
    assert shares.sum() == pytest.approx(1.0)
    counts = np.bincount(probabilities.argmax(1), minlength=10)
    np.testing.assert_allclose(shares, counts / 333)


# --- scoring images with a quickly trained classifier ----------------------------------
def test_real_digits_score_well_and_noise_scores_badly(digits, small_classifier, rng):
    _, _, real = digits
    noise = rng.uniform(size=real.shape).astype(np.float32)
    good = generative.score_images(real, small_classifier)
    bad = generative.score_images(noise, small_classifier)

    assert good["n"] == bad["n"] == 1000
    assert sum(good["class_shares"]) == pytest.approx(1.0)
    assert sum(bad["class_shares"]) == pytest.approx(1.0)
    assert good["classes_present"] == 10
    assert good["max_class_share"] < 0.2
    assert good["mean_confidence"] > 0.85
    assert good["inception_score"] > 6.5
    assert bad["max_class_share"] > good["max_class_share"]
    assert bad["inception_score"] < good["inception_score"]
    assert bad["frechet_distance"] > 10 * good["frechet_distance"]


def test_score_images_takes_all_three_layouts(digits, small_classifier):
    _, _, real = digits
    scores = [
        generative.score_images(layout, small_classifier)
        for layout in (real[:200], real[:200, :, :, 0], real[:200].reshape(200, 784))
    ]
    assert scores[0] == scores[1] == scores[2]


def test_features_come_from_the_penultimate_layer(digits, small_classifier):
    _, _, real = digits
    assert generative.features(small_classifier, real[:10]).shape == (10, 84)
    assert generative.feature_model(small_classifier) is generative.feature_model(small_classifier)


def test_real_statistics_are_computed_once_per_classifier(small_classifier):
    first = generative.real_statistics(small_classifier)
    assert generative.real_statistics(small_classifier) is first
    assert first[0].shape == (84,) and first[1].shape == (84, 84)
    other = generative.train_classifier(np.zeros((4, 784)), np.arange(4), epochs=1)
    before = generative.real_statistics(other)
    other.set_weights(small_classifier.get_weights())  # new weights: computed again
    after = generative.real_statistics(other)
    assert after is not before
    np.testing.assert_allclose(after[0], first[0], rtol=1e-5)


def test_reference_scores_are_those_of_real_training_digits(small_classifier):
    scores = generative.reference_scores(small_classifier, n=500)
    assert scores["n"] == 500
    assert scores["classes_present"] == 10
    with pytest.raises(ValueError, match="n must be between 2 and 60000"):
        generative.reference_scores(small_classifier, n=1)


@pytest.mark.parametrize(
    ("images", "message"),
    [
        (np.zeros((5, 28, 28, 3)), "must have shape"),
        (np.zeros((5, 32, 32)), "must have shape"),
        (np.zeros(784), "must have shape"),
        (np.zeros((1, 28, 28)), "at least 2 images"),
        (np.full((3, 784), 255.0), r"must lie in \[0, 1\]"),
        (np.full((3, 784), -1.0), r"must lie in \[0, 1\]"),
        (np.full((3, 784), np.nan), "NaN"),
        (np.zeros((3, 784), dtype=complex), "real-valued"),
        ([["a"] * 784] * 3, "real-valued"),
    ],
)
def test_bad_images_are_refused_clearly(images, message):
    with pytest.raises(ValueError, match=message):
        generative.as_digit_images(images)


def test_score_images_checks_its_input_before_predicting(small_classifier):
    with pytest.raises(ValueError, match="must have shape"):
        generative.score_images(np.zeros((4, 27, 27)), small_classifier)


def test_a_classifier_without_a_known_input_has_no_features():
    model = numnet.Sequential([numnet.layers.Dense(10, activation="softmax")])
    with pytest.raises(ValueError, match="no known input"):
        generative.feature_model(model)


def test_features_of_a_functional_classifier_are_its_last_dense_layers_input():
    inputs = numnet.Input((28, 28, 1))
    flat = numnet.layers.Flatten()(inputs)
    hidden = numnet.layers.Dense(32, activation="relu")(flat)
    outputs = numnet.layers.Dense(10, activation="softmax")(hidden)
    classifier = numnet.Model(inputs, outputs)
    images = np.full((3, 28, 28, 1), 0.5, dtype=np.float32)
    expected = numnet.Model(inputs, hidden).predict(images)
    np.testing.assert_allclose(generative.features(classifier, images), expected)


def test_shifted_images_move_by_at_most_one_pixel_and_keep_their_ink(rng):
    images = np.zeros((200, 28, 28, 1), dtype=np.float32)
    images[:, 10:18, 12:15] = 1.0
    moved = shift_randomly(images, rng, pixels=1)
    assert moved.shape == images.shape and moved.dtype == images.dtype
    np.testing.assert_array_equal(moved.sum(axis=(1, 2, 3)), images.sum(axis=(1, 2, 3)))
    rows = np.argmax(moved[:, :, 13, 0], axis=1)
    assert set(rows) == {9, 10, 11}  # every offset turns up, none beyond one pixel


def test_jittered_batches_cover_every_image_once_per_pass(rng):
    images, labels = rng.uniform(size=(10, 28, 28, 1)), np.arange(10)
    batches = list(JitteredBatches(images, labels, 4, rng))
    assert len(batches) == len(JitteredBatches(images, labels, 4, rng)) == 3
    assert sorted(np.concatenate([y for _, y in batches])) == list(range(10))


# --- training and the cache file -------------------------------------------------------
def test_the_seed_alone_fixes_the_training(digits):
    images, labels, _ = digits
    first = generative.train_classifier(images[:256], labels[:256], epochs=1, seed=7)
    numnet.random.default_rng().normal(size=5)  # numnet's default generator moves on
    second = generative.train_classifier(images[:256], labels[:256], epochs=1, seed=7)
    for a, b in zip(first.get_weights(), second.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_mnist_classifier_loads_a_saved_classifier_without_training(
    small_classifier, digits, tmp_path
):
    _, _, real = digits
    path = tmp_path / "classifier.npz"
    small_classifier.save(path)
    loaded = generative.mnist_classifier(path)
    np.testing.assert_allclose(loaded.predict(real[:50]), small_classifier.predict(real[:50]))


def test_the_default_file_lives_in_numnets_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert generative.default_path(3) == tmp_path / "numnet" / "mnist_classifier_seed3.npz"


@pytest.mark.slow
def test_the_real_classifier_is_99_percent_accurate_and_cached():
    classifier = generative.mnist_classifier()  # trains: about 70 s on two idle cores
    assert generative.default_path().is_file()
    assert generative.classifier_accuracy(classifier) >= 0.99

    start = time.perf_counter()
    again = generative.mnist_classifier()
    assert time.perf_counter() - start < 5
    for a, b in zip(classifier.get_weights(), again.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
