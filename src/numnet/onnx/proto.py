"""The one place that needs the `onnx` package: a finished `GraphBuilder` as a ModelProto.

`onnx` is an optional extra (``pip install -e ".[onnx]"``), imported only when a model is
exported, so ``import numnet`` never needs it.
"""

from __future__ import annotations

from typing import Any

from numnet.onnx.builder import GraphBuilder, TensorSpec
from numnet.version import __version__

OPSET = 17
IR_VERSION = 8  # the IR version that came with opset 17, so older runtimes read the file


def require_onnx() -> Any:
    """The `onnx` module, or an ImportError that says how to install it."""
    try:
        import onnx
    except ImportError as error:
        raise ImportError(
            'ONNX export needs the onnx package: pip install -e ".[onnx]" (or pip install onnx)'
        ) from error
    return onnx


def _value_info(onnx: Any, spec: TensorSpec) -> Any:
    element_type = onnx.helper.np_dtype_to_tensor_dtype(spec.dtype)
    return onnx.helper.make_tensor_value_info(spec.name, element_type, list(spec.shape))


def to_model_proto(builder: GraphBuilder, doc_string: str = "") -> Any:
    """The `onnx.ModelProto` of a built graph (opset `OPSET`)."""
    onnx = require_onnx()
    helper, numpy_helper = onnx.helper, onnx.numpy_helper
    nodes = [
        helper.make_node(node.op_type, node.inputs, node.outputs, name=node.name, **node.attributes)
        for node in builder.nodes
    ]
    graph = helper.make_graph(
        nodes,
        builder.name,
        [_value_info(onnx, spec) for spec in builder.inputs],
        [_value_info(onnx, spec) for spec in builder.outputs],
        initializer=[numpy_helper.from_array(a, name) for name, a in builder.initializers.items()],
        doc_string=doc_string,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        ir_version=IR_VERSION,
        producer_name="numnet",
        producer_version=__version__,
    )
    onnx.checker.check_model(model)
    return model
