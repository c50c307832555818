"""Addition as a sequence-to-sequence task: the toy set of "Deep Learning from Scratch 2".

Chapter 7 of the book trains an encoder-decoder to add: the question ``"16+75  "`` is read
one character at a time, and the answer ``"_91  "`` is written one character at a time,
``'_'`` marking where the answer starts. The book reads 50,000 such lines from a file
(``dataset/addition.txt``); here the same kind of lines are made in the package from a
seed, so nothing is downloaded:

- each operand first draws its number of digits, 1 to 3, uniformly, then each digit,
  so small numbers are as common as in the book's file (a in 0..999, b in 0..999);
- a pair is used once: ``a+b`` and ``b+a`` count as the same question, so no question in
  the test split is a training question written the other way round;
- a question is ``f"{a}+{b}"`` padded with spaces to 7 characters, its answer ``"_"``
  then the sum, padded with spaces to 5 characters;
- the lines are shuffled and the last tenth (5,000) kept for testing, as the book's
  ``load_data`` does.

Characters become integer ids (int32) through `vocabulary()`. The 13 characters take ids in
the order they first appear in the book's ``addition.txt`` (``'1'`` is 0, ``'6'`` is 1,
``'+'`` is 2, ..., ``'_'`` is 6, ..., ``'4'`` is 12), so an id means what it means in the
book's code.
"""

from __future__ import annotations

import numpy as np

QUESTION_LENGTH = 7  # the longest question, "999+999"
ANSWER_LENGTH = 5  # "_" and the longest sum, 1998
N_QUESTIONS = 50_000
MAX_DIGITS = 3
START = "_"
# Ordered as the characters first appear in the book's addition.txt, so ids match the book.
CHARACTERS = ("1", "6", "+", "7", "5", " ", "_", "9", "2", "0", "3", "8", "4")

Split = tuple[np.ndarray, np.ndarray]


def vocabulary() -> tuple[dict[str, int], dict[int, str]]:
    """``(char_to_id, id_to_char)`` for the 13 characters of the set (new dicts each call)."""
    char_to_id = {char: i for i, char in enumerate(CHARACTERS)}
    id_to_char = dict(enumerate(CHARACTERS))
    return char_to_id, id_to_char


def load_data(seed: int | None = 1984) -> tuple[Split, Split]:
    """The addition set as ``(x_train, t_train), (x_test, t_test)``.

    x holds questions, shape (N, 7); t holds answers, shape (N, 5); both int32 character
    ids (see `vocabulary()`). 45,000 lines are for training and 5,000 for testing. The
    same `seed` gives the same arrays; nothing touches a global random state.
    """
    rng = np.random.default_rng(seed)
    pairs = distinct_pairs(N_QUESTIONS, rng)
    questions = [question_text(a, b) for a, b in pairs]
    answers = [answer_text(a + b) for a, b in pairs]
    x, t = encode(questions), encode(answers)
    order = rng.permutation(N_QUESTIONS)
    x, t = x[order], t[order]
    split_at = N_QUESTIONS - N_QUESTIONS // 10
    return (x[:split_at], t[:split_at]), (x[split_at:], t[split_at:])


def distinct_pairs(n: int, rng: np.random.Generator) -> list[tuple[int, int]]:
    """`n` operand pairs (a, b), no two the same up to order."""
    seen: set[tuple[int, int]] = set()
    pairs: list[tuple[int, int]] = []
    while len(pairs) < n:
        a, b = random_operand(n, rng), random_operand(n, rng)
        for pair in zip(a.tolist(), b.tolist(), strict=True):
            key = (min(pair), max(pair))
            if key in seen:
                continue
            seen.add(key)
            pairs.append(pair)
            if len(pairs) == n:
                break
    return pairs


def random_operand(n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` numbers of 1 to `MAX_DIGITS` random digits (the count of digits uniform)."""
    digits = rng.integers(1, MAX_DIGITS + 1, size=n)
    return rng.integers(0, 10**digits)


def question_text(a: int, b: int) -> str:
    """``"a+b"`` padded with spaces to 7 characters."""
    return f"{a}+{b}".ljust(QUESTION_LENGTH)


def answer_text(total: int) -> str:
    """``"_"`` and `total`, padded with spaces to 5 characters."""
    return f"{START}{total}".ljust(ANSWER_LENGTH)


def encode(texts: list[str]) -> np.ndarray:
    """Strings of equal length as an int32 array of character ids, one row per string."""
    char_to_id, _ = vocabulary()
    try:
        ids = [[char_to_id[char] for char in text] for text in texts]
    except KeyError as error:
        raise ValueError(f"character {error.args[0]!r} is not in the addition vocabulary") from None
    if len({len(row) for row in ids}) > 1:
        raise ValueError("encode needs strings of equal length (pad them with spaces)")
    return np.array(ids, dtype=np.int32).reshape(len(texts), -1)


def decode(ids: np.ndarray) -> str | list[str]:
    """Character ids back to text: a string for one row of ids, a list for a 2-D array."""
    ids = np.asarray(ids)
    if ids.ndim not in (1, 2):
        raise ValueError(f"decode takes ids of shape (T,) or (N, T), got shape {ids.shape}")
    if ids.size and (ids.min() < 0 or ids.max() >= len(CHARACTERS)):
        raise ValueError(f"ids must lie in [0, {len(CHARACTERS)}), got {ids.min()}..{ids.max()}")
    _, id_to_char = vocabulary()
    rows = ["".join(id_to_char[i] for i in row) for row in np.atleast_2d(ids).tolist()]
    return rows if ids.ndim == 2 else rows[0]
