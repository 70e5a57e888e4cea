"""Every limit the engine enforces, in one module with no imports.

A limit here is explicit and reported: whatever hits one says so as a located diagnostic or a
line in a report, never as an exception. Each is far above what a real story needs and far below
what would make the loader or the playtests run out of time or memory. `longarm --help` imports
this module cheaply to show the search caps, and docs/authoring.md lists them all.
"""

# ---------------------------------------------------------------------------- the file

#: Scenario files larger than this are refused before they are read (D.FILE_TOO_LARGE), and so
#: are the source files they quote (D.SOURCE_UNREADABLE).
MAX_FILE_BYTES = 16 * 1024 * 1024

#: How deep mappings and lists may nest (D.YAML_TOO_DEEP). A scenario needs 9 levels at most:
#: scenes > a scene > choices > a choice > outcomes > an outcome > do > an effect.
MAX_YAML_DEPTH = 32

#: How many problems one file reports (`D.TOO_MANY_PROBLEMS` counts the rest). A file with more is
#: rarely fixed one message at a time, and each "did you mean" costs time.
MAX_PROBLEMS = 500

# ---------------------------------------------------------------------------- conditions and effects

#: The longest `if:` condition or `do:` effect, in characters (D.EXPRESSION_TOO_LONG).
MAX_EXPRESSION_CHARS = 2_000

#: How deep parentheses and `not` may nest in one condition (D.EXPRESSION_TOO_DEEP).
MAX_EXPRESSION_DEPTH = 20

#: The largest whole number a scenario may write, positive or negative (D.NUMBER_TOO_LARGE): in conditions,
#: effects, stat ranges, starts, weights and minutes.
MAX_NUMBER = 1_000_000_000

#: Sums, products and negations in `do` effects, weights and conditions are kept within plus or
#: minus this while they are worked out (an effect then clamps the result to its stat's range), so
#: multiplying large stats cannot build numbers of thousands of digits.
MAX_ARITHMETIC = 10**18

# ---------------------------------------------------------------------------- text

#: How deep `{if ...}` may nest inside the text of one `{if ...}` branch (D.TEXT_TOO_DEEP).
MAX_TEXT_DEPTH = 8

# ---------------------------------------------------------------------------- shared files

#: How many shared files one scenario may include (D.TOO_MANY_INCLUDES).
MAX_INCLUDES = 20

# ---------------------------------------------------------------------------- the story

#: The most choices one scene may have (D.TOO_MANY_CHOICES).
MAX_CHOICES_PER_SCENE = 100

#: The most outcomes one random choice may have (D.TOO_MANY_OUTCOMES).
MAX_OUTCOMES_PER_CHOICE = 100

# ---------------------------------------------------------------------------- the playtests

#: `longarm playtest --max-states`: each role's exhaustive search stops after this many states.
#: Memory grows by roughly 200 bytes a state, so the default needs about 400 MB at most.
DEFAULT_MAX_STATES = 2_000_000

#: The exhaustive search also stops when it has stored this many moves (state to state) per
#: state allowed by `--max-states`: a story whose scenes have many choices cannot fill memory
#: with moves while the states stay under their cap.
MOVES_PER_STATE = 16

#: `longarm playtest --max-steps`: a random game still going after this many choices is stopped
#: and reported (a loop: perhaps a trap), so every game ends.
DEFAULT_MAX_STEPS = 500

#: How many seeds the playtest tries to find one whose random draws follow a path, before it
#: says it found none.
SEED_SEARCH_LIMIT = 100_000
