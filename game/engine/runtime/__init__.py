"""The rules of play: the scenario model, the condition language, game state, saves and debriefs.

Everything a front end needs to play a loaded scenario, and nothing that reads YAML or searches:
it imports only from itself and `game.engine.paths`.
"""
