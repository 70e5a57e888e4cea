"""The app's own settings (the chosen theme), kept as JSON in the user's data folder.

A missing or damaged settings file means the defaults; writing is best effort, never fatal.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass

from game.engine import paths

DEFAULT_THEME = "textual-dark"


@dataclass(frozen=True, slots=True)
class Settings:
    theme: str = DEFAULT_THEME


def _path():  # type: ignore[no-untyped-def]
    return paths.data_dir() / "settings.json"


def load_settings() -> Settings:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
        theme = data.get("theme") if isinstance(data, dict) else None
        return Settings(theme=theme if isinstance(theme, str) and theme else DEFAULT_THEME)
    except (OSError, ValueError):
        return Settings()


def save_settings(settings: Settings) -> None:
    target = _path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent, delete=False,
                                         suffix=".tmp") as handle:
            json.dump(asdict(settings), handle)
        os.replace(handle.name, target)
    except OSError:
        pass
