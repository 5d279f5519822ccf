"""Ids from URLs and events: anything but a positive 64-bit integer is "no such thing"."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orangeweb.services.errors import NotFoundError
from orangeweb.services.ids import MAX_ROW_ID, list_index, optional_row_id, row_id


@pytest.mark.parametrize("value", [1, "1", " 42 ", MAX_ROW_ID, str(MAX_ROW_ID)])
def test_row_ids_in_range_are_accepted(value: object) -> None:
    assert row_id(value) == int(str(value).strip())


@pytest.mark.parametrize(
    "value",
    [
        0,
        -1,
        MAX_ROW_ID + 1,
        "9223372036854775808",
        "NaN",
        "1.5",
        "1e3",
        "",
        None,
        True,
        1.0,
        "\uff11",
        "1_000",
        [1],
        {"id": 1},
    ],
)
def test_anything_else_is_not_found(value: object) -> None:
    with pytest.raises(NotFoundError, match="No such job"):
        row_id(value, "job")


@given(st.one_of(st.integers(), st.text(), st.floats(), st.none(), st.booleans()))
def test_row_id_answers_every_value_with_an_id_or_not_found(value: object) -> None:
    try:
        parsed = row_id(value)
    except NotFoundError:
        return
    assert 1 <= parsed <= MAX_ROW_ID


def test_optional_and_index_forms() -> None:
    assert optional_row_id("") is None and optional_row_id(None) is None
    assert optional_row_id("7") == 7
    assert list_index("0") == 0 and list_index(3) == 3
    for bad in ("-1", "1234567", "x", None, True):
        with pytest.raises(NotFoundError):
            list_index(bad, "scene")
