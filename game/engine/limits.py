"""Every limit the engine enforces, in one module with no imports.

A limit here is explicit and reported: whatever hits one says so as a located diagnostic or a
line in a report, never as an exception. `longarm --help` imports this module cheaply to show
the search caps.
"""

#: Scenario files larger than this are refused before they are read.
MAX_FILE_BYTES = 16 * 1024 * 1024

#: `longarm playtest --max-states`: each role's exhaustive search stops after this many states.
#: Memory grows by roughly 200 bytes a state, so the default needs about 400 MB at most.
DEFAULT_MAX_STATES = 2_000_000

#: `longarm playtest --max-steps`: a random game still going after this many choices is stopped
#: and reported (a loop: perhaps a trap), so every game ends.
DEFAULT_MAX_STEPS = 500
