"""Character avatars drawn by DiceBear in the browser, a picker for their style, and a chip.

The SVG is generated locally from the seed by `@dicebear/core` and the style objects of
`@dicebear/collection` (see `dicebear_avatar.jsx`), so showing an avatar never calls
api.dicebear.com: no network request, no third party learning our characters' seeds.

Usage::

    avatar(CharacterState.seed, CharacterState.avatar_style, size="64px")
    avatar_style_picker(
        value=CharacterState.avatar_style,
        on_change=CharacterState.set_avatar_style,
        seed=CharacterState.seed,
    )
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventType
from reflex.vars import Var

# The avatar styles the OrangeClone API accepts, in the API's spelling.
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

# Human labels for the picker.
AVATAR_STYLE_LABELS: dict[str, str] = {
    "adventurer": "Adventurer",
    "avataaars": "Avataaars",
    "bottts": "Bottts",
    "lorelei": "Lorelei",
    "notionists": "Notionists",
    "pixel-art": "Pixel art",
    "fun-emoji": "Fun emoji",
    "micah": "Micah",
}

# Kept in step: @dicebear/collection 9.4.3 (its latest) declares a peer of @dicebear/core ^9.
DICEBEAR_VERSION = "9.4.3"


class DicebearAvatar(rx.Component):
    """`<img>` with a DiceBear SVG as a data URI. Prefer the `avatar()` function."""

    library = rx.asset("dicebear_avatar.jsx", shared=True).importable_path
    tag = "DicebearAvatar"
    lib_dependencies: list[str] = [
        f"@dicebear/core@{DICEBEAR_VERSION}",
        f"@dicebear/collection@{DICEBEAR_VERSION}",
    ]

    # Any string; the same seed always draws the same face.
    seed: Var[str]
    # An API style name (see AVATAR_STYLES); unknown names fall back to abstract shapes.
    # Not called `style`: that name is Reflex's CSS prop.
    avatar_style: Var[str]
    # CSS length for both width and height.
    size: Var[str]
    # Alternative text; "" marks the image decorative (when a visible label names it).
    alt: Var[str]


def avatar(
    seed: Var[str] | str,
    style: Var[str] | str,
    size: str = "48px",
    *,
    alt: Var[str] | str | None = None,
    **props: Any,
) -> rx.Component:
    """A round DiceBear avatar, rendered in the browser.

    Args:
        seed: What the face is derived from (e.g. the character's avatar seed or id).
        style: An API style name: adventurer, avataaars, bottts, lorelei, notionists,
            pixel-art, fun-emoji or micah. Anything else shows a neutral abstract avatar.
        size: CSS length of the square, e.g. "48px" or "3rem".
        alt: Alternative text; defaults to "Avatar". Pass "" when a visible label names it.
        **props: Extra style props for the <img> (e.g. border_radius="8px" for a square).

    Returns:
        The avatar component.
    """
    props.setdefault("border_radius", "9999px")
    # A hairline ring keeps pale avatars from melting into a pale page in light mode.
    props.setdefault("box_shadow", "0 0 0 1px var(--gray-a5)")
    return DicebearAvatar.create(
        seed=seed,
        avatar_style=style,
        size=size,
        alt="Avatar" if alt is None else alt,
        **props,
    )


def avatar_style_picker(
    value: Var[str] | str,
    on_change: EventType[str],
    seed: Var[str] | str,
    *,
    styles: tuple[str, ...] = AVATAR_STYLES,
    preview_size: str = "56px",
    disabled: Var[bool] | bool = False,
) -> rx.Component:
    """A grid of avatar styles, each previewed live with `seed`; one can be chosen.

    It is a Radix radio group: Tab moves into the group, arrow keys move between styles,
    Space selects; the selected card is outlined in the accent color. Each option carries
    `data-testid="style-<name>"` for tests.

    Args:
        value: The selected style name (controlled).
        on_change: Called with the chosen style name (str).
        seed: The seed every preview is drawn with (the character's seed).
        styles: Which styles to offer, in order (default: all eight API styles).
        preview_size: CSS size of each preview.
        disabled: Disable the whole group.

    Returns:
        The picker component.
    """
    items = [
        rx.radio_cards.item(
            rx.flex(
                # Decorative: the label under it names the option for screen readers.
                avatar(seed, name, size=preview_size, alt=""),
                rx.text(
                    AVATAR_STYLE_LABELS.get(name, name),
                    size="1",
                    weight="medium",
                    align="center",
                    white_space="nowrap",
                ),
                direction="column",
                align="center",
                spacing="2",
            ),
            value=name,
            custom_attrs={"data-testid": f"style-{name}"},
            padding="10px 6px",
        )
        for name in styles
    ]
    return rx.radio_cards.root(
        *items,
        value=value,
        on_value_change=on_change,
        disabled=disabled,
        # Fills whatever width it is given: 8 in a row on a wide page, 3-4 on a phone.
        columns="repeat(auto-fill, minmax(88px, 1fr))",
        gap="2",
        size="1",
        loop=True,
        aria_label="Avatar style",
        width="100%",
    )


def character_chip(
    chip: Var, selected: Var[bool], on_click: Any, *, test_prefix: str = "chip"
) -> rx.Component:
    """A pressable avatar chip for one character."""
    return rx.button(
        avatar(chip.seed, chip.style, size="22px", alt=""),
        chip.name,
        size="1",
        radius="full",
        variant=rx.cond(selected, "solid", "outline"),
        color_scheme=rx.cond(selected, "orange", "gray"),
        on_click=on_click,
        type="button",
        aria_pressed=rx.cond(selected, "true", "false"),
        data_testid=test_prefix,
        padding_left="2px",
    )
