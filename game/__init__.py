"""Long Arm: interactive fiction about transnational repression, with factual debriefs.

The package is split into a pure engine core (`game.engine`, which never imports Textual)
and the front ends built on it (`game.plain`, and later the Textual app and the browser
server), tied together by the command line in `game.cli`.
"""

__version__ = "0.1.0"
