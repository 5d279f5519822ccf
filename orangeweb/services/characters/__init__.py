"""The team's characters: the gallery, changes kept in step with the API, and their homes
(the keys' accounts each one lives on)."""

from orangeweb.services.characters.changes import (
    ClientOpener,
    check_avatar_style,
    clean_character_name,
    create_character,
    import_character,
    replace_voice,
    update_character,
)
from orangeweb.services.characters.gallery import (
    CharacterFamily,
    CharacterView,
    get_character,
    list_character_families,
    list_characters,
)
from orangeweb.services.characters.homes import (
    ALREADY_GONE_NOTE,
    delete_character,
    make_available,
)

__all__ = [
    "ALREADY_GONE_NOTE",
    "CharacterFamily",
    "CharacterView",
    "ClientOpener",
    "check_avatar_style",
    "clean_character_name",
    "create_character",
    "delete_character",
    "get_character",
    "import_character",
    "list_character_families",
    "list_characters",
    "make_available",
    "replace_voice",
    "update_character",
]
