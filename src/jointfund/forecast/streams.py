"""Random streams: one child SeedSequence per (stable source id, block of paths).

Every random source (a commodity's price shocks, a deposit's timeline, a territory's control path,
FX, fund returns, a contribution stream) draws from its own generator, spawned from the run's root
entropy with a spawn key derived from a hash of the source id, never from loop order. Paths are cut
into fixed blocks of PATH_BLOCK; block b of source s always gets spawn key (key(s), b), so any chunk
size, any chunk order and any worker produce the same numbers, and two scenarios that share a source
id see the same draws (common random numbers). Arrays are year-major with the path axis last, so a
longer horizon only appends rows.

Numbers are made from the generator's raw 64-bit words: a uniform is the top 24 bits of a 32-bit
half-word times 2**-24 (NumPy's own float32 uniform), a pair of normals is Box-Muller on the two
halves of one word, in float32 (1.8x cheaper than NumPy's float32 ziggurat here; the radius
uses 23 bits, so |z| < 5.65, which a standard normal exceeds with probability 1.6e-8). Arrays are
handed out as float32; every computation on them is float64. The bit-level float32 view assumes a
little-endian machine, and NumPy's SIMD log/sin/cos may differ in the last bit between CPU
families, like its exp already did: identical results are promised on one machine type.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

PATH_BLOCK = 2048
Kind = Literal["uniform", "normal", "numerator"]
FloatArray = NDArray[np.float64]
DrawArray = NDArray[np.float32]
_U24 = np.float32(2.0**-24)


@functools.lru_cache(maxsize=4096)
def source_key(source_id: str) -> tuple[int, int]:
    """Stable two-word spawn key for a source id (first 8 bytes of its SHA-256)."""
    digest = hashlib.sha256(source_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "little"), int.from_bytes(digest[4:8], "little")


def block_bits(entropy: int, source_id: str, block: int) -> np.random.PCG64:
    """The bit generator for one source and one block of paths."""
    seq = np.random.SeedSequence(entropy=entropy, spawn_key=(*source_key(source_id), block))
    return np.random.PCG64(seq)


@dataclass(frozen=True, slots=True)
class DrawSpec:
    """One array a source draws per block: kind and leading shape (the path axis is appended)."""

    kind: Kind
    shape: tuple[int, ...]


def _uniforms(bits: np.random.BitGenerator, out: DrawArray) -> None:
    """u = (w >> 8) * 2**-24 for consecutive 32-bit half-words w: NumPy's own float32 uniform."""
    rows, g = out.shape
    words = bits.random_raw(rows * g // 2).view(np.uint32).reshape(rows, g)
    np.right_shift(words, 8, out=words)
    np.multiply(words, _U24, out=out, dtype=np.float32, casting="unsafe")


def _numerators(bits: np.random.BitGenerator, out: NDArray[np.uint32]) -> None:
    """m = w >> 8: the uniform of _uniforms is exactly m * 2**-24, without the conversion."""
    rows, g = out.shape
    words = bits.random_raw(rows * g // 2).view(np.uint32).reshape(rows, g)
    np.right_shift(words, 8, out=out)


def _normals(bits: np.random.BitGenerator, out: DrawArray) -> None:
    """Box-Muller, one 64-bit word per pair: cos into the first half of each row, sin into the
    second. Each half-word's top 23 bits make f in [1, 2): r = sqrt(-2 log(2 - f)), theta =
    2 pi f (cosine and sine have period 2 pi)."""
    rows, g = out.shape
    half = g // 2
    raw = bits.random_raw(rows * half)
    raw >>= np.uint64(9)
    raw &= np.uint64(0x007FFFFF007FFFFF)
    raw |= np.uint64(0x3F8000003F800000)
    f = raw.view(np.float32).reshape(rows, half, 2)
    r = np.subtract(np.float32(2.0), f[..., 0])
    np.log(r, out=r)
    r *= np.float32(-2.0)
    np.sqrt(r, out=r)
    theta = np.multiply(f[..., 1], np.float32(2.0 * math.pi))
    cos, sin = out[:, :half], out[:, half:]
    np.cos(theta, out=cos)
    cos *= r
    np.sin(theta, out=sin)
    sin *= r


def draw_range(
    entropy: int,
    source_id: str,
    specs: Sequence[DrawSpec],
    start: int,
    stop: int,
    antithetic: bool = False,
) -> list[NDArray[Any]]:
    """The float32 arrays of one source for paths [start, stop), identical whatever the chunking;
    a "numerator" spec gives uint32 m instead of the uniform m * 2**-24 (same stream).

    Block b fills, for each spec in order, prod(shape) rows of g columns (g = PATH_BLOCK, or half
    of it when antithetic, the other half being the mirror image: 1 - u, or -z).
    """
    first, last = start // PATH_BLOCK, (stop - 1) // PATH_BLOCK
    nb = last - first + 1
    g = PATH_BLOCK // 2 if antithetic else PATH_BLOCK
    flat: list[NDArray[Any]] = [
        np.empty(
            (math.prod(s.shape), nb * PATH_BLOCK),
            dtype=np.uint32 if s.kind == "numerator" else np.float32,
        )
        for s in specs
    ]
    for b in range(nb):
        bits = block_bits(entropy, source_id, first + b)
        at = b * PATH_BLOCK
        for spec, arr in zip(specs, flat, strict=True):
            part = arr[:, at : at + g]
            if spec.kind == "uniform":
                _uniforms(bits, part)
                if antithetic:
                    np.subtract(np.float32(1.0), part, out=arr[:, at + g : at + 2 * g])
            elif spec.kind == "numerator":
                _numerators(bits, part)
                if antithetic:
                    np.subtract(np.uint32(1 << 24), part, out=arr[:, at + g : at + 2 * g])
            else:
                _normals(bits, part)
                if antithetic:
                    np.negative(part, out=arr[:, at + g : at + 2 * g])
    lo = start - first * PATH_BLOCK
    out: list[NDArray[Any]] = []
    for spec, arr in zip(specs, flat, strict=True):
        shaped = arr.reshape(*spec.shape, nb * PATH_BLOCK)
        if lo != 0 or stop - start != nb * PATH_BLOCK:
            shaped = np.ascontiguousarray(shaped[..., lo : lo + (stop - start)])
        out.append(shaped)
    return out
