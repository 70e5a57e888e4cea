"""The Textual front end: the game as players see it in a terminal (and, served, in a browser).

It asks the engine for everything it shows (choices, locks, debriefs) and never duplicates rules.
Only this package imports Textual; the command line imports it when the app starts.
"""
