"""The `exported` fixture of the ONNX tests (the checks live in onnx_checks.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from onnx_checks import Exported, random_inputs


@pytest.fixture
def exported(tmp_path: Path, rng: np.random.Generator) -> Callable[..., Exported]:
    """exported(model) exports, checks and compares the model with onnxruntime on random
    batches of several sizes (the batch axis is dynamic), or on make_inputs(batch_size);
    returns the Exported."""

    def check(
        model: Any,
        batch_sizes: Sequence[int] = (1, 4, 7),
        make_inputs: Callable[[int], list[np.ndarray]] | None = None,
    ) -> Exported:
        result = Exported(model, tmp_path / f"{model.name}.onnx")
        for batch in batch_sizes:
            inputs = make_inputs(batch) if make_inputs else random_inputs(model, batch, rng)
            result.compare(inputs)
        return result

    return check
