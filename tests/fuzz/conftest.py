"""The fuzz tests import their mutations module by name, as `bench/fuzz.py` does."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
