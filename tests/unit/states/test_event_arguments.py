"""Every event handler's arguments are checked against its annotations before its body runs:
a call the browser could send with the wrong values gets a specific refusal (a toast), and the
generic `setvar` only reaches our own setters."""

from __future__ import annotations

import importlib
import logging
import math
import pkgutil
from typing import Any, Literal

import pytest
import reflex as rx

import orangeweb.states
from orangeweb.states.base import AppState
from orangeweb.states.dubbing import DubbingState
from orangeweb.states.event_arguments import CHECKED_MARKER, INT64, MAX_TEXT_CHARS, checked
from orangeweb.states.jobs import JobsState
from orangeweb.states.scripts import ScriptsState
from orangeweb.states.stories import StoriesState, _draft, _numbered
from orangeweb.states.voice import VoiceState
from tests.unit.states.builders import Tab, spec_words


def refusal(problem: str) -> dict[str, str]:
    return spec_words(
        rx.toast.error(f"That action was refused: {problem}. Reload the page and try again.")
    )


def bad_value(name: str) -> dict[str, str]:
    return refusal(f"its “{name}” value is not one it can take")


WRONG_COUNT = refusal("it sent the wrong number of values")


class ForeignSetterState(AppState):
    """A state with a `set_` handler that is not orangeweb's (as one Reflex or a component
    library generated would be): `setvar` must not reach it."""

    label: str = ""

    @rx.event
    def set_label(self, value: str) -> None:
        self.label = value


def every_state_class() -> list[type[AppState]]:
    for module in pkgutil.iter_modules(orangeweb.states.__path__):
        importlib.import_module(f"orangeweb.states.{module.name}")
    found: list[type[AppState]] = []
    pending = list(AppState.__subclasses__())
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return [cls for cls in found if not cls._mixin]


def test_every_handler_of_every_page_state_is_checked() -> None:
    states = every_state_class()
    assert {VoiceState, JobsState, DubbingState, ScriptsState, StoriesState} <= set(states)
    for cls in states:
        unchecked = [
            name
            for name, handler in cls.event_handlers.items()
            if not getattr(handler.fn, CHECKED_MARKER, False)
        ]
        assert unchecked == [], cls.__name__


def test_a_wrong_type_is_refused_before_the_handler_runs(tab: Tab) -> None:
    voice = tab(VoiceState)
    voice.single_text = "Kept"
    assert spec_words(voice.set_single_text(42)) == bad_value("value")
    assert spec_words(voice.set_single_text(None)) == bad_value("value")
    assert spec_words(voice.set_single_text(["Hello"])) == bad_value("value")
    assert voice.single_text == "Kept"


def test_the_refusal_is_logged_in_one_line(tab: Tab, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="orangeweb.states.event_arguments"):
        tab(VoiceState).map_speaker("one", "11")
    assert [record.getMessage() for record in caplog.records] == [
        "Refused VoiceState.map_speaker: its “number” value is not one it can take"
    ]
    assert caplog.records[0].exc_info is None


def test_a_right_call_runs(tab: Tab) -> None:
    voice = tab(VoiceState)
    assert voice.map_speaker(2, "12") is None
    assert voice.speaker_map == {"2": "12"}


def test_a_bool_is_not_a_number(tab: Tab) -> None:
    stories = tab(StoriesState)
    stories.scenes = _numbered([_draft("a", "11"), _draft("b", "11")])
    before = list(stories.scenes)
    assert spec_words(stories.move_scene(before[0].key, True)) == bad_value("step")
    assert stories.scenes == before


def test_a_number_out_of_a_database_integers_range_is_refused(tab: Tab) -> None:
    stories = tab(StoriesState)
    stories.scenes = _numbered([_draft("a", "11"), _draft("b", "11")])
    key = stories.scenes[0].key
    assert spec_words(stories.move_scene(key, INT64)) == bad_value("step")
    assert spec_words(stories.move_scene(key, -INT64 - 1)) == bad_value("step")
    assert stories.move_scene(key, INT64 - 1) is None  # in range: the body runs (and ignores it)


def test_a_number_that_is_not_finite_or_too_large_is_refused(tab: Tab) -> None:
    dubbing = tab(DubbingState)
    for value in (math.nan, math.inf, -math.inf, 1e15, "12.5", False):
        assert spec_words(dubbing.prepare_add(value)) == bad_value("playhead"), value
        assert dubbing.add_start == ""
    assert dubbing.prepare_add(12) is None  # an int is a float too
    assert (dubbing.add_start, dubbing.add_end) == ("12.00", "14.00")


def test_text_longer_than_any_form_takes_is_refused(tab: Tab) -> None:
    voice = tab(VoiceState)
    assert voice.set_dialogue_text("x" * MAX_TEXT_CHARS) is None
    assert spec_words(voice.set_dialogue_text("x" * (MAX_TEXT_CHARS + 1))) == bad_value("value")
    assert len(voice.dialogue_text) == MAX_TEXT_CHARS


def test_the_wrong_number_of_values_is_refused(tab: Tab) -> None:
    stories = tab(StoriesState)
    assert spec_words(stories.clear_scenes("extra")) == WRONG_COUNT
    assert spec_words(stories.set_scene_text("only-the-key")) == WRONG_COUNT
    assert stories.scenes == []


def test_list_items_are_checked_too(tab: Tab) -> None:
    scripts = tab(ScriptsState)
    assert spec_words(scripts.set_mode(["single", 3])) == bad_value("value")
    assert spec_words(scripts.set_mode({"mode": "single"})) == bad_value("value")
    assert scripts.mode == "dialogue"
    scripts.set_mode(["single"])
    assert scripts.mode == "single"


async def test_an_async_handler_is_refused_before_it_touches_the_database(tab: Tab) -> None:
    jobs = tab(JobsState)
    jobs.page = 1
    for page in ("2", None, 2.0, 2**80):
        assert spec_words(await jobs.go_to_page(page)) == bad_value("page"), page
    assert jobs.page == 1


async def test_a_streaming_handler_yields_only_the_refusal(tab: Tab) -> None:
    voice = tab(VoiceState)
    voice.set_single_text("Hello")
    voice.set_single_character("11")
    events = [event async for event in voice.submit(7)]
    assert [spec_words(event) for event in events] == [bad_value("submission_key")]
    assert voice.submitting is False


async def test_setvar_reaches_our_own_setters(tab: Tab) -> None:
    voice = tab(VoiceState)
    assert await voice.setvar("single_text", "Hello") is None
    assert voice.single_text == "Hello"
    await voice.setvar("mode", "dialogue")
    assert voice.mode == "dialogue"


async def test_setvar_of_a_var_without_our_setter_is_refused(tab: Tab) -> None:
    voice = tab(VoiceState)
    for name in ("loaded", "submitting", "takes", "_handoff", "user_role", "router"):
        answer = await voice.setvar(name, True)
        assert spec_words(answer) == refusal(f"there is no “{name}” to set"), name
    assert (voice.loaded, voice.submitting, voice.takes, voice._handoff) == (False, False, [], {})


async def test_setvar_does_not_reach_a_setter_that_is_not_ours(tab: Tab) -> None:
    foreign = tab(ForeignSetterState)
    answer = await foreign.setvar("label", "Hello")
    assert spec_words(answer) == refusal("there is no “label” to set")
    assert foreign.label == ""
    foreign.set_label("Direct")  # the handler itself works
    assert foreign.label == "Direct"


async def test_setvar_checks_the_value_with_the_setters_own_annotation(tab: Tab) -> None:
    voice = tab(VoiceState)
    assert spec_words(await voice.setvar("single_text", 5)) == bad_value("value")
    assert spec_words(await voice.setvar(5, "Hello")) == bad_value("var_name")
    assert spec_words(await voice.setvar("single_text")) == WRONG_COUNT
    assert voice.single_text == ""


async def test_every_page_state_has_the_limited_setvar(tab: Tab) -> None:
    for cls in every_state_class():
        handler = cls.event_handlers["setvar"]
        assert getattr(handler.fn, CHECKED_MARKER, False), cls.__name__
        assert handler.fn.__module__ == "orangeweb.states.base", cls.__name__


# --- the checks themselves, on a handler of each shape ---


def sample(
    state: object,
    mode: Literal["single", "dialogue"],
    character_id: int | None,
    weights: dict[str, float],
    ids: list[int],
    anything: Any = None,
) -> str:
    return "ran"


def test_literal_optional_dict_and_list_annotations() -> None:
    handler = checked(sample)
    assert handler(None, "single", None, {"a": 1.5}, [1, 2]) == "ran"
    assert handler(None, "dialogue", 3, {}, [], anything=object()) == "ran"
    for args, name in [
        (("karaoke", None, {}, []), "mode"),
        (("single", "3", {}, []), "character_id"),
        (("single", None, {"a": "heavy"}, []), "weights"),
        (("single", None, {1: 1.0}, []), "weights"),
        (("single", None, {}, [1, "2"]), "ids"),
        (("single", None, {}, [1] * 10_001), "ids"),
    ]:
        assert spec_words(handler(None, *args)) == bad_value(name), args


def test_checking_twice_wraps_once() -> None:
    once = checked(sample)
    assert checked(once) is once
    assert getattr(once, CHECKED_MARKER) is True
    assert once.__name__ == "sample"


async def test_each_kind_of_callable_stays_that_kind() -> None:
    def plain(state: object, n: int) -> int:
        return n

    async def coroutine(state: object, n: int) -> int:
        return n

    def generator(state: object, n: int) -> Any:
        yield n

    async def stream(state: object, n: int) -> Any:
        yield n

    assert checked(plain)(None, 1) == 1
    assert await checked(coroutine)(None, 2) == 2
    assert list(checked(generator)(None, 3)) == [3]
    assert [n async for n in checked(stream)(None, 4)] == [4]
    assert spec_words(checked(plain)(None, "1")) == bad_value("n")
    assert spec_words(await checked(coroutine)(None, "2")) == bad_value("n")
    assert [spec_words(e) for e in checked(generator)(None, "3")] == [bad_value("n")]
    assert [spec_words(e) async for e in checked(stream)(None, "4")] == [bad_value("n")]
