"""Where termpedia keeps its files, all under platformdirs' directories (so XDG_* moves them)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP = "termpedia"


def data_dir() -> Path:
    """User data: `articles/` (the reader's own) and `libraries/NAME/` (imported)."""
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def user_articles_dir() -> Path:
    return data_dir() / "articles"


def libraries_dir() -> Path:
    return data_dir() / "libraries"


def config_dir() -> Path:
    """Settings: `settings.json`, `keymap.json`."""
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def state_dir() -> Path:
    """Reading state: `history.json`, `bookmarks.json`."""
    return Path(platformdirs.user_state_dir(APP, appauthor=False))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP, appauthor=False))


def index_dir() -> Path:
    """The Whoosh index (generations plus a `CURRENT` pointer); rebuilt from the articles."""
    return cache_dir() / "index"
