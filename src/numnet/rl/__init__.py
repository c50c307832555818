"""Reinforcement learning: no data set, an agent learns by trial in an environment.

Read in this order: `environment` (Gymnasium, checked and seeded), `returns` and `ops`
(returns-to-go, the log-probability trick, the Huber loss), `policy` (the network
observation -> one score per action), `reinforce` and `dqn` (the two agents, with
`replay` and `exploration`), `training` and `keep_best` (the loop, and why the best
policy is kept), `algorithms` (the algorithms by name, and `learn`).

Gymnasium (the optional extra `rl`) is imported only when an environment is made, so
importing this package does not need it.
"""

from numnet.rl.algorithms import ALGORITHMS, learn, play, random_returns
from numnet.rl.dqn import DQN, DQNConfig
from numnet.rl.environment import make_env
from numnet.rl.exploration import LinearDecay
from numnet.rl.keep_best import KeepBest
from numnet.rl.ops import action_log_prob, huber_loss
from numnet.rl.reinforce import Reinforce, ReinforceConfig
from numnet.rl.replay import ReplayBuffer
from numnet.rl.returns import returns_to_go
from numnet.rl.training import train

__all__ = [
    "ALGORITHMS",
    "DQN",
    "DQNConfig",
    "KeepBest",
    "LinearDecay",
    "Reinforce",
    "ReinforceConfig",
    "ReplayBuffer",
    "action_log_prob",
    "huber_loss",
    "learn",
    "make_env",
    "play",
    "random_returns",
    "returns_to_go",
    "train",
]
