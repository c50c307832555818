import numpy as np
import pytest

from numnet import datasets


@pytest.mark.parametrize(
    "make",
    [
        datasets.make_xor,
        datasets.make_moons,
        datasets.make_circles,
        datasets.make_spirals,
        datasets.make_planar,
    ],
)
def test_synthetic_sets(make):
    x, y = make(n_samples=120, noise=0.1, seed=3)
    assert x.shape == (120, 2) and x.dtype == np.float32
    assert y.shape == (120,) and y.dtype.kind == "i"
    assert len(np.unique(y)) >= 2
    x2, y2 = make(n_samples=120, noise=0.1, seed=3)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    with pytest.raises(ValueError, match="noise"):
        make(n_samples=10, noise=-1.0, seed=0)


def test_xor_labels_follow_the_signs():
    x, y = datasets.make_xor(400, noise=0.05, seed=0)
    np.testing.assert_array_equal(y, (x[:, 0] > 0) ^ (x[:, 1] > 0))


def test_dataloader_batches_and_seeded_shuffle():
    x, y = np.arange(10).reshape(10, 1), np.arange(10)
    batches = list(datasets.DataLoader(x, y, batch_size=4))
    assert [len(b[0]) for b in batches] == [4, 4, 2]
    first = [
        b[1].tolist()
        for b in datasets.DataLoader(x, y, 4, shuffle=True, rng=np.random.default_rng(0))
    ]
    again = [
        b[1].tolist()
        for b in datasets.DataLoader(x, y, 4, shuffle=True, rng=np.random.default_rng(0))
    ]
    assert first == again and sorted(i for batch in first for i in batch) == list(range(10))
    assert len(datasets.DataLoader(x, y, 4, drop_last=True)) == 2
    with pytest.raises(ValueError, match="batch_size"):
        datasets.DataLoader(x, y, 0)
    with pytest.raises(ValueError, match="10 samples but y has 9"):
        datasets.DataLoader(x, y[:9])
