"""Jupyter Book loaded early (appraisal.pipeline.warm_sphinx) builds the pages the command builds, stops the
build on a warning as the command does, and ends when its build ends without it."""
import pytest

from appraisal.pipeline import site, warm_sphinx

pytestmark = pytest.mark.slow


def small_book(folder, text: str):
    folder.mkdir()
    (folder / "_config.yml").write_text('title: "A small book"\nexecute:\n  execute_notebooks: "off"\n')
    (folder / "_toc.yml").write_text("format: jb-book\nroot: intro\n")
    (folder / "intro.md").write_text(f"# Introduction\n\n{text}\n")
    return folder


def test_the_runner_builds_the_pages_the_command_builds(tmp_path):
    book = small_book(tmp_path / "book", "Some text, and a [link](https://example.org).")
    runner = warm_sphinx.Runner()
    try:
        warm = site.build_html(book, tmp_path / "warm", runner)
    finally:
        runner.stop()
    cold = site.build_html(book, tmp_path / "cold")
    assert (warm / "intro.html").read_text() == (cold / "intro.html").read_text()
    assert "Some text" in (warm / "intro.html").read_text()


@pytest.mark.parametrize("warm", [True, False])
def test_a_warning_stops_the_site_build_and_is_named(tmp_path, warm):
    book = small_book(tmp_path / "book", "See {ref}`a-label-nowhere`.")
    runner = warm_sphinx.Runner() if warm else None
    try:
        with pytest.raises(site.SiteBuildFailed, match="a-label-nowhere"):
            site.build_html(book, tmp_path / "sphinx", runner)
    finally:
        if runner is not None:
            runner.stop()


def test_a_runner_ends_when_its_build_ends_without_it():
    runner = warm_sphinx.Runner()
    runner.process.stdin.close()  # what the build's end does to it
    assert runner.process.wait(timeout=60) == 0
    runner.stop()
