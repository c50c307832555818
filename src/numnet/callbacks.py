"""Keras' `callbacks` module: ``from numnet.callbacks import EarlyStopping``."""

from numnet.models.callbacks import (
    Callback,
    CSVLogger,
    EarlyStopping,
    History,
    LearningRateScheduler,
    ModelCheckpoint,
    ProgbarLogger,
    TerminateOnNaN,
)
from numnet.models.sample_grid import SampleGrid

__all__ = [
    "CSVLogger",
    "Callback",
    "EarlyStopping",
    "History",
    "LearningRateScheduler",
    "ModelCheckpoint",
    "ProgbarLogger",
    "SampleGrid",
    "TerminateOnNaN",
]
