"""Where a study lives: a database that every worker of the search reads and writes.

One machine: a SQLite file (the default, ``study.db`` in the output folder), which
several processes share through the file's locks. Many machines: a database server that
all of them reach, given as an SQLAlchemy URL such as
``postgresql://user:password@host:5432/db`` or ``mysql+pymysql://user:password@host/db``.
The same URL is what `optuna-dashboard` takes to show the study live.
"""

from __future__ import annotations

import re
import time
import warnings
from pathlib import Path
from typing import Any

from numnet.tuning.optional import require_optuna

# A worker that dies leaves its trial RUNNING; with a heartbeat every minute, the next
# worker to start a trial marks it FAIL once it has been silent for three.
HEARTBEAT_S, GRACE_S = 60, 180
# What the losers of the race to create a new database's tables see (SQLite, PostgreSQL).
SETUP_RACE = re.compile(r"already exists|UNIQUE constraint failed|duplicate key value")
SETUP_TRIES = 5
DRIVERS = 'PostgreSQL: pip install "psycopg[binary]"; MySQL: pip install pymysql, mysql+pymysql://'


def default_storage_url(out: str | Path) -> str:
    """The SQLite file ``study.db`` in folder `out`, as an absolute URL (so the printed
    dashboard command works from any folder)."""
    return f"sqlite:///{(Path(out) / 'study.db').resolve()}"


def masked(url: str) -> str:
    """`url` with its password replaced by ``***``, fit to print or save."""
    return re.sub(r"(://[^/:@]*:)[^/@]*@", r"\1***@", url)


def _engine_options(url: str) -> dict[str, Any]:
    """SQLAlchemy engine options by database: SQLite waits up to a minute for a writer's
    lock (workers sharing a file take turns); a server gets 10 s to answer."""
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 60}}
    if url.startswith(("postgresql", "mysql")):
        return {"connect_args": {"connect_timeout": 10}}
    return {}


def open_storage(url: str) -> Any:
    """Optuna's RDBStorage at `url` (tables created on first use), or a ValueError that
    says in one line why it cannot be opened: a malformed URL, an unknown database, a
    missing driver, a server that does not answer or refuses the login.

    Workers started together on a new database race to create its tables, and all but
    one see "table ... already exists" or a duplicate version row; the tables are
    there by then, so such a worker tries again (up to SETUP_TRIES times)."""
    for attempt in range(1, SETUP_TRIES + 1):
        try:
            return _rdb_storage(url)
        except Exception as error:  # any failure here means: this URL gives no storage
            failure = error
            if not SETUP_RACE.search(str(error)):
                break
            time.sleep(0.2 * attempt)
    raise ValueError(f"cannot open --storage {masked(url)}: {_reason(failure)}") from failure


def _rdb_storage(url: str) -> Any:
    """One try at opening `url`, with SQLite's patience and the heartbeat."""
    optuna = require_optuna()
    with warnings.catch_warnings():
        # The heartbeat has been "experimental" since Optuna 2.9, and works as documented.
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        return optuna.storages.RDBStorage(
            url,
            engine_kwargs=_engine_options(url),
            heartbeat_interval=HEARTBEAT_S,
            grace_period=GRACE_S,
        )


def _reason(error: Exception) -> str:
    """The first line of what went wrong, with the driver to install when one is missing
    (Optuna's own message does not name it)."""
    if isinstance(error, ImportError):
        return f"{error.__cause__ or error} ({DRIVERS})"
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
