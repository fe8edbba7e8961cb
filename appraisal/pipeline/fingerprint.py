"""Content hashes that decide whether a notebook must run again (never timestamps)."""
import hashlib
import json
from pathlib import Path

from appraisal.pipeline.steps import Step


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, or 'missing'."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "missing"


def package_hash(package_dir: Path) -> str:
    """One hash over the model code: every module of the package outside the pipeline itself."""
    digest = hashlib.sha256()
    for path in sorted(package_dir.rglob("*.py")):
        rel = path.relative_to(package_dir).as_posix()
        if rel.startswith("pipeline/") or rel == "cli.py":
            continue
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def step_inputs(step: Step, root: Path, data_dir: Path, params_file: Path, exports_dir: Path,
                package_dir: Path) -> dict[str, str]:
    """Every input of a step with its hash. The parameters are the resolved file (after overrides)."""
    reads = step.reads
    if "*" in reads:
        reads = tuple(sorted({p.name for p in data_dir.iterdir() if p.is_file()} | {"parameters.yaml"}))
    inputs = {"notebook": file_hash(root / step.notebook), "package": package_hash(package_dir)}
    for name in reads:
        inputs[f"data/{name}"] = file_hash(params_file if name == "parameters.yaml" else data_dir / name)
    for name in step.needs:
        inputs[f"exports/{name}"] = file_hash(exports_dir / name)
    return inputs


def reason_to_run(step: Step, inputs: dict[str, str], previous: dict | None, output: Path,
                  exports_dir: Path) -> str | None:
    """Why the step must run, or None if its last successful run used exactly these inputs."""
    if previous is None:
        return "never run"
    if not output.exists():
        return "executed notebook missing"
    missing = [name for name in step.exports if not (exports_dir / name).exists()]
    if missing:
        return f"export missing: {', '.join(missing)}"
    changed = sorted(k for k in inputs if previous.get(k) != inputs[k])
    return f"changed: {', '.join(changed)}" if changed else None


def load_state(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def save_state(path: Path, state: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=1, sort_keys=True))
    tmp.replace(path)
