"""The numbers behind the scores, on plain arrays: class shares, Inception score, Fréchet
distance (NumPy only, float64)."""

from __future__ import annotations

import numpy as np

PRESENT_SHARE = 0.01  # a class counts as present when it is predicted for >= 1% of the images


def class_shares(probabilities: np.ndarray) -> np.ndarray:
    """The fraction of samples whose most probable class is each class: (N, C) -> (C,)."""
    predicted = np.argmax(probabilities, axis=1)
    return np.bincount(predicted, minlength=probabilities.shape[1]) / len(probabilities)


def inception_score(probabilities: np.ndarray) -> float:
    """exp(E_x KL(p(y|x) || p(y))) of Salimans et al. 2016, "Improved Techniques for
    Training GANs", over all N rows of class probabilities p(y|x) (N, C) at once (not
    averaged over splits).

    p(y) is the mean row. The score is 1 when every row is the same and C when the rows
    are confident (one-hot) and spread evenly over the C classes.
    """
    p_yx = np.asarray(probabilities, dtype=np.float64)
    p_y = p_yx.mean(axis=0, keepdims=True)
    # 0 log 0 = 0: zero entries contribute nothing (and p_y > 0 wherever p_yx > 0)
    ratio = np.divide(p_yx, p_y, out=np.ones_like(p_yx), where=p_yx > 0)
    kl = np.sum(p_yx * np.log(ratio), axis=1)
    return float(np.exp(kl.mean()))


def gaussian_statistics(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean (D,) and covariance (D, D) of feature rows (N, D), in float64 (N - 1 divisor)."""
    features = np.asarray(features, dtype=np.float64)
    if features.ndim != 2 or len(features) < 2:
        raise ValueError(f"need features of shape (N >= 2, D), got {features.shape}")
    return features.mean(axis=0), np.cov(features, rowvar=False).reshape(features.shape[1], -1)


def psd_sqrt(matrix: np.ndarray) -> np.ndarray:
    """The symmetric square root of a symmetric positive semi-definite matrix.

    Rounding can leave tiny negative eigenvalues; they are clipped to 0.
    """
    eigenvalues, eigenvectors = np.linalg.eigh((matrix + matrix.T) / 2)
    return (eigenvectors * np.sqrt(np.clip(eigenvalues, 0.0, None))) @ eigenvectors.T


def trace_sqrt_product(sigma1: np.ndarray, sigma2: np.ndarray) -> float:
    """Tr((S1 S2)^(1/2)) for covariances S1, S2.

    S1 S2 is not symmetric, but it is similar to A S2 A with A = S1^(1/2)
    (A^-1 (A S2 A) A = S1 S2), which is symmetric PSD: its eigenvalues are those of S1 S2,
    and the trace of the square root is the sum of their square roots.
    """
    root = psd_sqrt(sigma1)
    middle = root @ sigma2 @ root
    eigenvalues = np.linalg.eigvalsh((middle + middle.T) / 2)
    return float(np.sum(np.sqrt(np.clip(eigenvalues, 0.0, None))))


def frechet_distance(
    mu1: np.ndarray, sigma1: np.ndarray, mu2: np.ndarray, sigma2: np.ndarray
) -> float:
    """The Fréchet (2-Wasserstein) distance between two Gaussians, as FID uses it (Heusel
    et al. 2017, "GANs Trained by a Two Time-Scale Update Rule ..."):

        |mu1 - mu2|^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2))

    Like FID, this is the squared distance; it is 0 for identical statistics.
    """
    mu1, mu2 = np.asarray(mu1, dtype=np.float64), np.asarray(mu2, dtype=np.float64)
    sigma1, sigma2 = np.asarray(sigma1, dtype=np.float64), np.asarray(sigma2, dtype=np.float64)
    if mu1.shape != mu2.shape or sigma1.shape != sigma2.shape or sigma1.shape != mu1.shape * 2:
        raise ValueError(
            f"statistics do not match: means {mu1.shape} and {mu2.shape}, covariances "
            f"{sigma1.shape} and {sigma2.shape}"
        )
    mean_term = float(np.sum((mu1 - mu2) ** 2))
    trace_term = float(np.trace(sigma1) + np.trace(sigma2)) - 2 * trace_sqrt_product(sigma1, sigma2)
    return max(mean_term + trace_term, 0.0)  # rounding may leave -1e-12 for equal sets
