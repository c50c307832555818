"""`numnet info`: versions, where each dataset is found, and the cache folder."""

from __future__ import annotations

import argparse
import os
from typing import Any

from numnet.cli.common import DATASETS, versions
from numnet.datasets import files


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add `info` to `subparsers`; return its parser."""
    return subparsers.add_parser("info", help="versions, where data is found, the cache folder")


def run(args: argparse.Namespace) -> int:
    """Print the versions, NUMNET_DATA, the cache folder, and where each dataset lies."""
    print(" ".join(f"{name} {version}" for name, version in versions().items()))
    print(f"NUMNET_DATA: {os.environ.get('NUMNET_DATA') or '(not set)'}")
    print(f"cache folder: {files.cache_dir()}")
    for name, module in DATASETS.items():
        found = files.locate(module.DATASET)
        where = found["x_train"].parent if found else "not found (will be downloaded on first use)"
        print(f"{name}: {where}")
    return 0
