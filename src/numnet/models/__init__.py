"""Keras-style models: Model (functional or subclassed), Sequential, GAN, load_model, callbacks."""

from numnet.models import callbacks
from numnet.models.callbacks import History
from numnet.models.gan import GAN
from numnet.models.loading import load_model
from numnet.models.model import Model
from numnet.models.sequential import Sequential

__all__ = ["GAN", "History", "Model", "Sequential", "callbacks", "load_model"]
