"""The app's own settings (the chosen theme), kept as JSON in the user's data folder.

A missing or damaged settings file means the defaults; writing is best effort, never fatal.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from game.engine import paths
from game.engine.files import write_atomic

DEFAULT_THEME = "textual-dark"


@dataclass(frozen=True, slots=True)
class Settings:
    theme: str = DEFAULT_THEME


def _path() -> Path:
    return paths.data_dir() / "settings.json"


def load_settings() -> Settings:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
        theme = data.get("theme") if isinstance(data, dict) else None
        return Settings(theme=theme if isinstance(theme, str) and theme else DEFAULT_THEME)
    except (OSError, ValueError):
        return Settings()


def save_settings(settings: Settings) -> None:
    try:
        write_atomic(_path(), json.dumps(asdict(settings)).encode("utf-8"), durable=False)
    except OSError:
        pass  # best effort: the theme is simply not remembered
