"""Searching a scenario's games: the exhaustive proof, random playtests, traps and their routes.

Built on a compiled form of the scenario (`analysis`: a state packed into one integer), checked
against `runtime.state` by tests. Used by the authoring tools, never by a front end.
"""
