"""Where things live: the user's data and cache folders, and the shipped scenarios.

`LONGARM_DATA_DIR` and `LONGARM_CACHE_DIR` override the platform folders (tests use them to
stay in their own temp folders); otherwise platformdirs picks the usual place for the system.
`LONGARM_SCENARIOS_DIR` replaces the shipped scenarios (a class's own set, or test fixtures).
"""

from __future__ import annotations

import os
from pathlib import Path


APP_NAME = "longarm"
#: Names the results store games are recorded in, when no `--results` is given.
RESULTS_ENV = "LONGARM_RESULTS"
RESULTS_FILE = "results.sqlite"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Saves, autosaves and settings."""
    override = os.environ.get("LONGARM_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs  # only when no override is given: it costs start-up time

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """The scenario load cache: safe to delete at any time."""
    override = os.environ.get("LONGARM_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def shipped_scenarios_dir() -> Path:
    """The stories that come with the game.

    An installed wheel carries them inside the package (`game/_data/scenarios`, beside
    `game/_data/seeds`); a source checkout or editable install reads the top-level `scenarios/`.
    """
    override = os.environ.get("LONGARM_SCENARIOS_DIR")
    if override:
        return Path(override)
    packaged = _PACKAGE_DIR / "_data" / "scenarios"
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent / "scenarios"


def results_path() -> Path:
    """The results store games are recorded in: `LONGARM_RESULTS`, else one in the data folder."""
    override = os.environ.get(RESULTS_ENV)
    return Path(override) if override else data_dir() / RESULTS_FILE
