"""Sequence tasks made in the package: the adding problem and the book's addition set."""

import re

import numpy as np
import pytest

from numnet import datasets
from numnet.datasets import addition

# ---- the adding problem ------------------------------------------------------------------


def test_adding_problem_shapes_and_dtypes():
    x, y = datasets.adding_problem(16, 10, seed=0)
    assert x.shape == (16, 10, 2) and x.dtype == np.float32
    assert y.shape == (16,) and y.dtype == np.float32
    values = x[..., 0]
    assert values.min() >= 0.0 and values.max() < 1.0


@pytest.mark.parametrize("length", [2, 3, 7, 50])
def test_one_marker_in_each_half_and_y_is_their_sum(length):
    x, y = datasets.adding_problem(500, length, seed=1)
    markers = x[..., 1]
    assert set(np.unique(markers)) <= {0.0, 1.0}
    half = length // 2
    np.testing.assert_array_equal(markers[:, :half].sum(axis=1), 1)
    np.testing.assert_array_equal(markers[:, half:].sum(axis=1), 1)
    np.testing.assert_array_equal(y, (x[..., 0] * markers).sum(axis=1, dtype=np.float32))


def test_markers_reach_every_position_of_their_half():
    x, _ = datasets.adding_problem(2000, 6, seed=2)
    assert np.all(x[..., 1].sum(axis=0) > 0)


def test_predicting_the_mean_scores_one_sixth():
    _, y = datasets.adding_problem(20_000, 20, seed=3)
    assert np.mean((y - 1.0) ** 2) == pytest.approx(1 / 6, abs=0.01)
    assert np.mean((y - y.mean()) ** 2) == pytest.approx(0.167, abs=0.01)


def test_adding_problem_is_deterministic_for_a_seed():
    x1, y1 = datasets.adding_problem(50, 8, seed=7)
    x2, y2 = datasets.adding_problem(50, 8, seed=7)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    x3, _ = datasets.adding_problem(50, 8, seed=8)
    assert not np.array_equal(x1, x3)


@pytest.mark.parametrize(
    ("n_samples", "length", "message"),
    [
        (10, 1, "length must be an integer >= 2, got 1"),
        (10, 0, "length must be an integer >= 2"),
        (10, 5.0, "length must be an integer >= 2, got 5.0"),
        (10, True, "length must be an integer >= 2"),
        (0, 5, "n_samples must be an integer >= 1, got 0"),
        (2.5, 5, "n_samples must be an integer >= 1, got 2.5"),
        ("10", 5, "n_samples must be an integer >= 1"),
    ],
)
def test_adding_problem_errors(n_samples, length, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        datasets.adding_problem(n_samples, length, seed=0)


# ---- the addition set of "Deep Learning from Scratch 2" -------------------------------------


@pytest.fixture(scope="module")
def book_split():
    return addition.load_data()


def test_addition_shapes_and_dtypes(book_split):
    (x_train, t_train), (x_test, t_test) = book_split
    assert x_train.shape == (45_000, 7) and t_train.shape == (45_000, 5)
    assert x_test.shape == (5_000, 7) and t_test.shape == (5_000, 5)
    for array in (x_train, t_train, x_test, t_test):
        assert array.dtype == np.int32
        assert array.min() >= 0 and array.max() < 13


def test_every_question_is_a_sum_and_every_answer_its_value(book_split):
    (x_train, t_train), (x_test, t_test) = book_split
    questions = addition.decode(np.concatenate([x_train, x_test]))
    answers = addition.decode(np.concatenate([t_train, t_test]))
    pairs = set()
    for question, answer in zip(questions, answers, strict=True):
        match = re.fullmatch(r"(\d{1,3})\+(\d{1,3}) *", question)
        assert match and len(question) == 7, question
        a, b = int(match[1]), int(match[2])
        assert str(a) == match[1] and str(b) == match[2]  # no leading zeros
        assert answer.startswith("_") and len(answer) == 5
        assert answer == f"_{a + b}".ljust(5)
        pairs.add((min(a, b), max(a, b)))
    assert len(pairs) == 50_000  # each question once, a+b and b+a counted as one
    assert np.all(t_train[:, 0] == addition.vocabulary()[0]["_"])


def test_small_and_large_operands_both_occur(book_split):
    (x_train, _), _ = book_split
    lengths = [len(q.strip()) for q in addition.decode(x_train)]
    assert min(lengths) == 3 and max(lengths) == 7


def test_addition_is_deterministic_and_seeded(book_split):
    (x_train, t_train), (x_test, _) = book_split
    (x_again, t_again), (x_test_again, _) = addition.load_data(seed=1984)
    np.testing.assert_array_equal(x_train, x_again)
    np.testing.assert_array_equal(t_train, t_again)
    np.testing.assert_array_equal(x_test, x_test_again)
    (x_other, _), _ = addition.load_data(seed=0)
    assert not np.array_equal(x_train, x_other)


def test_vocabulary_has_13_characters_and_round_trips():
    char_to_id, id_to_char = addition.vocabulary()
    assert set(char_to_id) == set("0123456789+ _")
    assert sorted(char_to_id.values()) == list(range(13))
    assert all(id_to_char[i] == char for char, i in char_to_id.items())
    # Ids in the order the characters first appear in the book's addition.txt.
    assert "".join(id_to_char[i] for i in range(13)) == "16+75 _920384"
    text = ["16+75  ", "0+999  "]
    np.testing.assert_array_equal(
        addition.encode(text), [[char_to_id[c] for c in line] for line in text]
    )
    assert addition.decode(addition.encode(text)) == text
    assert addition.decode(addition.encode(["_91  "])[0]) == "_91  "
    char_to_id["x"] = 99  # callers get their own dicts
    assert "x" not in addition.vocabulary()[0]


def test_encode_and_decode_errors():
    with pytest.raises(ValueError, match="'-' is not in the addition vocabulary"):
        addition.encode(["16-75  "])
    with pytest.raises(ValueError, match="equal length"):
        addition.encode(["1+1", "10+1"])
    with pytest.raises(ValueError, match=r"ids must lie in \[0, 13\)"):
        addition.decode(np.array([0, 13]))
    with pytest.raises(ValueError, match="shape"):
        addition.decode(np.zeros((1, 2, 3), dtype=int))
