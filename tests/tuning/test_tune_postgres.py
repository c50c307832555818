"""The many-machine path: workers sharing one study through a PostgreSQL server.

Runs only when NUMNET_TEST_POSTGRES_URL names a server, e.g. after
``sudo benchmarks/postgres_setup.sh``:

    NUMNET_TEST_POSTGRES_URL=postgresql://numnet:numnet@localhost:5432/numnet_tune \\
        python -m pytest tests/tuning/test_tune_postgres.py
"""

from __future__ import annotations

import json
import os
import uuid

import optuna
import pytest
from tune_helpers import FAST, finish, reported_trials, start_worker

URL = os.environ.get("NUMNET_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(
    not URL, reason="set NUMNET_TEST_POSTGRES_URL to a PostgreSQL server's URL to run"
)


def test_two_workers_share_one_study_through_a_postgresql_url(tmp_path):
    assert URL is not None and URL.startswith("postgresql")
    name = f"pytest-{uuid.uuid4().hex[:12]}"  # a study of its own, whatever the server holds
    # Each worker writes to its own folder, as on two machines; the URL is what they share.
    outs = [tmp_path / "machine0", tmp_path / "machine1"]
    logs = [tmp_path / "worker0.log", tmp_path / "worker1.log"]
    workers = [
        start_worker("--trials", "3", *FAST, "--storage", URL, "--study-name", name,
                     "--out", str(out), "--seed", str(i), log=log)
        for i, (out, log) in enumerate(zip(outs, logs, strict=True))
    ]  # fmt: skip
    try:
        outputs = finish(workers, logs)
        study = optuna.load_study(study_name=name, storage=URL)
        assert len(study.trials) == 6
        assert all(t.state.name in ("COMPLETE", "PRUNED") for t in study.trials)
        numbers = [reported_trials(output) for output in outputs]
        assert sorted(numbers[0] + numbers[1]) == list(range(6))
        for out in outs:
            best = json.loads((out / "best.json").read_text())
            assert best["study_name"] == name and not (out / "study.db").exists()
            assert ":***@" in best["storage"]  # the password is never written down
    finally:
        for worker in workers:
            worker.kill()  # a no-op once it has exited
        if name in optuna.get_all_study_names(URL):
            optuna.delete_study(study_name=name, storage=URL)
