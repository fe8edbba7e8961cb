"""Who is responsible for a version, and what assurance it had: recorded for each release, shown on the About page.

Before cutting a version the analyst fills in releases/next/assurance.yaml (the template below) and commits
it: the publishing body, the author, the commissioner and the approver (a role or an organisation is enough),
and every check made before release, each with who made it, what it covered, its date and its result. A
version is not cut without at least one complete check. Cutting it copies the record into
releases/<version>/release.json (under "responsibility") and puts the blank template back for the next one.

Nothing is filled in for the analyst: a field left empty is recorded as empty and shown as "not recorded",
and so is every field of a release recorded before this record existed."""
import datetime as dt
import json
import re
from pathlib import Path

from appraisal.inputs import yaml_strict

NEXT = Path("releases") / "next" / "assurance.yaml"  # relative to the project root
KEY = "responsibility"  # in releases/<version>/release.json
NOT_RECORDED = "not recorded"
ROLES = {"publisher": "Publisher", "author": "Author", "commissioner": "Commissioner"}
APPROVER_FIELDS = ("who", "date")
CHECK_FIELDS = ("who", "covered", "date", "result")
MARKUP = set("\\`*_{}[]()<>#+-!|$&~:=^@")

TEMPLATE = """\
# Who is responsible for the next version, and what assurance it had. Fill this in and commit it before
# `make release`: the release copies it into releases/<version>/release.json, shows it on the About page,
# and puts this blank form back. A role or an organisation is enough for "who". Leave a field empty rather
# than guess: it is then shown as "not recorded". Dates are written 2026-12-01.

publisher:     # the body that publishes this version
author:        # who wrote it
commissioner:  # who asked for it, if anyone
approver:      # who approved this version for publication, and when
  who:
  date:

# Every check made before release: at least one, each with who made it, what it covered, when, and what it
# found. For example: an independent recomputation of every published number from the data and the method
# text; the test suite; a reviewer's reading of the method against the Green Book.
assurance:
  - who:
    covered:
    date:
    result:
"""


def _text(value) -> str:
    """A field as text: '' when empty; a date as 2026-12-01."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _date_problem(where: str, value: str, today: dt.date) -> str | None:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(value)
        day = dt.date.fromisoformat(value)
    except ValueError:
        return f"{where}: {value!r} is not a date written like 2026-12-01"
    if day > today:
        return f"{where}: {value} is after today; record a check once it has been made"
    return None


def _unknown(where: str, found: dict, allowed) -> list[str]:
    return [f"{where}: unknown field {key!r} (expected {', '.join(allowed)})" for key in found if key not in allowed]


def read(path: Path, today: dt.date | None = None) -> tuple[dict | None, list[str]]:
    """(the record as it goes into release.json, []) or (None, every problem, one line each)."""
    today = today or dt.date.today()
    name = NEXT.as_posix() if path.as_posix().endswith(NEXT.as_posix()) else path.name
    if not path.exists():
        return None, [f"{name} is missing: record who is responsible for this version and what assurance it "
                      "had there, and commit it (see the README, 'Cutting a version')"]
    try:
        raw = yaml_strict.load(path.read_text(encoding="utf-8"))
    except yaml_strict.YamlProblem as err:
        return None, [f"{name}: {err}"]
    if not isinstance(raw, dict):
        return None, [f"{name}: expected the fields of the form ({', '.join([*ROLES, 'approver', 'assurance'])})"]
    problems = _unknown(name, raw, [*ROLES, "approver", "assurance"])
    record = {role: _text(raw.get(role)) for role in ROLES}
    for role in ROLES:
        if isinstance(raw.get(role), (dict, list)):
            problems.append(f"{name}: {role} must be one line of text")
    approver = raw.get("approver") or {}
    if not isinstance(approver, dict):
        problems.append(f"{name}: approver must have the fields who and date")
        approver = {}
    problems += _unknown(f"{name}: approver", approver, APPROVER_FIELDS)
    record["approver"] = {field: _text(approver.get(field)) for field in APPROVER_FIELDS}
    if record["approver"]["date"]:
        problems += filter(None, [_date_problem(f"{name}: approver date", record["approver"]["date"], today)])
        if not record["approver"]["who"]:
            problems.append(f"{name}: approver date is given but not who approved")
    checks = raw.get("assurance") or []
    if not isinstance(checks, list):
        problems.append(f"{name}: assurance must be a list of checks")
        checks = []
    record["assurance"] = []
    for n, check in enumerate(checks, start=1):
        where = f"{name}: assurance check {n}"
        if not isinstance(check, dict):
            problems.append(f"{where}: expected the fields {', '.join(CHECK_FIELDS)}")
            continue
        problems += _unknown(where, check, CHECK_FIELDS)
        entry = {field: _text(check.get(field)) for field in CHECK_FIELDS}
        missing = [field for field in CHECK_FIELDS if not entry[field]]
        if missing:
            problems.append(f"{where}: {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} empty; a check "
                            "is recorded with who made it, what it covered, its date and its result")
        elif problem := _date_problem(f"{where} date", entry["date"], today):
            problems.append(problem)
        record["assurance"].append(entry)
    if not checks:
        problems.append(f"{name}: no assurance check is recorded; a version is cut only with at least one, "
                        "saying who made it, what it covered, its date and its result")
    return (None, problems) if problems else (record, [])


def recorded(release_json: Path) -> dict | None:
    """The record kept with a release, or None for a release cut without one (or no release file)."""
    if not release_json.exists():
        return None
    found = json.loads(release_json.read_text(encoding="utf-8")).get(KEY)
    return found if isinstance(found, dict) else None


def _shown(value) -> str:
    """A recorded field for the page, on one line, every character that Markdown, MyST or HTML could read as
    markup written as a character reference (so the text is shown exactly as recorded); or 'not recorded'."""
    text = " ".join(_text(value).split())
    if not text:
        return f"*{NOT_RECORDED}*"
    return "".join(f"&#{ord(c)};" if c in MARKUP else c for c in text)


def markdown(releases_dir: Path, version: str, draft: bool = False) -> str:
    """The About page's record of responsibility and assurance for `version`, as Markdown. A draft has none:
    a record covers only the figures of the release it was kept with."""
    record = None if draft else recorded(Path(releases_dir) / version / "release.json")
    where = f"`releases/{version}/release.json`"
    if draft:
        intro = ("This is a draft, not a release, so no record of responsibility and assurance covers it: every "
                 "role and check below is not recorded. Each release's record is kept in "
                 "`releases/<version>/release.json` of the source and shown on that release's own pages.")
        record = {}
    elif record is None:
        intro = (f"No record of responsibility and assurance is kept for version {version} (in {where} of the "
                 "source), so every role and check below is not recorded.")
        record = {}
    else:
        intro = f"As recorded for version {version} when it was released (in {where} of the source):"
    approver = record.get("approver") or {}
    lines = [intro, ""]
    lines += [f"- **{label}:** {_shown(record.get(role))}" for role, label in ROLES.items()]
    approved = _shown(approver.get("who"))
    if _text(approver.get("who")):
        approved += f", on {_shown(approver.get('date'))}" if _text(approver.get("date")) else ", date not recorded"
    lines += [f"- **Approver:** {approved}", ""]
    checks = record.get("assurance") or []
    if checks:
        lines += ["| Check | By | Date | Result |", "|---|---|---|---|"]
        lines += [f"| {_shown(c.get('covered'))} | {_shown(c.get('who'))} | {_shown(c.get('date'))} | "
                  f"{_shown(c.get('result'))} |" for c in checks]
    else:
        lines.append(f"- **Assurance:** *{NOT_RECORDED}*: no check of this version is recorded.")
    return "\n".join(lines)
