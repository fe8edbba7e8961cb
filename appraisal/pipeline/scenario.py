"""Scenario builds: a site built with `--set` or `--params` is not the published appraisal.

It goes to its own folder (`_build/scenarios/<name>/`) unless the caller asks for the main site by name,
and every page, the register and every download say that it is a scenario and which values differ from
the published parameters file."""
import re

from appraisal.inputs.parameters import Parameters

SCENARIOS_FOLDER = "scenarios"
LABEL = "scenario, not the published figures"


def _leaves(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{path}.{key}" if path else str(key))
    else:
        yield path, node


def _shown(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "not set" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def differences(published: Parameters, scenario: Parameters) -> list[str]:
    """Each value the scenario changes, in words: 'discount rate, central: 0.05 (published 0.035)'."""
    before = dict(_leaves(published.model_dump(mode="json")))
    after = dict(_leaves(scenario.model_dump(mode="json")))
    out = []
    for key in sorted(set(before) | set(after), key=lambda k: list(after).index(k) if k in after else len(after)):
        if before.get(key) == after.get(key) or key.endswith((".rationale", ".evidence")):
            continue
        parts = key.split(".")
        if parts[0] == "parameters" and len(parts) == 3:
            label = scenario.parameters[parts[1]].label if parts[1] in scenario.parameters else parts[1]
            what = f"{label}, {parts[2]}"
        else:
            what = " ".join(parts).replace("_", " ")
        out.append(f"{what}: {_shown(after.get(key))} (published {_shown(before.get(key))})")
    return _merge_levels(out) or ["no value differs from the published parameters file"]


def _merge_levels(lines: list[str]) -> list[str]:
    """'x, low: 5 (published 3)', 'x, central: 5 ...', 'x, high: 5 ...' -> 'x: 5 (published 3)'."""
    out = []
    for line in lines:
        what, _, rest = line.partition(": ")
        label, _, level = what.rpartition(", ")
        trio = [f"{label}, {lv}: {rest}" for lv in ("low", "central", "high")]
        if level == "low" and all(t in lines for t in trio):
            out.append(f"{label}: {rest}")
        elif level in ("central", "high") and all(t in lines for t in trio):
            continue
        else:
            out.append(line)
    return out


def name_for(overrides: dict, params_name: str | None) -> str:
    """A folder name from the overrides and the parameters file: 'discount_rate-0.05'."""
    parts = ([params_name] if params_name else []) + [f"{k}-{v}" for k, v in sorted(overrides.items())]
    return re.sub(r"[^A-Za-z0-9.+-]+", "_", "_".join(parts))[:80] or "scenario"


def banner(diffs: list[str]) -> str:
    """The notice on every page of a scenario site (HTML)."""
    import html

    items = "; ".join(html.escape(d) for d in diffs)
    return (f'<strong>Scenario build: these are not the published figures.</strong> Changed from the published '
            f'parameters: {items}.')
