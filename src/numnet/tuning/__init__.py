"""Hyperparameter search on Optuna: the library side of `numnet tune`.

The search, in the order a trial meets it:

* `space`: the hyperparameters the notes list and their ranges (`SearchSpace`,
  `default_space`), moved by overrides like ``learning_rate=1e-4:1e-2``;
* `models`: the network and optimizer a drawn configuration describes;
* `objective`: a trial's score, validation accuracy on a held-out part of the training
  set (`holdout_split`, `Objective`), never on the test set;
* `pruning`: `OptunaPruning`, the `fit` callback that stops hopeless trials;
* `storage` and `study`: the database every worker shares, and the study in it;
* `report`: best.json and the picture of the search.

Optuna is an optional extra (``pip install -e ".[tune]"``): importing this package does
not import it; the first thing that needs it does, or says how to install it.
"""

from numnet.tuning.objective import Objective, holdout_split, train_config
from numnet.tuning.optional import require_optuna
from numnet.tuning.pruning import OptunaPruning
from numnet.tuning.space import Choice, Range, SearchSpace, default_space
from numnet.tuning.storage import default_storage_url, open_storage
from numnet.tuning.study import agree_settings, best_trial, open_study

__all__ = [
    "Choice",
    "Objective",
    "OptunaPruning",
    "Range",
    "SearchSpace",
    "agree_settings",
    "best_trial",
    "default_space",
    "default_storage_url",
    "holdout_split",
    "open_storage",
    "open_study",
    "require_optuna",
    "train_config",
]
