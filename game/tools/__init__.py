"""Authoring tools behind the `longarm` subcommands: playtest, graph, stats and new.

Each module turns what the engine finds into output for an author or a CI job; none of them
changes a scenario, and none imports the Textual app.
"""
