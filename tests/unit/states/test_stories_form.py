"""Stories' scene editor: the estimate, the checks before sending, adding, moving and removing
scenes (the real StoriesState of one tab, no database)."""

from __future__ import annotations

import pytest

from orangeweb.services import jobs
from orangeweb.services.errors import NotFoundError, ValidationError
from orangeweb.services.jobs import SceneInput
from orangeweb.states.form_inputs import CharacterChip
from orangeweb.states.stories import (
    MAX_SCENES,
    SceneDraft,
    StoriesState,
    _draft,
    _numbered,
    _scene_inputs,
)
from tests.unit.states.builders import Tab

ALEX = CharacterChip("11", "seed-a", "Alex", "adventurer")
BEA = CharacterChip("12", "seed-b", "Bea", "adventurer")


@pytest.fixture
def stories(tab: Tab) -> StoriesState:
    state = tab(StoriesState)
    state.chips = [ALEX, BEA]
    state.scenes = _numbered([_draft("First", "11"), _draft("Second", "12"), _draft("Third", "11")])
    return state


def texts(stories: StoriesState) -> list[tuple[int, str, str]]:
    return [(scene.number, scene.text, scene.character_id) for scene in stories.scenes]


def test_the_estimate_waits_for_some_text(stories: StoriesState) -> None:
    stories.scenes = _numbered([_draft("", "11"), _draft("   ", "12")])
    assert stories.estimate == "Write the scenes to see the estimate."


def test_the_estimate_charges_each_scene_on_its_own(stories: StoriesState) -> None:
    stories._rates = {"11": {"seconds_per_char": 0.1, "takes": 2.0}}
    stories.scenes = _numbered(
        [_draft("a" * 94, "11"), _draft("Hi there", "12"), _draft(" ", "11")]
    )
    # 100 timed characters, 10 s at Alex's learned rate (1 block) + 0.77 s (Bea, typical:
    # 1 block); the blank scene is not counted.
    assert stories.estimate == (
        "≈ 2 credits · about 11 s of speech (from 2 takes of Alex; first take of Bea: a typical "
        "rate; 1 credit per 10 s of each scene)"
    )
    learned = jobs.SpeechRate(0.1, 2)
    assert jobs.estimate_story([("a" * 94, learned), ("Hi there", jobs.TYPICAL)]).credits == 2


def test_the_estimate_of_one_block_is_one_credit(stories: StoriesState) -> None:
    stories.scenes = _numbered([_draft("Hello", "11")])
    assert stories.estimate.startswith("≈ 1 credit · about 1 s of speech (first take of Alex")


def test_the_scenes_sent_are_trimmed_with_their_character_ids() -> None:
    scenes = _numbered([_draft("  Hello  ", "11"), _draft("Bye", "12")])
    assert _scene_inputs(scenes) == [
        SceneInput(text="Hello", character_id=11),
        SceneInput(text="Bye", character_id=12),
    ]


@pytest.mark.parametrize(
    ("scenes", "message"),
    [
        ([], "Add at least one scene."),
        ([_draft("Hello", "11"), _draft("  ", "11")], "Scene 2 has no text."),
        ([_draft("Hello", "")], "Scene 1 has no character."),
    ],
)
def test_scenes_that_cannot_be_sent_say_why(scenes: list[SceneDraft], message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        _scene_inputs(_numbered(scenes))
    assert str(refused.value) == message


def test_a_character_id_that_is_no_id_is_no_such_character() -> None:
    with pytest.raises(NotFoundError, match="No such character"):
        _scene_inputs(_numbered([_draft("Hello", "11; drop table")]))


def test_scenes_are_numbered_in_order() -> None:
    scenes = _numbered([_draft("a"), _draft("b"), _draft("c")])
    assert [scene.number for scene in scenes] == [1, 2, 3]
    assert len({scene.key for scene in scenes}) == 3


def test_editing_a_scene_changes_only_that_one(stories: StoriesState) -> None:
    second = stories.scenes[1].key
    stories.set_scene_text(second, "Changed")
    stories.set_scene_character(second, "11")
    assert texts(stories) == [(1, "First", "11"), (2, "Changed", "11"), (3, "Third", "11")]
    stories.set_scene_text("no-such-key", "Lost")
    assert texts(stories)[1] == (2, "Changed", "11")


def test_a_new_scene_takes_the_last_scenes_character(stories: StoriesState) -> None:
    stories.set_scene_character(stories.scenes[2].key, "12")
    stories.add_scene()
    assert texts(stories)[-1] == (4, "", "12")


def test_the_first_scene_takes_the_first_character(stories: StoriesState) -> None:
    stories.scenes = []
    stories.add_scene()
    assert texts(stories) == [(1, "", "11")]


def test_a_story_has_at_most_fifty_scenes(stories: StoriesState) -> None:
    stories.scenes = _numbered([_draft(f"Scene {n}", "11") for n in range(MAX_SCENES)])
    stories.add_scene()
    assert len(stories.scenes) == MAX_SCENES
    assert stories.form_error == f"A story has at most {MAX_SCENES} scenes."


def test_removing_a_scene_numbers_the_rest_again(stories: StoriesState) -> None:
    stories.remove_scene(stories.scenes[0].key)
    assert texts(stories) == [(1, "Second", "12"), (2, "Third", "11")]


def test_moving_a_scene_swaps_it_with_its_neighbour(stories: StoriesState) -> None:
    stories.move_scene(stories.scenes[0].key, 1)
    assert texts(stories) == [(1, "Second", "12"), (2, "First", "11"), (3, "Third", "11")]
    stories.move_scene(stories.scenes[2].key, -1)
    assert texts(stories) == [(1, "Second", "12"), (2, "Third", "11"), (3, "First", "11")]


def test_a_scene_does_not_move_past_either_end(stories: StoriesState) -> None:
    before = texts(stories)
    stories.move_scene(stories.scenes[0].key, -1)
    stories.move_scene(stories.scenes[2].key, 1)
    stories.move_scene(stories.scenes[0].key, 5)
    stories.move_scene("no-such-key", 1)
    assert texts(stories) == before


def test_clearing_leaves_one_empty_scene(stories: StoriesState) -> None:
    stories.form_error = "Scene 2 has no text."
    stories.clear_scenes()
    assert texts(stories) == [(1, "", "11")]
    assert stories.form_error == ""
    stories.chips = []
    stories.clear_scenes()
    assert texts(stories) == [(1, "", "")]
