"""Axis orders: how the axes of an ONNX tensor relate to the numnet tensor it stands for.

numnet's image layers take channels-last batches (N, H, W, C), while ONNX's Conv,
ConvTranspose, MaxPool and AveragePool read channels-first ones (N, C, H, W). So the
exporter lets an ONNX tensor hold a numnet tensor with its axes permuted. Its *layout* is
that permutation: ``onnx_value = numpy.transpose(numnet_value, layout)``. `NATIVE` (None)
is no permutation; `NCHW` is a channels-last image batch seen channels-first.

Image layers hand NCHW values to one another, and a Transpose appears only where a
consumer needs another layout (a Flatten, a Dense, a graph output): two convolutions in a
row share one layout and need none between them.
"""

from __future__ import annotations

Layout = tuple[int, ...] | None

NATIVE: Layout = None
NCHW: Layout = (0, 3, 1, 2)  # (N, H, W, C) read as (N, C, H, W)


def resolve(layout: Layout, rank: int) -> tuple[int, ...]:
    """The layout as an explicit permutation of `rank` axes."""
    return tuple(range(rank)) if layout is None else layout


def is_native(layout: Layout) -> bool:
    """True when the ONNX tensor's axes are numnet's, in numnet's order."""
    return layout is None or layout == tuple(range(len(layout)))


def onnx_axis(layout: Layout, axis: int, rank: int) -> int:
    """Where numnet's `axis` (negative counts from the end) sits in the ONNX tensor."""
    return resolve(layout, rank).index(axis % rank)


def transpose_between(source: Layout, target: Layout, rank: int) -> list[int]:
    """The `perm` of the ONNX Transpose that turns a tensor held in layout `source` into
    the same numnet tensor held in layout `target`.

    Axis j of the source holds numnet axis source[j]; output axis i must hold numnet
    axis target[i], which is source axis source.index(target[i]).
    """
    source, target = resolve(source, rank), resolve(target, rank)
    return [source.index(axis) for axis in target]


def after_reduction(layout: Layout, axes: tuple[int, ...], rank: int) -> Layout:
    """The layout of what is left once numnet `axes` are reduced away (keepdims=False)."""
    kept = [axis for axis in resolve(layout, rank) if axis not in axes]
    renumbered = tuple(sorted(kept).index(axis) for axis in kept)
    return None if is_native(renumbered) else renumbered
