"""What every ONNX test does: export, check the file, run it in onnxruntime, compare."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

FREE_LENGTH = 6  # the length given to an axis the model leaves free (None)


def random_inputs(model: Any, batch: int, rng: np.random.Generator) -> list[np.ndarray]:
    """One float32 standard-normal batch per model input."""
    return [
        rng.standard_normal(
            (batch, *(FREE_LENGTH if n is None else n for n in t.shape[1:]))
        ).astype(np.float32)
        for t in model.inputs
    ]


def assert_close(got: np.ndarray, expected: np.ndarray, what: str = "output") -> None:
    """Equal up to 1e-5 of the output's scale (absolute 1e-5 for outputs up to 1)."""
    assert got.shape == expected.shape, f"{what}: shape {got.shape} != {expected.shape}"
    scale = max(1.0, float(np.abs(expected).max(initial=0.0)))
    worst = float(np.abs(got - expected).max(initial=0.0))
    assert worst <= 1e-5 * scale, f"{what}: max abs difference {worst:.3g} (scale {scale:.3g})"


class Exported:
    """A model written as ONNX, checked, and opened in an onnxruntime CPU session."""

    def __init__(self, model: Any, path: Path) -> None:
        import onnx
        import onnxruntime as ort

        self.model = model
        model.export(path)
        self.proto = onnx.load(str(path))
        onnx.checker.check_model(self.proto, full_check=True)
        options = ort.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    @property
    def op_types(self) -> list[str]:
        """The op_type of every node, in graph order."""
        return [node.op_type for node in self.proto.graph.node]

    def run(self, inputs: Sequence[np.ndarray]) -> list[np.ndarray]:
        """onnxruntime's outputs for these inputs, fed by input name."""
        names = [i.name for i in self.session.get_inputs()]
        return self.session.run(None, dict(zip(names, inputs, strict=True)))

    def compare(self, inputs: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Assert onnxruntime gives model.predict's outputs; returns them."""
        expected = self.model.predict(
            list(inputs) if len(inputs) > 1 else inputs[0], batch_size=len(inputs[0])
        )
        expected = expected if isinstance(expected, list) else [expected]
        got = self.run(inputs)
        assert len(got) == len(expected)
        for i, (g, e) in enumerate(zip(got, expected, strict=True)):
            assert_close(g, np.asarray(e, dtype=np.float32), f"output {i}")
        return got
