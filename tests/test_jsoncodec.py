"""The fast JSON codec writes what the standard library writes, and falls back to it."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import jsoncodec


def std(data: object, sort_keys: bool = False) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), check_circular=False,
                      sort_keys=sort_keys)


# What reports hold: text (any character, control characters included), integers,
# numbers with a few decimals, null, lists and objects.
leaves = (st.text() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.none()
          | st.booleans() | st.decimals(min_value=-10**9, max_value=10**9, places=3,
                                        allow_nan=False).map(float))
values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=5)
                      | st.dictionaries(st.text(), inner, max_size=5), max_leaves=30)


@given(values)
def test_dumps_writes_the_standard_librarys_compact_form(data: object) -> None:
    assert jsoncodec.dumps(data) == std(data)
    assert jsoncodec.dumps_bytes(data) == std(data).encode("utf-8", "surrogatepass")
    assert jsoncodec.dumps(data, sort_keys=True) == std(data, sort_keys=True)


@given(values)
def test_loads_reads_back_what_dumps_wrote(data: object) -> None:
    assert jsoncodec.loads(jsoncodec.dumps(data)) == data
    assert jsoncodec.loads(jsoncodec.dumps_bytes(data)) == data


def test_a_lone_surrogate_goes_through_the_standard_library() -> None:
    data = {"text": "坏\udc80字", "n": 1}
    assert jsoncodec.dumps(data) == std(data)
    stored = jsoncodec.dumps_bytes(data)
    assert b"\xed\xb2\x80" in stored  # kept as the cache keeps it
    assert jsoncodec.loads(stored) == data


def test_integers_beyond_64_bits_go_through_the_standard_library() -> None:
    data = [2**70, -(2**65)]
    assert jsoncodec.dumps(data) == std(data)
    assert jsoncodec.loads(jsoncodec.dumps(data)) == data


@pytest.mark.parametrize("text", ["", "{", '{"a":}', "[1,]", "nul"])
def test_loads_raises_value_error_on_what_is_not_json(text: str) -> None:
    with pytest.raises(ValueError):
        jsoncodec.loads(text)
    with pytest.raises(ValueError):
        jsoncodec.loads(text.encode())
