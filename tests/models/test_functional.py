"""The functional API: graphs of layer calls, several inputs and outputs, shared layers,
models inside models, freezing, saving, and the errors a user meets."""

import numpy as np
import pytest

import numnet
from numnet import layers, optimizers
from numnet.models import Model, Sequential, load_model


def two_in_two_out() -> Model:
    """Features and an image-like vector in; a regression and a 3-class output out."""
    features = numnet.Input(shape=(3,), name="features")
    extra = numnet.Input(shape=(2,), name="extra")
    shared = layers.Dense(8, activation="tanh", name="shared")
    merged = layers.Dense(8, activation="tanh")(layers.concatenate([shared(features), extra]))
    value = layers.Dense(1, name="value")(merged)
    label = layers.Dense(3, activation="softmax", name="label")(shared(features))
    return Model(inputs=[features, extra], outputs=[value, label], name="two_by_two")


def two_by_two_data(n: int = 256, seed: int = 0):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(n, 3)).astype(np.float32)
    b = rng.normal(size=(n, 2)).astype(np.float32)
    value = (a[:, :1] - 2 * b[:, 1:]).astype(np.float32)
    label = np.argmax(a, axis=1)
    return a, b, value, label


def test_graph_structure_summary_and_layers(capsys):
    model = two_in_two_out()
    assert [layer.name for layer in model.layers] == [
        "shared",
        "concatenate",
        "dense",
        "value",
        "label",
    ]
    assert model.get_layer("value").units == 1
    assert [t.shape for t in model.inputs] == [(None, 3), (None, 2)]
    assert model.output_names == ["value", "label"]
    assert model.count_params() == (3 * 8 + 8) + (10 * 8 + 8) + (8 + 1) + (8 * 3 + 3)
    model.summary()
    out = capsys.readouterr().out
    assert "Connected to" in out and "features (InputLayer)" in out
    assert "concatenate (Concatenate)" in out and "shared[0][0], extra[0][0]" in out
    assert "shared (Dense)" in out and out.count("shared (Dense)") == 1  # shared layer: one row


def test_two_inputs_two_outputs_train_save_load(tmp_path):
    numnet.random.seed(0)
    a, b, value, label = two_by_two_data()
    model = two_in_two_out()
    model.compile(
        optimizer=optimizers.Adam(0.02),
        loss={"value": "mse", "label": "sparse_categorical_crossentropy"},
        loss_weights={"value": 1.0, "label": 0.5},
        metrics={"label": ["accuracy"]},
    )
    history = model.fit(
        {"features": a, "extra": b},
        {"value": value, "label": label},
        epochs=30,
        batch_size=32,
        verbose=0,
    )
    logs = history.history
    assert set(logs) == {"loss", "value_loss", "label_loss", "label_accuracy"}
    assert logs["value_loss"][-1] < 0.2 * logs["value_loss"][0]
    assert logs["label_accuracy"][-1] > 0.9
    path = tmp_path / "two.npz"
    model.save(path)
    loaded = load_model(path)
    before, after = model.predict([a, b]), loaded.predict([a, b])
    assert len(after) == 2
    for x, y in zip(before, after, strict=True):
        np.testing.assert_array_equal(x, y)
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    # compile settings come back: evaluate gives the same numbers
    np.testing.assert_allclose(
        loaded.evaluate([a, b], [value, label]), model.evaluate([a, b], [value, label]), rtol=1e-6
    )


def encoder_decoder():
    encoder_input = numnet.Input(shape=(6,), name="original")
    code = layers.Dense(2, activation="tanh")(layers.Dense(4, activation="tanh")(encoder_input))
    encoder = Model(encoder_input, code, name="encoder")
    decoder = Sequential(
        [numnet.Input(shape=(2,)), layers.Dense(4, activation="tanh"), layers.Dense(6)],
        name="decoder",
    )
    inputs = numnet.Input(shape=(6,), name="data")
    autoencoder = Model(inputs, decoder(encoder(inputs)), name="autoencoder")
    return encoder, decoder, autoencoder


def test_models_nest_train_and_save(tmp_path):
    numnet.random.seed(1)
    encoder, decoder, autoencoder = encoder_decoder()
    assert [layer.name for layer in autoencoder.layers] == ["encoder", "decoder"]
    assert autoencoder.count_params() == encoder.count_params() + decoder.count_params()
    rng = np.random.default_rng(0)
    latent = rng.normal(size=(300, 2))
    x = np.tanh(latent @ rng.normal(size=(2, 6))).astype(np.float32)  # data on a 2-D surface
    autoencoder.compile(optimizer=optimizers.Adam(0.01), loss="mse")
    first = autoencoder.evaluate(x, x)
    autoencoder.fit(x, x, epochs=40, batch_size=32, verbose=0)
    assert autoencoder.evaluate(x, x) < 0.25 * first
    # the encoder inside was trained too: it is the same object, with the same weights
    np.testing.assert_array_equal(encoder.predict(x), autoencoder.get_layer("encoder").predict(x))
    autoencoder.save(tmp_path / "ae.npz")
    loaded = load_model(tmp_path / "ae.npz")
    np.testing.assert_array_equal(loaded.predict(x), autoencoder.predict(x))
    assert type(loaded.get_layer("decoder")).__name__ == "Sequential"


def test_a_model_is_callable_on_tensors_and_arrays():
    encoder, _, autoencoder = encoder_decoder()
    x = np.ones((2, 6), dtype=np.float32)
    y = autoencoder(numnet.tensor(x))
    assert isinstance(y, numnet.Tensor) and y.shape == (2, 6)
    np.testing.assert_allclose(y.data, autoencoder.predict(x), rtol=1e-6)
    assert encoder(x).shape == (2, 2)


def test_freezing_a_layer_keeps_its_weights_in_fit(capsys):
    numnet.random.seed(2)
    inputs = numnet.Input((4,))
    base = layers.Dense(8, activation="relu", name="base")
    head = layers.Dense(1, name="head")
    model = Model(inputs, head(base(inputs)))
    base.trainable = False
    assert len(model.trainable_weights) == 2 and len(model.non_trainable_weights) == 2
    frozen = base.get_weights()
    head_before = head.get_weights()
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(0).normal(size=(64, 4)).astype(np.float32)
    model.fit(x, x[:, :1], epochs=2, verbose=0)
    for before, after in zip(frozen, base.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)
    assert not np.array_equal(head_before[0], head.get_weights()[0])
    model.summary()
    assert "Non-trainable params: 40" in capsys.readouterr().out
    base.trainable = True
    assert len(model.trainable_weights) == 4


def test_functional_model_errors():
    a, b = numnet.Input((3,), name="a"), numnet.Input((3,), name="b")
    with pytest.raises(ValueError, match=r"'b'.*not in the model's inputs"):
        Model(a, layers.Dense(2)(b))
    with pytest.raises(ValueError, match=r"do not depend on the inputs \['b'\]"):
        Model([a, b], layers.Dense(2)(a))
    with pytest.raises(ValueError, match=r"MaxPooling2D layer 'pool' cannot take .*\(None, 2\)"):
        layers.MaxPooling2D(name="pool")(layers.Dense(2)(a))
    dense = layers.Dense(4, name="d")
    y = dense(a)
    with pytest.raises(ValueError, match="cannot take inputs of shape"):
        dense(numnet.Input((5,)))  # built for 3 features
    with pytest.raises(ValueError, match="two layers named 'same'"):
        Model(a, layers.Dense(1, name="same")(layers.Dense(2, name="same")(a)))
    model = Model(a, y)
    with pytest.raises(ValueError, match=r"no layer named 'nope'.*d"):
        model.get_layer("nope")
    with pytest.raises(TypeError, match=r"must come from numnet.Input"):
        Model(a, np.zeros(3))


def test_compile_needs_a_loss_unless_train_step_is_overridden():
    inputs = numnet.Input((2,))
    model = Model(inputs, layers.Dense(1)(inputs), name="plain")
    with pytest.raises(ValueError, match=r"'plain'.*needs a loss.*train_step"):
        model.compile(optimizer="adam")

    class Custom(Model):
        def train_step(self, data):
            return {"seen": float(len(data))}

    custom = Custom(inputs, model.outputs[0])
    custom.compile(optimizer="adam")  # no loss: fine
    history = custom.fit(np.zeros((10, 2), np.float32), batch_size=4, epochs=2, verbose=0)
    assert history.history == {"seen": [2.0, 2.0]}  # the last batch's logs (10 = 4 + 4 + 2)


def test_unnamed_inputs_get_unique_names_and_survive_saving(tmp_path):
    a, b = numnet.Input((2,)), numnet.Input((2,))
    model = Model([a, b], layers.subtract([a, b]))
    assert [t.node.layer.name for t in model.inputs] == ["input_layer", "input_layer_1"]
    x, y = np.ones((3, 2), np.float32), np.zeros((3, 2), np.float32)
    model.save(tmp_path / "m.npz")
    np.testing.assert_array_equal(load_model(tmp_path / "m.npz").predict([x, y]), x - y)
