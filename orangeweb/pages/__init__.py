"""The dashboard's pages, one module (or package) each, declared with `private_page` or
`public_page` (pages/registry.py).

Importing this package imports every page module, so every declaration has run before
orangeweb.py adds `declared_pages()` and before any page renders the navigation built from them.
A new page is one module here plus its line below.
"""

from orangeweb.pages import (
    auth,
    characters,
    dubbing,
    home,
    jobs,
    scripts,
    settings,
    spending,
    stories,
    team,
    voice,
)
from orangeweb.pages.registry import DeclaredPage, declared_pages

__all__ = [
    "DeclaredPage",
    "auth",
    "characters",
    "declared_pages",
    "dubbing",
    "home",
    "jobs",
    "scripts",
    "settings",
    "spending",
    "stories",
    "team",
    "voice",
]
