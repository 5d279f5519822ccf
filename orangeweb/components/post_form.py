"""`post_form`: a form submitted over plain HTTP with fetch, for passwords and API keys."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import passthrough_event_spec

_LIBRARY = "$/public/" + rx.asset("post_form.jsx", shared=True)


class PostForm(rx.Component):
    """Posts its fields to `action`; navigates on `{"redirect"}`, reports `{"error"}` inline."""

    library = _LIBRARY
    tag = "PostForm"

    action: rx.Var[str]
    reset_on_success: rx.Var[bool]

    # Fired with the route's `message` after a successful post that does not navigate.
    on_success: rx.EventHandler[passthrough_event_spec(str)]


def post_form(*children: rx.Component, action: str, **props: Any) -> rx.Component:
    return PostForm.create(*children, action=action, **props)
