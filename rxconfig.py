"""Reflex configuration. Every value can be overridden from the environment
(`REFLEX_DB_URL`, `REFLEX_REDIS_URL`, ...); the defaults keep everything under the data
directory (`ORANGEWEB_DATA_DIR`)."""

import os

import reflex as rx

from orangeweb.components.flags import FlagIconsPlugin
from orangeweb.components.theme import app_theme
from orangeweb.settings import get_settings

_settings = get_settings()

config = rx.Config(
    app_name="orangeweb",
    db_url=os.environ.get("REFLEX_DB_URL", _settings.default_db_url),
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # FlagIconsPlugin: SVG language flags from the flag-icons npm package (components/flags.py).
    plugins=[rx.plugins.RadixThemesPlugin(theme=app_theme()), FlagIconsPlugin()],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
