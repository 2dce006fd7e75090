"""The hash behind the cache's keys, checksums and file digests: BLAKE2b, 256 bits.

``hashlib`` loads OpenSSL (``_hashlib``) on import, which alone costs a warm run about 2 ms;
``hashlib.blake2b`` is CPython's own ``_blake2`` module, imported here directly. Nothing here is
a security boundary: a digest only tells whether bytes changed.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # another Python implementation: the same function through hashlib
    from hashlib import blake2b


def new_hash(data: bytes = b"") -> blake2b:
    return blake2b(data, digest_size=32)


def hex_hash(data: bytes) -> str:
    return new_hash(data).hexdigest()
