"""compile / fit / evaluate / predict / summary / saving, callbacks and error messages."""

import json
import warnings

import numpy as np
import pytest

import numnet
from numnet import callbacks, layers, optimizers
from numnet import functional as F
from numnet.models import Model, Sequential, load_model


def blobs(n: int = 200, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Three well-separated Gaussian blobs in 2-D."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    centres = np.array([[0, 3], [3, -2], [-3, -2]])
    return (centres[y] + rng.normal(size=(n, 2))).astype(np.float32), y


def small_model(**dense) -> Sequential:
    return Sequential(
        [
            layers.Dense(16, activation="relu", input_shape=(2,), **dense),
            layers.Dense(3, activation="softmax"),
        ]
    )


def test_fit_learns_and_history_has_keras_keys():
    numnet.random.seed(0)
    x, y = blobs()
    model = small_model()
    model.compile(
        optimizer=optimizers.Adam(0.02),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    history = model.fit(x, y, epochs=15, batch_size=16, verbose=0, validation_split=0.25)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(history.history["loss"]) == 15
    assert history.history["loss"][-1] < history.history["loss"][0]
    _loss, accuracy = model.evaluate(x, y, verbose=0)
    assert accuracy > 0.95
    assert model.predict(x).shape == (200, 3)


def test_fit_overfits_a_tiny_set():
    numnet.random.seed(1)
    x = np.random.default_rng(0).normal(size=(8, 5)).astype(np.float32)
    y = np.arange(8) % 4
    model = Sequential([layers.Dense(32, activation="tanh"), layers.Dense(4, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=300, batch_size=8, verbose=0)
    assert model.evaluate(x, y)[1] == 1.0


def test_seed_makes_training_reproducible():
    x, y = blobs()

    def run() -> list[float]:
        numnet.random.seed(42)
        model = small_model()
        model.add(layers.Dropout(0.1))
        model.compile("sgd", "sparse_categorical_crossentropy")
        return model.fit(x, y, epochs=2, verbose=0).history["loss"]

    assert run() == run()


def test_hand_written_loop_drives_the_same_layers():
    numnet.random.seed(0)
    x, y = blobs()
    model = Sequential([layers.Dense(16, activation="relu"), layers.Dense(3)])
    opt = optimizers.SGD(0.1, momentum=0.9)
    model.train()
    for _ in range(30):
        loss = F.softmax_cross_entropy(model(x), y)
        opt.zero_grad(model.parameters())
        loss.backward()
        opt.step(model.parameters())
    model.eval()
    with numnet.no_grad():
        accuracy = (model(x).numpy().argmax(1) == y).mean()
    assert accuracy > 0.95


def test_fused_softmax_cross_entropy_survives_underflow():
    # Probabilities that underflow to 0 would give log(0) = -inf without the fused path.
    model = Sequential([layers.Dense(2, activation="softmax", kernel_initializer="ones")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    x = np.array([[500.0, -500.0]], dtype=np.float32)
    y = np.array([[0.0, 1.0]], dtype=np.float32)
    model.layers[0](x)
    model.layers[0].kernel.data[:] = [[1, -1], [-1, 1]]
    history = model.fit(x, y, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0]) and history.history["loss"][0] > 100


def test_regularization_penalty_shows_in_the_loss():
    numnet.random.seed(0)
    x, y = blobs(64)
    plain, penalised = small_model(), small_model(kernel_regularizer="l2")
    for model in (plain, penalised):
        model.build((2,))
    penalised.set_weights(plain.get_weights())
    for model in (plain, penalised):
        model.compile(optimizer=optimizers.SGD(1e-9), loss="sparse_categorical_crossentropy")
    weights = plain.layers[0].kernel.numpy()
    gap = penalised.evaluate(x, y) - plain.evaluate(x, y)
    assert gap == pytest.approx(0.01 * np.sum(weights**2), rel=1e-4)


def test_summary_table(capsys):
    model = small_model()
    model.add(layers.BatchNormalization())
    model.summary()
    out = capsys.readouterr().out
    assert "dense (Dense)" in out and "dense_1 (Dense)" in out
    assert "(None, 16)" in out and "48" in out
    assert "Total params: 111" in out and "Non-trainable params: 6" in out


def test_save_load_keeps_predictions_and_compile(tmp_path):
    numnet.random.seed(0)
    x, y = blobs()
    model = small_model(kernel_regularizer=numnet.regularizers.l2(0.001))
    model.add(layers.Dropout(0.2))
    model.compile(
        optimizer=optimizers.Adam(0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(x, y, epochs=2, verbose=0)
    path = tmp_path / "model.keras"
    model.save(path)
    assert path.exists()  # written to the exact name given
    restored = load_model(path)
    np.testing.assert_allclose(restored.predict(x), model.predict(x), atol=1e-6)
    assert restored.evaluate(x, y) == pytest.approx(model.evaluate(x, y), rel=1e-6)
    assert restored.layers[0].kernel_regularizer.l2 == 0.001


def test_loading_a_pickle_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    path = tmp_path / "evil.npz"
    np.savez(path, architecture=np.array([Exploit()], dtype=object))
    with pytest.raises(ValueError, match="pickled Python objects"):
        load_model(path)
    assert not marker.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"hello", "not a numnet model file"), (None, "does not exist")],
)
def test_loading_bad_files(tmp_path, content, message):
    path = tmp_path / "model.npz"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ValueError, match=message):
        load_model(path)


def test_bad_input_errors():
    x, y = blobs(10)
    model = small_model()
    with pytest.raises(RuntimeError, match="compile"):
        model.fit(x, y)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="10 samples but y has 9"):
        model.fit(x, y[:9], verbose=0)
    with pytest.raises(ValueError, match=r"expects samples of shape \(2,\)"):
        model.predict(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="label 7 is out of range for 3 classes"):
        model.fit(x, np.full(10, 7), verbose=0)
    with pytest.raises(ValueError, match="unknown loss 'crossentropy'; valid names"):
        model.compile(optimizer="adam", loss="crossentropy")
    with pytest.raises(ValueError, match="unknown activation 'relu6'; valid names: elu"):
        layers.Dense(3, activation="relu6")
    dense = layers.Dense(3)
    dense(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="expects inputs with 4 features"):
        dense(np.zeros((2, 5)))


def test_nan_loss_stops_with_a_message_naming_epoch_and_batch():
    x, y = blobs(64)
    model = small_model()
    model.compile(optimizer=optimizers.SGD(1e12), loss="sparse_categorical_crossentropy")
    x[40] = 1e30  # finite, but the step overflows (NaN inputs are refused before training)
    with pytest.warns(RuntimeWarning, match=r"epoch 1, batch 3"):
        history = model.fit(x, y, batch_size=16, epochs=5, shuffle=False, verbose=0)
    assert len(history.history.get("loss", [])) <= 1


def test_callbacks(tmp_path):
    numnet.random.seed(0)
    x, y = blobs()
    model = small_model()
    model.compile(
        optimizer=optimizers.SGD(0.05), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    early = callbacks.EarlyStopping(
        monitor="loss", patience=0, min_delta=10.0, restore_best_weights=True
    )
    csv_path = tmp_path / "log.csv"
    seen_lr = []
    schedule = callbacks.LearningRateScheduler(
        lambda epoch, lr: seen_lr.append(lr) or 0.1 / (epoch + 1)
    )
    checkpoint = callbacks.ModelCheckpoint(str(tmp_path / "m-{epoch:02d}.npz"))
    history = model.fit(
        x,
        y,
        epochs=10,
        verbose=0,
        callbacks=[early, callbacks.CSVLogger(csv_path), schedule, checkpoint],
    )
    assert len(history.history["loss"]) == 2  # stopped: no improvement of 10.0 after epoch 1
    assert early.stopped_epoch == 1
    rows = csv_path.read_text().splitlines()
    assert rows[0].startswith("epoch,loss,accuracy") and len(rows) == 3
    assert seen_lr[0] == pytest.approx(0.05)
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.05])
    assert (tmp_path / "m-01.npz").exists() and (tmp_path / "m-02.npz").exists()
    best = load_model(tmp_path / "m-01.npz")
    np.testing.assert_allclose(best.predict(x), model.predict(x), atol=1e-6)


def test_progress_bar_output(capsys):
    x, y = blobs(64)
    model = small_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=16, epochs=2, verbose=1, validation_data=(x, y))
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out
    assert "4/4 [==============================]" in out
    assert "val_accuracy" in out and "ms/step" in out


def test_subclassed_model():
    class TwoLayer(Model):
        def __init__(self):
            super().__init__()
            self.hidden = layers.Dense(8, activation="tanh")
            self.out = layers.Dense(3, activation="softmax")

        def call(self, x):
            return self.out(self.hidden(x))

    numnet.random.seed(0)
    x, y = blobs()
    model = TwoLayer()
    model.compile(
        optimizer=optimizers.Adam(0.05), loss="sparse_categorical_crossentropy", metrics=["acc"]
    )
    model.fit(x, y, epochs=10, verbose=0)
    assert model.evaluate(x, y)[1] > 0.95
    assert [layer.name for layer in model.layers] == ["dense", "dense_1"]
    assert len(model.parameters()) == 4
    with pytest.raises(NotImplementedError, match="save_weights"):
        model.save("unused.npz")


def test_model_file_is_json_plus_arrays(tmp_path):
    model = small_model()
    model.build((2,))
    model.save(tmp_path / "m.npz")
    with np.load(tmp_path / "m.npz", allow_pickle=False) as archive:
        architecture = json.loads(archive["architecture"].tobytes())
        assert architecture["class_name"] == "Sequential"
        assert [spec["class_name"] for spec in architecture["config"]["layers"]] == [
            "Dense",
            "Dense",
        ]
        assert len([n for n in archive.files if n.startswith("weight_")]) == 4
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_model(tmp_path / "m.npz")


def test_build_takes_a_keras_batch_shape_or_a_sample_shape():
    keras_style, plain = small_model(), small_model()
    keras_style.build((None, 2))
    plain.build((2,))
    assert keras_style.count_params() == plain.count_params() > 0
    with pytest.raises(ValueError, match=r"\(None, 784\)"):
        small_model().build((None, None))
