"""The web edition: `longarm serve`, a whole class playing in any browser from one asyncio process.

A third front end on the one play loop (`game.session.play.PlaySession`), beside the Textual app
and the plain player. Pages are server-rendered HTML (aiohttp and Jinja2) that work without
JavaScript; the results file is the session store; nothing exists before the class code is right.
`serve` starts it; `app` builds the application; the other modules each do one job.
"""
