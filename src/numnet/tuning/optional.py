"""Optuna, the optional engine of the search: imported only when a search needs it.

`import numnet` never imports Optuna; whatever needs it calls `require_optuna()`, which
says in one line how to install it.
"""

from __future__ import annotations

from typing import Any

INSTALL_HINT = 'pip install -e ".[tune]" (or pip install optuna)'


def require_optuna() -> Any:
    """The `optuna` module, or an ImportError that says how to install it."""
    try:
        import optuna
    except ImportError as error:
        raise ImportError(f"hyperparameter search needs Optuna: {INSTALL_HINT}") from error
    return optuna
