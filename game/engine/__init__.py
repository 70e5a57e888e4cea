"""The pure engine core: scenario model, loader, condition language, game state, debriefs.

Nothing in this package imports Textual or any front end (a test keeps it so), which keeps
`longarm validate` and the plain player quick to start and lets every front end share one
set of rules.
"""
