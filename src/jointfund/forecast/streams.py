"""Random streams: one child SeedSequence per (stable source id, block of paths).

Every random source (a commodity's price shocks, a deposit's timeline, a territory's control path,
FX, fund returns, a contribution stream) draws from its own generator, spawned from the run's root
entropy with a spawn key derived from a hash of the source id, never from loop order. Paths are cut
into fixed blocks of PATH_BLOCK; block b of source s always gets spawn key (key(s), b), so any chunk
size, any chunk order and any worker produce the same numbers, and two scenarios that share a source
id see the same draws (common random numbers). Arrays are year-major with the path axis last, so a
longer horizon only appends rows. Numbers are generated as float32 (faster) and handed out as
float64 (exactly the same values), so every computation on them is float64.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

PATH_BLOCK = 2048
Kind = Literal["uniform", "normal"]
FloatArray = NDArray[np.float64]
DrawArray = NDArray[np.float32]


def source_key(source_id: str) -> tuple[int, int]:
    """Stable two-word spawn key for a source id (first 8 bytes of its SHA-256)."""
    digest = hashlib.sha256(source_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "little"), int.from_bytes(digest[4:8], "little")


def block_generator(entropy: int, source_id: str, block: int) -> np.random.Generator:
    """The generator for one source and one block of paths."""
    seq = np.random.SeedSequence(entropy=entropy, spawn_key=(*source_key(source_id), block))
    return np.random.Generator(np.random.PCG64(seq))


@dataclass(frozen=True, slots=True)
class DrawSpec:
    """One array a source draws per block: kind and leading shape (the path axis is appended)."""

    kind: Kind
    shape: tuple[int, ...]


def _draw_block(
    gen: np.random.Generator, specs: Sequence[DrawSpec], antithetic: bool
) -> list[DrawArray]:
    out: list[DrawArray] = []
    n = PATH_BLOCK // 2 if antithetic else PATH_BLOCK
    for spec in specs:
        size = (*spec.shape, n)
        if spec.kind == "uniform":
            arr = gen.random(size, dtype=np.float32)
            if antithetic:
                arr = np.concatenate([arr, 1.0 - arr], axis=-1)
        else:
            arr = gen.standard_normal(size, dtype=np.float32)
            if antithetic:
                arr = np.concatenate([arr, -arr], axis=-1)
        out.append(arr)
    return out


def draw_range(
    entropy: int,
    source_id: str,
    specs: Sequence[DrawSpec],
    start: int,
    stop: int,
    antithetic: bool = False,
    keep_float32: bool = False,
) -> list[FloatArray]:
    """The arrays of one source for paths [start, stop), identical whatever the chunking.

    `keep_float32` hands out the generated float32 values as they are (half the memory traffic),
    for consumers that only compare them with thresholds.
    """
    first, last = start // PATH_BLOCK, (stop - 1) // PATH_BLOCK
    blocks = [
        _draw_block(block_generator(entropy, source_id, b), specs, antithetic)
        for b in range(first, last + 1)
    ]
    lo = start - first * PATH_BLOCK
    dtype = np.float32 if keep_float32 else np.float64
    out: list[FloatArray] = []
    for k in range(len(specs)):
        parts = [b[k] for b in blocks]
        if lo == 0 and stop == (last + 1) * PATH_BLOCK:
            out.append(np.concatenate(parts, axis=-1, dtype=dtype))  # one pass: join + widen
            continue
        joined = parts[0] if len(parts) == 1 else np.concatenate(parts, axis=-1)
        out.append(np.ascontiguousarray(joined[..., lo : lo + (stop - start)], dtype=dtype))
    return out
