"""JUnit XML for a playtest report, so CI systems show each ending and trap check as a test.

Exhaustive: one test case per ending ("can be reached"), one per role ("has no traps") and, for a
scenario with a knowledge check, one saying that every item's fact is in a debrief reached;
warnings (choices never open, scenes never reached) go to the suite's system-out. Random: one
case per role ("no game gets stuck"). A capped search is one failing case saying so.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from game.tools.playtest_report import Report
from game.tools.wording import path_text, plural


def _case(suite: ET.Element, classname: str, name: str, failure: str = "", detail: str = "") -> None:
    case = ET.SubElement(suite, "testcase", classname=classname, name=name)
    if failure:
        ET.SubElement(case, "failure", message=failure).text = detail or failure


def render(report: Report) -> str:
    """The report as a JUnit XML document."""
    scenario = report["scenario"]
    root = ET.Element("testsuites", name="longarm playtest")
    suite = ET.SubElement(root, "testsuite", name=f"playtest {scenario} ({report['mode']})")
    notes: list[str] = []
    if report["mode"] == "exhaustive":
        if not report["complete"]:
            _case(suite, f"{scenario}.search", "the search is complete",
                  f"the search stopped at the cap of {report['max_states']:,} states",
                  "raise --max-states, or run --random")
        for ending in report["endings"]:
            if ending["reachable"] is False:
                _case(suite, f"{scenario}.endings", f"{ending['id']} can be reached",
                      f"{'no role' if report['every_role'] else 'no role searched'} can reach '{ending['id']}'")
            elif ending["reachable"]:
                shortest = min(ending["paths"], key=lambda p: p["choices"])
                _case(suite, f"{scenario}.endings", f"{ending['id']} can be reached")
                notes.append(f"{ending['id']}: {shortest['role']}: {path_text(shortest['path'])}")
        if report["complete"]:
            for role in report["roles"]:
                traps = [t for t in report["traps"] if t["role"] == role["role"]]
                detail = "\n".join(f"trap in scene {t['scene']} ({t['states']} states): {path_text(t['path'])}" for t in traps)
                _case(suite, f"{scenario}.traps", f"role {role['role']} has no traps",
                      plural(len(traps), "trap") if traps else "", detail)
        if report["complete"] and report["check"]:
            unsupported = report["unsupported_check_items"]
            _case(suite, f"{scenario}.check", "every check item's fact is in a debrief reached",
                  f"{plural(len(unsupported), 'item')} without one: {', '.join(unsupported)}" if unsupported else "")
        notes += [f"warning: choice {c['scene']} / {c['choice']} (line {c['line']}) is never open"
                  for c in report["never_open"]]
        notes += [f"warning: scene {s['scene']} (line {s['line']}) is never reached" for s in report["unreached_scenes"]]
    else:
        for role_id, count in report["stuck_by_role"].items():
            stuck = [g for g in report["game_list"] if g["role"] == role_id and g["result"] == "stuck"]
            detail = "\n".join(f"game {g['game']} (seed {g['seed']}) stuck at {g['place']}: {path_text(g['path'])}" for g in stuck)
            _case(suite, f"{scenario}.random", f"no {role_id} game gets stuck",
                  f"{count} game{'s' if count != 1 else ''} got stuck with no open choice" if count else "", detail)
        notes += [f"{e['id']}: {e['games']} of {report['games']} games" for e in report["endings"]]
    cases = suite.findall("testcase")
    failures = sum(1 for case in cases if case.find("failure") is not None)
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    root.set("tests", str(len(cases)))
    root.set("failures", str(failures))
    ET.SubElement(suite, "system-out").text = "\n".join(notes)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
