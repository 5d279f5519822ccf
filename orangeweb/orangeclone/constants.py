"""Fixed vocabularies of the OrangeClone API (docs + CONTRACT.md), in one place.

Where the docs give a closed list (languages, script modes, templates, lengths, tiers) the client
checks what it sends against it. Avatar styles and tones are open-ended in the docs ("e.g.",
"etc."), so those lists are what the dashboard offers, not a gate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DEFAULT_BASE_URL = "https://orangeclone.web.app/api"

# DiceBear style names: the docs' three examples plus the CONTRACT's assumed ones.
AVATAR_STYLES: tuple[str, ...] = (
    "adventurer",
    "avataaars",
    "bottts",
    "lorelei",
    "notionists",
    "pixel-art",
    "fun-emoji",
    "micah",
)

CHARACTER_NAME_MIN = 2
CHARACTER_NAME_MAX = 50


@dataclass(frozen=True, slots=True)
class Language:
    """A dubbing language as the docs list it."""

    code: str
    name: str
    flag: str


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", "🇺🇸"),
    Language("es", "Spanish", "🇪🇸"),
    Language("fr", "French", "🇫🇷"),
    Language("de", "German", "🇩🇪"),
    Language("it", "Italian", "🇮🇹"),
    Language("pt", "Portuguese", "🇵🇹"),
    Language("ru", "Russian", "🇷🇺"),
    Language("ja", "Japanese", "🇯🇵"),
    Language("ko", "Korean", "🇰🇷"),
    Language("zh", "Chinese", "🇨🇳"),
    Language("ar", "Arabic", "🇸🇦"),
    Language("hi", "Hindi", "🇮🇳"),
    Language("nl", "Dutch", "🇳🇱"),
    Language("pl", "Polish", "🇵🇱"),
    Language("tr", "Turkish", "🇹🇷"),
)
LANGUAGES_BY_CODE: dict[str, Language] = {language.code: language for language in LANGUAGES}

ScriptMode = Literal["single", "dialogue"]
SCRIPT_MODES: tuple[str, ...] = ("single", "dialogue")
SCRIPT_TEMPLATES: tuple[str, ...] = (
    "youtube_ad",
    "podcast_intro",
    "tutorial",
    "storytelling",
    "sales_pitch",
    "interview",
    "comedy",
    "motivational",
)
# The docs end this list with "etc.": the server may accept others, so it is not enforced.
SCRIPT_TONES: tuple[str, ...] = ("Professional", "Casual", "Humorous", "Dramatic")
SCRIPT_LENGTHS: tuple[str, ...] = ("Short (<30s)", "Medium (1-2m)", "Long (3m+)")
SCRIPT_CONTEXT_MAX = 2000

MediaType = Literal["video", "audio"]
MEDIA_TYPES: tuple[str, ...] = ("video", "audio")

TierName = Literal["free", "pro", "enterprise"]


@dataclass(frozen=True, slots=True)
class TierLimits:
    """A pricing tier's documented limits; `None` means unlimited."""

    name: TierName
    requests_per_minute: int | None
    max_media_seconds: int | None


TIERS: dict[str, TierLimits] = {
    "free": TierLimits("free", requests_per_minute=10, max_media_seconds=2 * 60),
    "pro": TierLimits("pro", requests_per_minute=30, max_media_seconds=30 * 60),
    "enterprise": TierLimits("enterprise", requests_per_minute=None, max_media_seconds=None),
}
