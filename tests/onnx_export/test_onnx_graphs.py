"""Functional graphs: merges, several inputs and outputs, shared layers, nested models,
and the clear errors for what cannot be exported."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")

import numnet
from numnet import layers
from numnet.onnx import ExportError, to_onnx


@pytest.mark.parametrize(
    "merge",
    [layers.Add, layers.Subtract, layers.Multiply, layers.Average, layers.Maximum, layers.Minimum],
)
def test_elementwise_merges(exported, merge):
    a, b = numnet.Input((3, 4)), numnet.Input((3, 4))
    inputs = [a, b] if merge is layers.Subtract else [a, b, layers.Dense(4)(b)]
    exported(numnet.Model([a, b], merge()(inputs)))


def test_merges_broadcast(exported):
    a, b = numnet.Input((3, 4)), numnet.Input((1, 4))
    exported(numnet.Model([a, b], layers.Add()([a, b])))


@pytest.mark.parametrize("axis", [-1, 1, 2])
def test_concatenate(exported, axis):
    a, b = numnet.Input((3, 4)), numnet.Input((3, 4))
    exported(numnet.Model([a, b], layers.Concatenate(axis=axis)([a, layers.Dense(4)(b)])))


@pytest.mark.parametrize("axis", [-1, 1, 2])
def test_merging_image_branches_stays_nchw(exported, axis):
    x = numnet.Input((6, 6, 2))
    left = layers.Conv2D(3, 3, padding="same")(x)
    right = layers.Conv2D(3, 1, activation="relu")(x)
    added = layers.Add()([left, right])
    joined = layers.Concatenate(axis=axis)([added, left])
    result = exported(numnet.Model(x, layers.MaxPooling2D(2)(joined)))
    assert result.op_types.count("Transpose") == 2


def test_several_inputs_and_outputs_keep_their_names(exported):
    image, extra = numnet.Input((6, 6, 1), name="image"), numnet.Input((3,), name="extra")
    features = layers.Flatten()(layers.Conv2D(2, 3, name="conv")(image))
    joined = layers.Concatenate(name="joined")([features, extra])
    scores = layers.Dense(4, activation="softmax", name="scores")(joined)
    value = layers.Dense(1, name="value")(joined)
    model = numnet.Model([image, extra], [scores, value, features])
    result = exported(model)
    graph = result.proto.graph
    assert [i.name for i in graph.input] == ["image", "extra"]
    assert [o.name for o in graph.output] == ["scores", "value", "flatten"]
    batch = [d.dim_param for i in graph.input for d in i.type.tensor_type.shape.dim[:1]]
    assert batch == ["batch", "batch"]


def test_an_input_used_as_an_output(exported):
    x = numnet.Input((3,), name="x")
    exported(numnet.Model(x, [layers.Dense(2)(x), x, layers.Dropout(0.5)(x)]))


def test_shared_layer_has_one_set_of_weights(exported):
    a, b = numnet.Input((4,)), numnet.Input((4,))
    shared = layers.Dense(3, name="shared")
    result = exported(numnet.Model([a, b], layers.Subtract()([shared(a), shared(b)])))
    names = [t.name for t in result.proto.graph.initializer]
    assert names == ["shared/kernel", "shared/bias"]


def test_nested_models_are_flattened(exported):
    encoder = numnet.Sequential(
        [
            numnet.Input((6, 6, 1)),
            layers.Conv2D(2, 3, padding="same"),
            layers.Flatten(),
            layers.Dense(5),
        ],
        name="encoder",
    )
    head_in = numnet.Input((5,))
    head = numnet.Model(head_in, layers.Dense(3, name="logits")(head_in), name="head")
    x = numnet.Input((6, 6, 1))
    model = numnet.Model(x, head(layers.Activation("relu")(encoder(x))))
    result = exported(model)
    names = [node.name for node in result.proto.graph.node]
    assert "encoder/conv2d/Conv" in names and "head/logits/MatMul" in names
    assert [o.name for o in result.proto.graph.output] == model.output_names


def test_a_nested_model_called_twice(exported):
    inner_in = numnet.Input((4,))
    inner = numnet.Model(inner_in, layers.Dense(2, activation="tanh")(inner_in), name="inner")
    a, b = numnet.Input((4,)), numnet.Input((4,))
    result = exported(numnet.Model([a, b], layers.Concatenate()([inner(a), inner(b)])))
    assert len(result.proto.graph.initializer) == 2


# --- what cannot be exported -----------------------------------------------------------------
class Doubler(layers.Layer):
    def call(self, x):
        return x * 2


def test_an_unknown_layer_is_a_clear_error():
    x = numnet.Input((3,))
    model = numnet.Model(x, Doubler(name="twice")(layers.Dense(2)(x)))
    with pytest.raises(ExportError, match=r"Doubler layer 'twice'.*no ONNX converter"):
        to_onnx(model)


def test_a_layer_of_ones_own_with_a_converter():
    x = numnet.Input((3,))
    model = numnet.Model(x, Doubler(name="twice")(x))

    def convert(call):
        call.output(call.op("Mul", call.input(), call.constant("two", 2.0)))

    proto = to_onnx(model, converters={"Doubler": convert})
    assert [node.name for node in proto.graph.node] == ["twice/Mul"]


def test_a_custom_activation_is_a_clear_error():
    model = numnet.Sequential(
        [numnet.Input((3,)), layers.Dense(2, activation=lambda t: t * 2, name="odd")]
    )
    with pytest.raises(ExportError, match=r"Dense layer 'odd'.*activation"):
        to_onnx(model)


def test_dropout_called_in_training_mode_is_a_clear_error():
    x = numnet.Input((3,))
    model = numnet.Model(x, layers.Dropout(0.5, name="mc")(x, training=True))
    with pytest.raises(ExportError, match=r"Dropout layer 'mc'.*training=True"):
        to_onnx(model)


def test_unbuilt_and_subclassed_models_are_clear_errors():
    with pytest.raises(ExportError, match="build it first"):
        to_onnx(numnet.Sequential([layers.Dense(2)]))

    class Custom(numnet.Model):
        def __init__(self):
            super().__init__(name="custom")
            self.dense = layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    with pytest.raises(ExportError, match="subclassed Model"):
        to_onnx(Custom())
    x = numnet.Input((3,))
    custom = Custom()
    custom(np.zeros((1, 3), np.float32))
    with pytest.raises(ExportError, match=r"Custom layer 'custom'.*subclassed Model"):
        to_onnx(numnet.Model(x, custom(x)))


def test_export_takes_only_onnx(tmp_path):
    model = numnet.Sequential([numnet.Input((3,)), layers.Dense(2)])
    with pytest.raises(ValueError, match="'onnx'"):
        model.export(tmp_path / "m.tflite", format="tflite")


def test_importing_numnet_never_imports_onnx():
    code = (
        "import sys, numnet, numnet.onnx, numnet.cli; "
        "assert 'onnx' not in sys.modules and 'onnxruntime' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_numnet_layer_has_a_converter():
    from numnet.onnx.converters import CONVERTERS

    missing = sorted(set(layers.LAYERS) - set(CONVERTERS) - {"InputLayer"})
    assert not missing, (
        f"layers with no ONNX converter (add one in numnet/onnx/converters): {missing}"
    )
