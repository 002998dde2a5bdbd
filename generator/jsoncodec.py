"""Compact JSON for the cache, the index lines and the report downloads: orjson where it
can, the standard library where it cannot.

At 10,000 reports a build writes and reads about 450 MB of JSON; ``json.dumps`` of one
report's entry takes ~0.3 ms and ``json.loads`` ~0.24 ms, orjson's ~0.03 ms and ~0.12 ms.
Both write the same compact form (no spaces, characters beyond ASCII as UTF-8, the same
escapes for control characters), checked in ``tests/test_jsoncodec.py``; they differ only
in floats with an exponent (``1e-05`` / ``0.00001``), which report figures never are.

orjson refuses what is not valid UTF-8 (a lone surrogate that a badly decoded report can
hold, and the cache keeps) and integers beyond 64 bits: those go to the standard library,
so the same data always takes the same path and gives the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def dumps(data: Any, sort_keys: bool = False) -> str:
    """``data`` as one line of compact JSON, characters beyond ASCII kept; ``sort_keys``:
    the keys of every object in order (the build's own state files, so that the same
    state is the same bytes)."""
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS if sort_keys else None).decode()
    except orjson.JSONEncodeError:
        return _std_dumps(data, sort_keys)


def dumps_bytes(data: Any, sort_keys: bool = False) -> bytes:
    """:func:`dumps` encoded as the cache stores text (UTF-8, lone surrogates kept). Keys
    sorted by either encoder come in the same order: orjson's, by their UTF-8 bytes, is
    the order of their characters, the standard library's (it takes the text orjson
    refuses)."""
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS if sort_keys else None)
    except orjson.JSONEncodeError:
        return _std_dumps(data, sort_keys).encode("utf-8", "surrogatepass")


def loads(data: bytes | str) -> Any:
    """The value of the JSON ``data`` (bytes as the cache stores them); ``ValueError`` if
    it is not JSON."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        text = data.decode("utf-8", "surrogatepass") if isinstance(data, bytes) else data
        return json.loads(text)


def _std_dumps(data: Any, sort_keys: bool = False) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), check_circular=False,
                      sort_keys=sort_keys)
