"""Long Arm: interactive fiction about transnational repression, with factual debriefs.

Data flows one way: YAML -> `game.engine.loader` -> an immutable `Scenario` (`game.engine.runtime`)
-> a `game.session.PlaySession` -> a front end (`game.tui`, `game.plain`, `game.web`) -> the
results store (`game.classroom`). The engine imports no front end; front ends never import each
other; `game.cli` assembles each front end with its session observers. pyproject.toml's
import-linter contracts check these rules.
"""

__version__ = "0.1.0"
