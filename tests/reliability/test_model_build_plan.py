"""Model files whose layers add up to more than the file holds: many layers that each look
plausible, or outputs that multiply from layer to layer, are refused from their shapes
alone (`numnet.models.build_plan`), quickly and with next to no memory; the plan of every
genuine model matches its stored weights exactly, so those still load unchanged."""

from __future__ import annotations

import time
import tracemalloc

import numpy as np
import pytest
from reliability_helpers import saved_members, tiny_model, write_model_file

from numnet import layers
from numnet.models import Model, Sequential, build_plan, load_model
from numnet.models.saving import ModelFileError

PEAK_LIMIT = 20_000_000  # bytes: reading the file's few arrays, and nothing built


def layer(class_name: str, name: str, **config) -> dict:
    return {"class_name": class_name, "name": name, "config": {"name": name, **config}}


def sequential(input_shape: list, stack: list[dict]) -> dict:
    """An architecture record of a Sequential model."""
    config = {"name": "crafted", "input_shape": input_shape, "dtype": None, "layers": stack}
    return {
        "format": "numnet-model",
        "format_version": 1,
        "numnet_version": "test",
        "class_name": "Sequential",
        "config": config,
        "compile": None,
    }


def refused_cheaply(path, declared_bytes: int, match: str, load=load_model) -> ModelFileError:
    """Load `path`, expecting a ModelFileError naming the file and matching `match`,
    found in well under a second with a traced peak far below the `declared_bytes` that
    building the declared model would take."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(ModelFileError, match=match) as info:
            load(path)
        seconds = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(path) in str(info.value)
    assert peak < min(PEAK_LIMIT, declared_bytes // 100), f"allocated {peak:,} bytes"
    assert seconds < 2.0, f"took {seconds:.1f} s"
    return info.value


# --- many layers ---------------------------------------------------------------------------
def test_many_layers_around_the_weights_of_one(tmp_path):
    """The file holds the genuine weights of one 1000x1000 layer (4 MB) and declares 400
    such layers: 1.6 GB of weights, each layer's size vouched for by the stored axes."""
    dense = [layer("Dense", f"d{i}", units=1000) for i in range(400)]
    weights = [np.zeros((1000, 1000), np.float32), np.zeros(1000, np.float32)]
    path = write_model_file(tmp_path / "deep.npz", sequential([1000], dense), weights)
    refused_cheaply(
        path, 400 * 1001 * 1000 * 4, r"field config\.layers\[1\]: .* create 2002000 weight"
    )


def test_many_convolutions_around_one_small_array(tmp_path):
    """One stored (1000,) array vouches for 100 convolutions of 1000 filters: 36 GB."""
    conv = [
        layer("Conv2D", f"c{i}", filters=1000, kernel_size=[3, 3], padding="same")
        for i in range(100)
    ]
    weights = [np.zeros(1000, np.float32)]
    path = write_model_file(tmp_path / "convs.npz", sequential([4, 4, 1000], conv), weights)
    refused_cheaply(path, 100 * 9_001_000 * 4, r"field config\.layers\[0\]: .* but the file")


# --- outputs that multiply -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("input_shape", "stack", "field"),
    [
        (
            [1, 1, 1],
            [layer("UpSampling2D", f"u{i}", size=[s, s]) for i, s in enumerate([100, 100, 2])],
            "config.layers[1]",
        ),
        (
            [1000],
            [
                layer("RepeatVector", "r0", n=1000),
                layer("Flatten", "f0"),
                layer("RepeatVector", "r1", n=1000),
                layer("Flatten", "f1"),
            ],
            "config.layers[2]",
        ),
        (
            [1, 1, 1],
            [
                layer(
                    "Conv2DTranspose", f"t{i}", filters=1, kernel_size=[1, 1], strides=[1000, 1000]
                )
                for i in range(2)
            ],
            "config.layers[1]",
        ),
        (
            [1000],
            [
                layer("Reshape", "r", target_shape=[2, 2, 250]),
                layer("UpSampling2D", "u", size=[256, 256]),
            ],
            "config.layers[1]",
        ),
    ],
    ids=["upsampling", "repeat-vector", "strided-transpose", "reshape-then-upsample"],
)
def test_outputs_that_multiply_are_refused(tmp_path, input_shape, stack, field):
    path = write_model_file(
        tmp_path / "grows.npz", sequential(input_shape, stack), [np.zeros(4, np.float32)]
    )
    error = refused_cheaply(path, 400_000_000, "makes samples of shape")
    assert f"field {field} " in str(error)


def test_a_functional_chain_of_upsampling(tmp_path):
    inputs = layers.Input((1, 1, 1))
    outputs = layers.UpSampling2D(2)(layers.UpSampling2D(2)(layers.Dense(1)(inputs)))
    record, weights = saved_members(Model(inputs, outputs))
    for spec in record["config"]["layers"][2:]:
        spec["config"]["size"] = [1000, 1000]
    path = write_model_file(tmp_path / "graph.npz", record, weights)
    error = refused_cheaply(path, 4_000_000_000_000, r"shape \(1000000, 1000000, 1\)")
    assert "field config.layers[3] " in str(error)


# --- models inside the record --------------------------------------------------------------
def test_a_nested_model_built_without_being_called(tmp_path):
    """A functional graph lists a Sequential that no node calls: building it still
    happens at construction (its input shape is declared), so the plan counts it."""
    inputs = layers.Input((4,))
    record, weights = saved_members(Model(inputs, layers.Dense(2)(inputs)))
    hidden = sequential([2000], [layer("Dense", f"h{i}", units=2000) for i in range(50)])
    record["config"]["layers"].append({**layer("Sequential", "idle"), "config": hidden["config"]})
    weights.append(np.zeros(2000, np.float32))  # vouches for the size 2000
    path = write_model_file(tmp_path / "idle.npz", record, weights)
    error = refused_cheaply(path, 50 * 2001 * 2000 * 4, "but the file stores 2010 ")
    assert "field config.layers[2].config.layers[0]:" in str(error)


def test_a_model_inside_a_wrapper(tmp_path):
    """TimeDistributed(Sequential) builds the inner model on the folded time steps."""
    inputs = layers.Input((3, 2000))
    inner = Sequential([layers.Dense(2)])
    model = Model(inputs, layers.TimeDistributed(inner)(inputs))
    record, weights = saved_members(model)
    inner_record = record["config"]["layers"][1]["config"]["layer"]["config"]
    inner_record["input_shape"] = None
    inner_record["layers"] = [layer("Dense", f"h{i}", units=2000) for i in range(50)]
    path = write_model_file(tmp_path / "wrapped.npz", record, weights)
    error = refused_cheaply(path, 50 * 2001 * 2000 * 4, "building the model would create")
    assert "config.layers[1].config.layer.config.layers[0]" in str(error)


def test_load_weights_plans_the_callers_model_on_the_saved_input_shape(tmp_path):
    """A weights file may declare the input shape the caller's model is built on: an
    ordinary two-layer model on 4 million inputs would take 8 GB of weights."""
    record, weights = saved_members(tiny_model())
    record["config"]["input_shape"] = [4_000_000]
    path = write_model_file(tmp_path / "weights.npz", record, weights)
    model = Sequential([layers.Dense(512), layers.Dense(10)])
    error = refused_cheaply(
        path, 4_000_000 * 512 * 4, "building the model would create", load=model.load_weights
    )
    assert "field config.input_shape:" in str(error)
    assert not model.weights


# --- genuine models ------------------------------------------------------------------------
def _recurrent_graph() -> Model:
    tokens = layers.Input((6,))
    embedded = layers.Embedding(20, 4, mask_zero=True)(tokens)
    sequences, h, c = layers.LSTM(3, return_sequences=True, return_state=True)(embedded)
    both = layers.Bidirectional(layers.GRU(2, return_sequences=True))(sequences)
    decoded = layers.SimpleRNN(3)(both, initial_state=h)
    return Model(tokens, [layers.Dense(2)(layers.concatenate([decoded, c])), h])


def _images_graph() -> Model:
    images = layers.Input((8, 8, 2))
    shared = layers.Conv2D(3, 3, padding="same")
    x = layers.add([shared(images), shared(images)])
    x = layers.BatchNormalization()(layers.MaxPooling2D()(x))
    encoder = Sequential([layers.Flatten(), layers.Dense(5, activation="relu")])
    code = encoder(x)
    y = layers.Reshape((1, 1, 5))(code)
    y = layers.Conv2DTranspose(2, 2, strides=2)(layers.UpSampling2D(2)(y))
    pooled = layers.GlobalAveragePooling2D()(layers.AveragePooling2D(2, padding="same")(y))
    return Model(images, [pooled, code])


def _sequences_of_images() -> Model:
    frames = layers.Input((3, 6, 6, 1))
    per_frame = Sequential([layers.Conv2D(2, 3, data_format="channels_last"), layers.Flatten()])
    x = layers.TimeDistributed(per_frame)(frames)
    x = layers.Masking()(layers.Permute((2, 1))(layers.Permute((2, 1))(x)))
    x = layers.LeakyReLU()(layers.Dropout(0.3)(layers.TimeDistributed(layers.Dense(4))(x)))
    summary = layers.GlobalMaxPooling2D()(layers.Reshape((3, 4, 1))(x))
    repeated = layers.RepeatVector(2)(layers.Softmax()(layers.ReLU()(summary)))
    return Model(frames, layers.Activation("tanh")(repeated))


GENUINE = {
    "mlp": lambda: Sequential(
        [
            layers.Input((12,)),
            layers.Dense(8, activation="relu"),
            layers.BatchNormalization(),
            layers.Dropout(0.2),
            layers.Dense(3, use_bias=False),
        ]
    ),
    "cnn-channels-first": lambda: Sequential(
        [
            layers.Input((2, 9, 9)),
            layers.Conv2D(4, 3, strides=2, data_format="channels_first"),
            layers.MaxPooling2D(2, strides=1, data_format="channels_first"),
            layers.BatchNormalization(axis=1),
            layers.Flatten(),
            layers.Dense(2),
        ]
    ),
    "recurrent-graph": _recurrent_graph,
    "images-graph": _images_graph,
    "sequences-of-images": _sequences_of_images,
}


def _inputs(model: Model, rng: np.random.Generator):
    shapes = [(2, *(t.shape[1:])) for t in model.inputs]
    if isinstance(model.layers[0], layers.Embedding):
        return rng.integers(0, 20, shapes[0]).astype(np.float32)
    return rng.normal(size=shapes[0]).astype(np.float32)


@pytest.mark.parametrize("name", sorted(GENUINE))
def test_genuine_models_plan_exactly_and_load_unchanged(name, tmp_path, rng, monkeypatch):
    """With no slack at all, a genuine model still loads with the same outputs, and a
    file missing only its last weight array is refused by the plan."""
    monkeypatch.setattr(build_plan, "WEIGHT_SLACK", 0)
    model = GENUINE[name]()
    x = _inputs(model, rng)
    expected = model.predict(x)
    model.save(tmp_path / "model.npz")
    restored = load_model(tmp_path / "model.npz")
    for got, want in zip(restored.predict(x), expected, strict=True):
        np.testing.assert_allclose(got, want, atol=1e-6)
    record, weights = saved_members(model)
    path = write_model_file(tmp_path / "short.npz", record, weights[:-1])
    with pytest.raises(ModelFileError, match="but the file stores"):
        load_model(path)


class Scale(layers.Layer):
    """A user's layer: a weight per feature, and no `weight_shapes` to tell of it."""

    def build(self, input_shape):
        self.scale = self.add_weight("scale", (input_shape[-1],), "ones")

    def call(self, x):
        return x * self.scale


def test_a_users_layer_is_left_to_its_code(tmp_path, rng, monkeypatch):
    monkeypatch.setattr(build_plan, "WEIGHT_SLACK", 0)
    model = Sequential([layers.Input((3,)), layers.Dense(4), Scale(), layers.Dense(2)])
    x = rng.normal(size=(2, 3)).astype(np.float32)
    model.save(tmp_path / "custom.npz")
    restored = load_model(tmp_path / "custom.npz", custom_objects={"Scale": Scale})
    np.testing.assert_allclose(restored.predict(x), model.predict(x), atol=1e-6)


# Each of numnet's layers on an input it takes: what the plan asks of it.
PLANNED = [
    (layers.Dense(4, use_bias=False), (2, 5, 3)),
    (layers.Activation("relu"), (2, 3)),
    (layers.Flatten(), (2, 3, 2)),
    (layers.Dropout(0.5), (2, 3)),
    (layers.BatchNormalization(axis=1), (2, 3, 4)),
    (layers.Conv2D(3, (3, 2), strides=(2, 1), padding="same"), (1, 7, 5, 2)),
    (layers.Conv2D(2, 3, data_format="channels_first", use_bias=False), (1, 2, 6, 5)),
    (layers.MaxPooling2D(3, strides=2), (1, 9, 8, 2)),
    (layers.AveragePooling2D(2, padding="same", data_format="channels_first"), (1, 2, 5, 3)),
    (layers.GlobalAveragePooling2D(keepdims=True), (1, 3, 4, 2)),
    (layers.GlobalMaxPooling2D(), (1, 3, 4, 2)),
    (layers.Conv2DTranspose(2, 3, strides=2, output_padding=1), (1, 3, 4, 2)),
    (layers.UpSampling2D((2, 3), data_format="channels_first"), (1, 2, 3, 2)),
    (layers.Reshape((-1, 2)), (1, 3, 4)),
    (layers.Permute((2, 1)), (1, 3, 4)),
    (layers.RepeatVector(3), (1, 4)),
    (layers.ReLU(), (1, 3)),
    (layers.LeakyReLU(), (1, 3)),
    (layers.Softmax(), (1, 3)),
    (layers.Add(), [(1, 3), (1, 3)]),
    (layers.Subtract(), [(1, 3), (1, 1)]),
    (layers.Multiply(), [(1, 3), (1, 3)]),
    (layers.Average(), [(1, 3), (1, 3)]),
    (layers.Maximum(), [(1, 3), (1, 3)]),
    (layers.Minimum(), [(1, 3), (1, 3)]),
    (layers.Concatenate(axis=1), [(1, 3), (1, 2)]),
    (layers.SimpleRNN(3, return_state=True), (1, 4, 2)),
    (layers.LSTM(3, return_sequences=True), (1, 4, 2)),
    (layers.GRU(3, reset_after=False), (1, 4, 2)),
    (layers.GRU(3, use_bias=False), (1, 4, 2)),
    (layers.Embedding(10, 3), (1, 4)),
    (layers.Masking(), (1, 4, 2)),
    (layers.Bidirectional(layers.LSTM(2, return_sequences=True), merge_mode="sum"), (1, 4, 3)),
    (layers.TimeDistributed(layers.Conv2D(2, 2)), (1, 3, 4, 4, 1)),
]


def test_every_layer_class_is_planned():
    planned = {type(layer) for layer, _ in PLANNED}
    missing = [name for name, cls in layers.LAYERS.items() if cls not in planned]
    assert missing == ["InputLayer"]  # never called: it gives the model's input shape


@pytest.mark.parametrize(
    ("layer", "input_shape"), PLANNED, ids=[type(layer).__name__ for layer, _ in PLANNED]
)
def test_a_layers_stated_shapes_are_those_it_builds_and_gives(layer, input_shape, rng):
    shapes = [input_shape] if isinstance(input_shape, tuple) else input_shape
    x = [rng.integers(0, 10, s).astype(np.float32) for s in shapes]
    outputs = layer(x[0] if isinstance(input_shape, tuple) else x)
    assert layer.weight_shapes(input_shape) == [w.shape for w in layer.weights]
    given = [o.shape for o in outputs] if isinstance(outputs, list) else outputs.shape
    assert layer.compute_output_shape(input_shape) == given
