"""The playtests' default caps, in a module with no imports so `longarm --help` can show them cheaply."""

#: `longarm playtest --max-states`: each role's exhaustive search stops after this many states.
#: Memory grows by roughly 200 bytes a state, so the default needs about 400 MB at most.
DEFAULT_MAX_STATES = 2_000_000

#: `longarm playtest --max-steps`: a random game still going after this many choices is stopped
#: and reported (a loop: perhaps a trap), so every game ends.
DEFAULT_MAX_STEPS = 500
