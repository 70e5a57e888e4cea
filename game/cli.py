"""The `longarm` command line: argument parsing only; each subcommand calls one function elsewhere.

Heavy imports (Textual, the loader) happen inside the subcommands, so `longarm --help` and
`longarm validate` start quickly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from game import __version__

if TYPE_CHECKING:
    from game.engine.runtime.model import Scenario
    from game.session.events import Notice, SessionEvent, SessionObserver

DESCRIPTION = """\
Long Arm: interactive fiction about transnational repression, built from real reports.
Each ending closes with a factual debrief: what really happened, quoted from the sources."""

EPILOG = """\
examples:
  longarm                                   start the game
  longarm list                              the shipped scenarios
  longarm play --plain arrival-hall --role journalist --seed 1
  longarm validate scenarios/               check scenario files for problems
  longarm playtest arrival-hall             prove every ending reachable and find traps
  longarm graph arrival-hall --format dot   the story map
  longarm stats arrival-hall                scenes, words, reading time, sources
  longarm new night-bus                     start a new scenario from a small valid one
  longarm guide arrival-hall --format html  the teacher's guide for a lesson
  longarm serve --host 0.0.0.0 --public-url http://TEACHER-IP:8000 --class HISTORY-9B
                                            the game in students' browsers, for a class
  longarm report results.sqlite             the class's results, after the lesson"""


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
    play.add_argument("--seed", type=_seed, metavar="N",
                      help=f"the random seed, a whole number from 0 to {SEED_MAX:,}: the same seed and choices "
                           "replay the same game (a new one at random when omitted)")
    play.add_argument("--plain", action="store_true",
                      help="the plain line-mode player, instead of the full-screen app")
    play.add_argument("--results", metavar="STORE",
                      help="the results store games are recorded in for `longarm report`: a file, or a "
                           "postgresql:// database (default: results.sqlite in the data folder)")
    play.add_argument("--name", help="your name in the teacher's report (default: an anonymous id)")
    play.add_argument("--class", dest="class_code", metavar="CODE", help="the class code the game is recorded under")
    play.add_argument("--check", action="store_true",
                      help="ask the scenario's knowledge check before the first scene and again after the debrief, "
                           "then show what changed (off unless given)")
    play.add_argument("--watch", type=Path, metavar="FILE",
                      help="live preview for authors: play FILE in the app, reload it whenever it is saved, "
                           "replay your choices so far, and show the validator's messages while it is broken")
    play.add_argument("--record", type=Path, metavar="FILE",
                      help="with --plain: record the game (its choices and text) to FILE, a golden "
                           "transcript that `longarm playtest SCENARIO --replay FILE` checks")

    validate = commands.add_parser(
        "validate", help="check scenario files and list every problem",
        description="Check scenario files (or every .yaml file below a folder) and print every problem as "
                    "file:line:column. Exit status: 0 no errors (warnings allowed), 1 errors, 2 usage error.")
    validate.add_argument("paths", nargs="+", metavar="PATH", type=Path, help="scenario files or folders")
    validate.add_argument("--no-cache", action="store_true", help="load every file in full, ignoring the load cache")
    validate.add_argument("--json", action="store_true",
                          help="print the problems as JSON: code, severity, file, line, column, end_line, "
                               "end_column, message and hint of each")


    migrate = commands.add_parser(
        "migrate", help="rewrite a format-1 scenario as format 2",
        description="Rewrite a format-1 scenario file as format 2, in place (or to --out FILE). Only the "
                    "format line changes; the story is proved the same before anything is written.")
    migrate.add_argument("path", type=Path, metavar="FILE", help="the scenario file")
    migrate.add_argument("--out", type=Path, metavar="FILE", help="write the format-2 file here instead")

    commands.add_parser("list", help="list the shipped scenarios",
                        description="List the shipped scenarios with title, roles, minutes and number of scenes.")
    _add_tool_commands(commands)

    lsp = commands.add_parser(
        "lsp", help="the language server for editors (diagnostics, completion, go to definition, rename)",
        description="Run the language server for scenario files over standard input and output, for an "
                    "editor to start: the validator's problems as you type, completion of ids and keys, go to "
                    "definition, hover on facts, rename of scene ids. See docs/authoring.md, \"Editor support\". "
                    "It needs the optional pygls package: in a clone, pip install -e '.[lsp]'.")
    lsp.add_argument("--stdio", action="store_true",
                     help="accepted for editors that pass it; standard input and output are the only transport")

    guide = commands.add_parser(
        "guide", help="write the teacher's guide to a scenario",
        description="Write the teacher's guide to a scenario: learning objectives, content warnings, a "
                    "spoiler-free synopsis, a 45-minute lesson plan, the story map, every ending with its "
                    "debrief, the discussion questions, every fact with its source, and the glossary. "
                    "Markdown goes to standard output unless --out is given; --format html writes one "
                    "self-contained, printable page (no scripts, nothing loaded from the internet) to --out "
                    "FILE, or to guide-ID.html in the current folder.")
    guide.add_argument("scenario", help="a shipped scenario id or a path to a .yaml file")
    guide.add_argument("--format", choices=("md", "html"), default="md",
                       help="md (Markdown, the default) or html (one self-contained page)")
    guide.add_argument("--out", type=Path, metavar="FILE",
                       help="write to FILE (md: default standard output; html: default guide-ID.html)")

    serve = commands.add_parser(
        "serve", help="the web edition: a class plays in any browser, from this computer",
        description="Serve the web edition for a class: students open the address in any browser (phone, "
                    "Chromebook, screen reader; nothing to install, nothing loaded from the internet), type the "
                    "class code and a name or nothing, and play. The teacher's page (/teacher, behind its own "
                    "code) shows the class live and the report. Every choice and answer is written to the "
                    "results file as it is made; stop the server and start it again on the same file, and "
                    "every student carries on. Codes not given are made and printed. Exit status: 0 stopped, "
                    "1 stopped with writes still unsaved, 2 could not start.")
    serve.add_argument("scenario", nargs="?", metavar="SCENARIO",
                       help="the story every student plays (an id or a .yaml path; default: students pick)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (default 127.0.0.1: this computer only; 0.0.0.0: every "
                            "network, which needs --public-url)")
    serve.add_argument("--port", type=int, default=8000, help="the port (default 8000)")
    serve.add_argument("--public-url", metavar="URL",
                       help="the address students type, e.g. http://192.168.1.20:8000 (default http://HOST:PORT)")
    serve.add_argument("--class", dest="class_code", metavar="CODE",
                       help="the class code students type: 6 to 32 letters, digits or hyphens, any case "
                            "(default: a random one, printed)")
    serve.add_argument("--teacher-code", metavar="CODE",
                       help="the code for the teacher's page (default: a random one, printed)")
    serve.add_argument("--base-path", default="", metavar="PATH",
                       help="serve every page under this path, behind a proxy that forwards it, e.g. /longarm "
                            "(links, forms, redirects, static files and cookies all carry it)")
    serve.add_argument("--trust-proxy", metavar="ADDR[,ADDR]",
                       help="believe X-Forwarded-For, -Proto and -Host only from these proxies (addresses or "
                            "networks, e.g. 127.0.0.1): the limit on wrong codes then counts the client's own "
                            "address, and forms from the public address the proxy serves are accepted")
    serve.add_argument("--check", choices=("on", "off"), default="off",
                       help="on: every student answers the story's knowledge check before the first scene and "
                            "again after the debrief, and the report shows what the class learned (default off)")
    serve.add_argument("--results", metavar="STORE",
                       help="the results store: a file (default: results.sqlite in the data folder; one per class "
                            "is easiest to find afterwards), or a postgresql://USER@HOST/DATABASE address that "
                            "several nodes share (docs/deploy.md)")

    report = commands.add_parser(
        "report", help="the class's results at a glance, for the teacher (HTML, Markdown or CSV)",
        description="Report on the games recorded in a results store (the file `longarm serve --results` and "
                    "`longarm play --results` write): who played and finished, the endings reached by tone, the "
                    "share of students who took each choice in each scene, the facts found and missed, the time "
                    "taken, the written answers and, when students took the knowledge check, what the class learned "
                    "(per item, and the mean normalized gain with its 95% interval). HTML is one self-contained, printable page with charts "
                    "(no scripts, nothing loaded from the internet); Markdown is for pasting; CSV has one row "
                    "per game, for spreadsheets. Exit status: 0 written, 2 the file cannot be read or the report "
                    "cannot be written.")
    report.add_argument("results", metavar="RESULTS",
                        help="the results store: a file, e.g. results.sqlite, or a postgresql:// database")
    report.add_argument("--format", choices=("html", "md", "csv"), default="html",
                        help="html (the default), md (Markdown) or csv (one row per game)")
    report.add_argument("--out", type=Path, metavar="FILE",
                        help="write to FILE, or - for standard output (default: report.html in the current "
                             "folder for html; standard output for md and csv)")
    report.add_argument("--class", dest="class_code", metavar="CODE", help="only the games of this class code "
                                                                           "(any case)")
    report.add_argument("--scenario", metavar="ID", help="only the games of this scenario, e.g. arrival-hall")
    report.add_argument("--table", choices=("games", "check"), default="games",
                        help="with --format csv: a row per game (the default) or per item of the knowledge check")
    return parser


#: The largest seed: the engine's own seeds are below 2**31, and every store keeps 32 bits.
SEED_MAX = 2**31 - 1


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 0 <= value <= SEED_MAX:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and {SEED_MAX:,}")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not 1 or more")
    return value


def _add_tool_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The authoring tools: playtest, graph, stats and new (see docs/authoring.md)."""
    from game.engine.limits import DEFAULT_MAX_STATES, DEFAULT_MAX_STEPS

    scenario_help = "a shipped scenario id or a path to a .yaml file"
    playtest = commands.add_parser(
        "playtest", help="search every reachable state, or play many random games",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Playtest a scenario.\n\n"
                    "--exhaustive (the default) searches every reachable game state of each role: it proves each\n"
                    "ending reachable with a shortest path, finds traps (states from which no ending can be\n"
                    "reached), choices that are never open and scenes never reached.\n"
                    "--random N plays N seeded games (least-taken choice first, or --uniform) and reports the\n"
                    "scenes and choices hit, the endings and the stat ranges seen.\n\n"
                    "Exit status: 0 no problem found, 1 an ending is unreachable or a trap exists (random: a\n"
                    "game got stuck), 2 usage or load error, or the search hit --max-states (nothing proved).")
    playtest.add_argument("scenario", help=scenario_help)
    mode = playtest.add_mutually_exclusive_group()
    mode.add_argument("--exhaustive", action="store_true", help="search every reachable state (the default)")
    mode.add_argument("--random", type=_positive, metavar="N", help="play N seeded random games instead")
    playtest.add_argument("--seed", type=int, default=1, metavar="S",
                          help="the run's seed for --random; each game's seed derives from it (default 1)")
    playtest.add_argument("--uniform", action="store_true",
                          help="--random picks uniformly among open choices, not the least-taken first")
    playtest.add_argument("--max-states", type=_positive, default=DEFAULT_MAX_STATES, metavar="N",
                          help=f"stop a role's search after N states (default {DEFAULT_MAX_STATES:,})")
    playtest.add_argument("--max-steps", type=_positive, default=DEFAULT_MAX_STEPS, metavar="N",
                          help=f"stop a random game after N choices (default {DEFAULT_MAX_STEPS:,})")
    playtest.add_argument("--role", action="append", metavar="ROLE", help="only this role (may be repeated)")
    playtest.add_argument("--list-games", action="store_true", help="--random lists every game, not a sample")
    playtest.add_argument("--json", action="store_true", help="print the report as JSON")
    playtest.add_argument("--replay", type=Path, metavar="FILE",
                          help="replay a recording made with `longarm play --plain --record FILE` and show "
                               "a diff where the text has changed (exit 1)")
    playtest.add_argument("--junit", type=Path, metavar="FILE", help="also write the findings as JUnit XML")

    graph = commands.add_parser(
        "graph", help="draw the story map (Mermaid, DOT or SVG)",
        description="Write the story map: scenes, endings shaped and coloured by tone, each choice an edge "
                    "(dashed when it has a condition, marked with its chance when random), unreachable "
                    "scenes greyed. --format svg needs Graphviz's `dot` on PATH.")
    graph.add_argument("scenario", help=scenario_help)
    graph.add_argument("--format", choices=("mermaid", "dot", "svg"), default="mermaid",
                       help="mermaid (the default), dot, or svg drawn by Graphviz")
    graph.add_argument("--out", type=Path, metavar="FILE", help="write to FILE instead of standard output")

    stats = commands.add_parser(
        "stats", help="count scenes, choices, endings, words and sources",
        description="Count a scenario's scenes, choices and endings, its words (each scene's text and in "
                    "total), its reading time at 200 words per minute, and its facts and sources.")
    stats.add_argument("scenario", help=scenario_help)
    stats.add_argument("--json", action="store_true", help="print the figures as JSON")

    new = commands.add_parser(
        "new", help="start a new scenario from a small valid one",
        description="Write a small valid scenario (with the schema modeline) to scenarios/ID.yaml, or to "
                    "--out FILE. An existing file is never overwritten: exit 1.")
    new.add_argument("id", help="the new scenario's id, e.g. night-bus")
    new.add_argument("--out", type=Path, metavar="FILE", help="where to write it (default scenarios/ID.yaml)")


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

        return run_validate(args.paths, use_cache=not args.no_cache, as_json=args.json)
    if args.command == "guide":
        from game.classroom.guide import run_guide

        return run_guide(args.scenario, args.format, args.out, sys.stdout, sys.stderr)
    if args.command == "report":
        from game.classroom.report import run_report

        return run_report(args.results, args.format, args.out, args.class_code, args.scenario, sys.stdout, sys.stderr,
                          table=args.table)
    if args.command == "migrate":
        from game.tools.migrate import run_migrate

        return run_migrate(args.path, args.out, sys.stdout, sys.stderr)
    if args.command == "list":
        from game.listing import run_list

        return run_list(sys.stdout)
    if args.command in ("playtest", "graph", "stats", "new"):
        return _run_tool(args)
    if args.command == "serve":
        from game.classroom.store import default_path
        from game.web.serve import run_serve  # aiohttp is imported only when serving

        return run_serve(args.scenario, args.host, args.port, args.public_url, args.class_code, args.teacher_code,
                         args.results or default_path(), sys.stdout, sys.stderr, base_path=args.base_path,
                         trust_proxy=args.trust_proxy, check=args.check == "on")
    if args.command == "lsp":
        return _lsp()
    parser.error(f"unknown command {args.command}")
    return 2


def _run_tool(args: argparse.Namespace) -> int:
    if args.command == "playtest" and args.replay is not None:
        from game.tools.golden import run_replay

        return run_replay(args.scenario, args.replay, sys.stdout, sys.stderr)
    if args.command == "playtest":
        from game.tools.playtest import run_playtest

        return run_playtest(args.scenario, games=args.random, seed=args.seed, coverage=not args.uniform,
                            max_states=args.max_states, max_steps=args.max_steps, roles=args.role,
                            as_json=args.json, junit_file=args.junit, list_games=args.list_games,
                            out=sys.stdout, err=sys.stderr)
    if args.command == "graph":
        from game.tools.graph_export import run_graph

        return run_graph(args.scenario, args.format, args.out, sys.stdout, sys.stderr)
    if args.command == "stats":
        from game.tools.stats import run_stats

        return run_stats(args.scenario, args.json, sys.stdout, sys.stderr)
    from game.tools.scaffold import run_new

    return run_new(args.id, args.out, sys.stdout, sys.stderr)


def _lsp() -> int:
    """`longarm lsp`: pygls is an optional extra, so say how to install it when it is missing."""
    try:
        from game.lsp.server import run
    except ImportError as error:
        if (error.name or "").split(".")[0] not in ("pygls", "lsprotocol", "cattrs", "attrs"):
            raise
        print("longarm: the language server needs the pygls package, which is not installed.\n"
              "Install it with: python -m pip install 'pygls>=2,<3'\n"
              "(or, in a clone of Long Arm: python -m pip install -e '.[lsp]')", file=sys.stderr)
        return 2
    return run()


def _play(args: argparse.Namespace) -> int:
    scenario = getattr(args, "scenario", None)
    role = getattr(args, "role", None)
    seed = getattr(args, "seed", None)
    if getattr(args, "plain", False):
        if getattr(args, "watch", None) is not None:
            print("longarm: --watch is the app's live preview; it does not go with --plain", file=sys.stderr)
            return 2
        from game.classroom.recorder import open_recorder
        from game.plain import PlainPlayer

        recorder, problem = open_recorder(args.results, args.name, args.class_code)
        if recorder is None:
            print(f"longarm: {problem}", file=sys.stderr)
        observers = [recorder] if recorder is not None else []
        return PlainPlayer(sys.stdin, sys.stdout, sys.stderr, record=args.record, observers=observers,
                           ask_answers=recorder is not None, check=args.check).run(scenario, role, seed)
    if getattr(args, "record", None) is not None:
        print("longarm: --record works with --plain", file=sys.stderr)
        return 2
    watch = getattr(args, "watch", None)
    if watch is not None and not watch.is_file():
        print(f"longarm: --watch needs a scenario file; {watch} is not one", file=sys.stderr)
        return 2
    found: Scenario | None = None
    if scenario is not None and watch is None:
        # The same checks and words as the plain player, before the screen is taken over; a
        # file with errors is left to the app, which shows the validator's messages.
        from game.engine.loader import catalog

        match catalog.find(scenario):
            case catalog.NotFound() as missing:
                print(f"longarm: {missing.message}", file=sys.stderr)
                return 2
            case catalog.Found(scenario=named):
                if role is not None and role not in named.roles:
                    from game.plain import unknown_role  # the plain player's words, imported only to say them

                    print(f"longarm: {unknown_role(named, role)}", file=sys.stderr)
                    return 2
                found = named
    from game.tui.app import run_app  # Textual is imported only here, when the app starts

    return run_app(scenario, role, seed, watch,
                   app_observers(getattr(args, "results", None), getattr(args, "name", None),
                                 getattr(args, "class_code", None), watching=watch is not None), found=found,
                   check=getattr(args, "check", False))


def app_observers(results: Path | None, name: str | None, class_code: str | None,
                  watching: bool = False) -> list[SessionObserver]:
    """The app's session observers: the autosave, and the class recording (not for an author's
    live preview, whose games are tests, not lessons). The app runs them on a thread of its own
    after its first screen is drawn; the results store is opened there, on the first event, and
    a store that cannot be opened is said on screen."""
    from game.session.autosave import Autosave, autosave_path

    observers: list[SessionObserver] = [Autosave(autosave_path())]
    if not watching:
        observers.append(_RecorderOpenedLater(results, name, class_code))
    return observers


class _RecorderOpenedLater:
    """The class recording, opened on its first event: the store and its code are not loaded on
    the way to the app's first screen. A store that cannot be opened is one notice, then nothing."""

    def __init__(self, results: Path | None, name: str | None, class_code: str | None) -> None:
        self.arguments = results, name, class_code
        self.recorder: SessionObserver | None = None
        self.failed = False

    def on_event(self, event: SessionEvent) -> Notice | None:
        if self.recorder is None and not self.failed:
            from game.classroom.recorder import open_recorder
            from game.session.events import Notice

            self.recorder, problem = open_recorder(*self.arguments)
            if self.recorder is None:
                self.failed = True
                return Notice("results", problem[0].upper() + problem[1:] + ".")
        return self.recorder.on_event(event) if self.recorder is not None else None
