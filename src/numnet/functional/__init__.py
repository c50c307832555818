"""Functional ops: each a `Function` (forward and backward on arrays) and a lowercase
wrapper that accepts Tensors or array-likes and returns ``apply(Op(...), *inputs)``.

The array-algebra families (elementwise, reduction, shape, linalg) keep their Functions
in `numnet.autograd.ops`, below Tensor, whose operators use them; their wrappers are
here. Window geometry shared by conv and pooling is in `window`.

Import as ``from numnet import functional as F``.
"""

from numnet.functional.activation import (
    elu,
    gelu,
    identity,
    leaky_relu,
    log_softmax,
    relu,
    sigmoid,
    softmax,
    softplus,
    step_function,
    tanh,
)
from numnet.functional.conv import col2im, conv2d, im2col
from numnet.functional.conv_pool import conv2d_max_pool
from numnet.functional.conv_transpose import conv_transpose2d
from numnet.functional.dropout import dropout
from numnet.functional.elementwise import (
    abs,
    add,
    cast,
    clip,
    div,
    exp,
    log,
    mul,
    neg,
    pow,
    sqrt,
    square,
    sub,
)
from numnet.functional.embedding import embedding
from numnet.functional.gru import gru
from numnet.functional.linalg import linear, matmul
from numnet.functional.loss import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy_error,
    mean_squared_error,
    softmax_cross_entropy,
)
from numnet.functional.lstm import lstm
from numnet.functional.minmax import maximum, minimum
from numnet.functional.normalization import batch_norm
from numnet.functional.pooling import avg_pool2d, max_pool2d
from numnet.functional.reduction import logsumexp, max, mean, min, sum, sum_of_squares
from numnet.functional.rnn import simple_rnn
from numnet.functional.shape import (
    broadcast_to,
    concatenate,
    getitem,
    reshape,
    stack,
    transpose,
    where,
)
from numnet.functional.upsampling import upsample2d

__all__ = [
    "abs",
    "add",
    "avg_pool2d",
    "batch_norm",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "broadcast_to",
    "cast",
    "clip",
    "col2im",
    "concatenate",
    "conv2d",
    "conv2d_max_pool",
    "conv_transpose2d",
    "cross_entropy_error",
    "div",
    "dropout",
    "elu",
    "embedding",
    "exp",
    "gelu",
    "getitem",
    "gru",
    "identity",
    "im2col",
    "leaky_relu",
    "linear",
    "log",
    "log_softmax",
    "logsumexp",
    "lstm",
    "matmul",
    "max",
    "max_pool2d",
    "maximum",
    "mean",
    "mean_squared_error",
    "min",
    "minimum",
    "mul",
    "neg",
    "pow",
    "relu",
    "reshape",
    "sigmoid",
    "simple_rnn",
    "softmax",
    "softmax_cross_entropy",
    "softplus",
    "sqrt",
    "square",
    "stack",
    "step_function",
    "sub",
    "sum",
    "sum_of_squares",
    "tanh",
    "transpose",
    "upsample2d",
    "where",
]
