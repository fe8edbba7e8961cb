"""Inputs that record what is read from them.

A chapter computes from a `RecordingInputs`. Every data table it asks for and every field of the
parameters file it touches is noted, with a hash of what it saw. The build stores that record and,
next time, re-runs the chapter only when one of exactly those inputs has changed: what a chapter
depends on is recorded while it runs, so it can never drift from the code.

Keys of the record:
- `data/<file>.csv`: a table, hashed by its bytes;
- `parameters:<dotted path>`: one field of the parameters file after overrides, for example
  `parameters:parameters.discount_rate.central` or `parameters:appraisal_years`, hashed by its value.
"""
import hashlib
import inspect
import json
import sys
from pathlib import Path

from pydantic import BaseModel

from appraisal.inputs.loading import Inputs

PARAMETERS_PREFIX = "parameters:"


def bytes_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, or 'missing'."""
    try:
        return bytes_hash(Path(path).read_bytes())
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return "missing"


def value_hash(value) -> str:
    return bytes_hash(json.dumps(value, sort_keys=True, default=str).encode())


def parameter_value(dumped: dict, dotted: str):
    """The value at a dotted path in the parameters as a plain dict; KeyError if it is not there."""
    node = dumped
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(dotted)
        node = node[part]
    return node


def current_hash(key: str, data_dir: Path, dumped_params: dict) -> str:
    """The hash an input has now, by its record key; 'missing' when it no longer exists."""
    if key.startswith(PARAMETERS_PREFIX):
        try:
            return value_hash(parameter_value(dumped_params, key.removeprefix(PARAMETERS_PREFIX)))
        except KeyError:
            return "missing"
    if key.startswith("data/"):
        return file_hash(Path(data_dir) / key.removeprefix("data/"))
    raise ValueError(f"unknown input key {key!r}")


class _Log:
    def __init__(self):
        self.reads: dict[str, str] = {}

    def note(self, key: str, digest: str) -> None:
        self.reads[key] = digest


def _wrap(value, path: str, log: _Log):
    if isinstance(value, BaseModel):
        return _RecordedModel(value, path, log)
    if isinstance(value, dict):
        return _RecordedDict(value, path, log)
    log.note(PARAMETERS_PREFIX + path, value_hash(_plain(value)))
    return value


def _plain(value):
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


class _RecordedModel:
    """A pydantic model seen through the recorder: fields are recorded when read; the model's own methods
    and properties run against the recorder, so what they read is recorded too."""

    def __init__(self, target: BaseModel, path: str, log: _Log):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_log", log)

    def __getattr__(self, name):
        target, path, log = self._target, self._path, self._log
        attr = inspect.getattr_static(type(target), name, None)
        if name in type(target).model_fields:
            return _wrap(getattr(target, name), _join(path, name), log)
        if isinstance(attr, property):
            return attr.fget(self)
        if inspect.isfunction(attr) and not name.startswith("model_"):
            return attr.__get__(self)
        # anything else (pydantic's own machinery): the whole model counts as read
        log.note(PARAMETERS_PREFIX + (path or "*"), value_hash(target.model_dump(mode="json")))
        return getattr(target, name)

    def __setattr__(self, name, value):
        raise AttributeError("recorded inputs are read-only")


class _RecordedDict:
    """A mapping (such as the parameters by name) whose entries are recorded when read."""

    def __init__(self, target: dict, path: str, log: _Log):
        self._target, self._path, self._log = target, path, log

    def __getitem__(self, key):
        return _wrap(self._target[key], _join(self._path, str(key)), self._log)

    def get(self, key, default=None):
        return self[key] if key in self._target else default

    def __contains__(self, key):
        return key in self._target

    def __iter__(self):
        return iter(self._target)

    def __len__(self):
        return len(self._target)

    def keys(self):
        return self._target.keys()

    def items(self):
        return [(k, self[k]) for k in self._target]

    def values(self):
        return [self[k] for k in self._target]


class RecordingInputs:
    """The same interface as `Inputs` (`table(name)`, `tables`, `params`), recording every read."""

    def __init__(self, inner: Inputs, data_dir: Path):
        self._inner = inner
        self._data_dir = Path(data_dir)
        self._log = _Log()
        self.params = _RecordedModel(inner.params, "", self._log)

    def _note_table(self, filename: str) -> None:
        self._log.note(f"data/{filename}", file_hash(self._data_dir / filename))

    def table(self, name: str):
        self._note_table(f"{name}.csv")
        return self._inner.table(name)

    @property
    def tables(self) -> dict:
        for filename in self._inner.tables:
            self._note_table(filename)
        return {k: v.copy() for k, v in self._inner.tables.items()}

    @property
    def reads(self) -> dict[str, str]:
        return dict(sorted(self._log.reads.items()))


def package_modules(root: Path) -> dict[str, str]:
    """Every module of this package loaded in this process, with its hash: the code a chapter ran."""
    out = {}
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if not name.startswith("appraisal") or not file:
            continue
        try:
            rel = Path(file).resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            continue
        out[rel] = file_hash(Path(file))
    return dict(sorted(out.items()))
