"""The `longarm` command line: argument parsing only; each subcommand calls one function elsewhere.

Heavy imports (Textual, the loader) happen inside the subcommands, so `longarm --help` and
`longarm validate` start quickly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game import __version__

DESCRIPTION = """\
Long Arm: interactive fiction about transnational repression, built from real reports.
Each ending closes with a factual debrief: what really happened, quoted from the sources."""

EPILOG = """\
examples:
  longarm                                   start the game
  longarm list                              the shipped scenarios
  longarm play --plain arrival-hall --role journalist --seed 1
  longarm validate scenarios/               check scenario files for problems"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="longarm", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"longarm {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = commands.add_parser(
        "play", help="play a scenario (the default command)",
        description="Play a scenario. --plain is the line-mode player: plain text, numbered choices, "
                    "one line of input each; it works with screen readers and with piped input.")
    play.add_argument("scenario", nargs="?", help="a shipped scenario id (see `longarm list`) or a path to a .yaml file")
    play.add_argument("--role", help="the role to play, e.g. journalist (asked when omitted)")
    play.add_argument("--seed", type=int, help="the random seed: the same seed and choices replay the same game")
    play.add_argument("--plain", action="store_true",
                      help="the plain line-mode player, instead of the full-screen app")

    validate = commands.add_parser(
        "validate", help="check scenario files and list every problem",
        description="Check scenario files (or every .yaml file below a folder) and print every problem as "
                    "file:line:column. Exit status: 0 no errors (warnings allowed), 1 errors, 2 usage error.")
    validate.add_argument("paths", nargs="+", metavar="PATH", type=Path, help="scenario files or folders")
    validate.add_argument("--no-cache", action="store_true", help="load every file in full, ignoring the load cache")

    commands.add_parser("list", help="list the shipped scenarios",
                        description="List the shipped scenarios with title, roles, minutes and number of scenes.")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        return _dispatch(argv)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`longarm play --plain | head`): stop quietly, as Unix tools do.
        # Point stdout at devnull so the interpreter's final flush cannot fail again.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _dispatch(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in (None, "play"):
        return _play(args)
    if args.command == "validate":
        from game.validate import run_validate

        return run_validate(args.paths, use_cache=not args.no_cache)
    if args.command == "list":
        from game.listing import run_list

        return run_list(sys.stdout)
    parser.error(f"unknown command {args.command}")
    return 2


def _play(args: argparse.Namespace) -> int:
    scenario = getattr(args, "scenario", None)
    role = getattr(args, "role", None)
    seed = getattr(args, "seed", None)
    if getattr(args, "plain", False):
        from game.plain import PlainPlayer

        return PlainPlayer(sys.stdin, sys.stdout, sys.stderr).run(scenario, role, seed)
    from game.tui.app import run_app  # Textual is imported only here, when the app starts

    return run_app(scenario, role, seed)
