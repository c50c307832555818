"""Keras-style models: Model (functional or subclassed), Sequential, load_model, callbacks."""

from numnet.models import callbacks
from numnet.models.callbacks import History
from numnet.models.loading import load_model
from numnet.models.model import Model
from numnet.models.sequential import Sequential

__all__ = ["History", "Model", "Sequential", "callbacks", "load_model"]
