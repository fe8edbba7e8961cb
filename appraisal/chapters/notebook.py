"""What a chapter notebook calls: open the chapter (check the inputs, compute it through recording inputs),
show its tables and figures, and finish (write its headlines, its tables for other pages and the record of
what it read for the build). The prose takes its numbers from the headlines through the figures register,
filled in when the book is staged, never from the notebook's outputs."""
import json
from pathlib import Path

from IPython.display import HTML

from appraisal import paths
from appraisal.inputs.loading import load
from appraisal.inputs.recorder import RecordingInputs, package_modules
from appraisal.publication.figures import Numbering, html_table


def record_path(exports_dir: Path, chapter: str) -> Path:
    return Path(exports_dir) / f"{chapter}.record.json"


def headlines_path(exports_dir: Path, chapter: str) -> Path:
    return Path(exports_dir) / f"{chapter}_headlines.json"


def snippets_path(exports_dir: Path, chapter: str) -> Path:
    """The chapter's unnumbered tables that other pages show, as HTML by key."""
    return Path(exports_dir) / f"{chapter}_snippets.json"


class Page:
    def __init__(self, name: str, content, numbering: Numbering, inputs: RecordingInputs, exports_dir: Path):
        self.name = name
        self.content = content
        self.numbering = numbering
        self._inputs = inputs
        self._exports = Path(exports_dir)

    def table(self, tbl_id: str) -> HTML:
        return self.numbering.table(tbl_id, self.content.tables[tbl_id])

    def figure(self, chart, fig_id: str) -> HTML:
        return self.numbering.figure(chart, fig_id, self.content.figures[fig_id])

    def data(self, fig_id: str):
        """The data of a figure, for its chart specification."""
        return self.content.figures[fig_id].data

    def finish(self) -> None:
        """Write the headline values and the record of every input read and every module run."""
        reads = self._inputs.reads
        items = {key: {"text": h.text, "value": h.value, "unit": h.unit, "chapter": self.name,
                       "depends_on": sorted(reads)} for key, h in self.content.headlines.items()}
        self._exports.mkdir(parents=True, exist_ok=True)
        headlines_path(self._exports, self.name).write_text(
            json.dumps(items, indent=1, sort_keys=True, default=float))
        snippets = {key: html_table(s.shown, s.caption) for key, s in self.content.snippets.items()}
        snippets_path(self._exports, self.name).write_text(json.dumps(snippets, indent=1, sort_keys=True))
        record = {"chapter": self.name, "reads": reads, "modules": package_modules(paths.ROOT)}
        record_path(self._exports, self.name).write_text(json.dumps(record, indent=1, sort_keys=True))


def open_chapter(module, params_path: str, data_dir: str, exports_dir: str, version: str, number: str) -> Page:
    """Compute one chapter from the build's checked inputs."""
    name = module.__name__.rsplit(".", 1)[-1]
    checked = load(Path(params_path), data_dir=Path(data_dir))
    recording = RecordingInputs(checked, Path(data_dir))
    content = module.compute(recording)
    numbering = Numbering(number, recording.table("sources"), exports_dir, version)  # source lines read it too
    return Page(name, content, numbering, recording, Path(exports_dir))
