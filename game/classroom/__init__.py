"""The classroom: serving the game to browsers, recording students' games, reports and guides.

`serve` is a front end (textual-serve over the Textual app); the results store, the report and
the teacher's guide are built on the engine and import nothing from Textual.
"""
