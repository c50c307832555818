"""The networks `numnet train` offers, exported and run on real MNIST digits, and the
`numnet export` command."""

from __future__ import annotations

import sys

import numpy as np
import pytest

pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")

from onnx_checks import Exported, assert_close

import numnet
from numnet import cli, gan_zoo, zoo
from numnet.datasets import mnist


@pytest.fixture(scope="module")
def digits():
    """1000 training and 500 test images in [0, 1] with their labels (from NUMNET_DATA)."""
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    scale = np.float32(1 / 255)
    return (x_train[:1000] * scale, y_train[:1000]), (x_test[:500] * scale, y_test[:500])


@pytest.mark.parametrize("name", ["mlp", "lenet5"])
def test_trained_zoo_model_matches_on_mnist_test_images(tmp_path, digits, name):
    (x_train, y_train), (x_test, y_test) = digits
    entry = zoo.MODELS[name]
    numnet.random.seed(0)
    model = entry.build()
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    shape = entry.sample_shape
    model.fit(x_train.reshape(-1, *shape), y_train, batch_size=64, epochs=1, verbose=0, seed=0)
    result = Exported(model, tmp_path / f"{name}.onnx")
    images = x_test.reshape(-1, *shape)
    (probabilities,) = result.compare([images])
    np.testing.assert_array_equal(probabilities.argmax(1), model.predict(images).argmax(1))
    assert (probabilities.argmax(1) == y_test).mean() > 0.4  # it learned something (chance: 0.1)
    (single,) = result.run([images[:1]])  # the batch axis is dynamic
    assert_close(single, probabilities[:1])


@pytest.mark.parametrize("name", sorted(set(zoo.MODELS) - {"mlp", "lenet5"}))
def test_every_other_zoo_model_exports(tmp_path, rng, digits, name):
    entry = zoo.MODELS[name]
    model = entry.build()
    model.build(entry.sample_shape)
    _, (x_test, _) = digits
    Exported(model, tmp_path / f"{name}.onnx").compare(
        [x_test[:16].reshape(-1, *entry.sample_shape)]
    )


@pytest.mark.parametrize("name", sorted(gan_zoo.GANS))
def test_gan_generators_export(tmp_path, rng, name):
    gan = gan_zoo.GANS[name].build(gan_zoo.LATENT_DIM)
    noise = rng.standard_normal((5, gan_zoo.LATENT_DIM)).astype(np.float32)
    (images,) = Exported(gan.generator, tmp_path / f"{name}.onnx").compare([noise])
    assert images.shape == (5, 28, 28, 1)


# --- the command line ------------------------------------------------------------------------
@pytest.fixture
def saved(tmp_path):
    model = zoo.lenet5()
    path = tmp_path / "model.npz"
    model.save(path)
    return model, path


def test_cli_export_round_trip(saved, tmp_path, digits, capsys):
    model, path = saved
    out = tmp_path / "exported" / "lenet.onnx"
    assert cli.main(["export", str(path), "--out", str(out)]) == 0
    assert f"Wrote {out}" in capsys.readouterr().out
    _, (x_test, _) = digits
    Exported(model, tmp_path / "check.onnx")  # the same model, exported directly
    import onnxruntime as ort

    session = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    images = x_test[:32].reshape(-1, 28, 28, 1)
    (got,) = session.run(None, {session.get_inputs()[0].name: images})
    assert_close(got, model.predict(images))


def test_cli_export_defaults_to_the_model_name(saved, capsys):
    _, path = saved
    assert cli.main(["export", str(path)]) == 0
    assert path.with_suffix(".onnx").exists()


@pytest.mark.parametrize("content", [None, b"not a model file"])
def test_cli_export_of_a_bad_file_is_one_line(tmp_path, capsys, content):
    path = tmp_path / "broken.npz"
    if content is not None:
        path.write_bytes(content)
    assert cli.main(["export", str(path), "--out", str(tmp_path / "m.onnx")]) == 1
    error = capsys.readouterr().err
    assert error.startswith("numnet export: error:") and error.count("\n") == 1
    assert "broken.npz" in error


def test_cli_export_without_onnx_says_how_to_install(saved, monkeypatch, capsys):
    _, path = saved
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx now fails
    assert cli.main(["export", str(path)]) == 1
    assert 'pip install -e ".[onnx]"' in capsys.readouterr().err
