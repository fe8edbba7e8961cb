"""Jupyter Book, started while the chapters run, so that building the pages does not wait for it to load.

Jupyter Book spends about a second importing Sphinx, its theme and its extensions (and finding pybtex's
plugins) before it reads a page: as long as the rest of a build that changes one page. A build starts this
runner early; it imports all of that, then waits. Given the command's arguments, it runs Jupyter Book's own
command line with them, in itself, once, and ends with its exit status. It reads its arguments from standard
input, so a runner whose build ended without using it ends too. Without a runner the command runs as before,
in a process of its own."""
import importlib
import json
import os
import subprocess
import sys

# What Jupyter Book and the book's configuration load; a module that is not installed is left to fail (or not)
# where Jupyter Book itself imports it.
PRELOAD = ("jupyter_book.cli.main", "jupyter_book.sphinx", "sphinx.application", "sphinx.builders.html",
           "myst_nb.sphinx_ext", "sphinxcontrib.bibtex", "sphinx_book_theme", "pydata_sphinx_theme",
           "sphinx_togglebutton", "sphinx_copybutton", "sphinx_thebe", "sphinx_comments", "sphinx_external_toc",
           "sphinx_jupyterbook_latex", "sphinx_multitoc_numbering", "sphinx_design")
PYBTEX_PLUGINS = (("pybtex.style.formatting", "plain"), ("pybtex.style.labels", "alpha"),
                  ("pybtex.style.names", "plain"), ("pybtex.style.sorting", "none"), ("pybtex.backends", "html"),
                  ("pybtex.database.input", "bibtex"))


def _preload() -> None:
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    for group, name in PYBTEX_PLUGINS:
        try:
            from pybtex.plugin import find_plugin

            find_plugin(group, name)
        except Exception:  # found again, and reported, where sphinxcontrib-bibtex looks for them
            pass


def _main() -> None:
    os.nice(10)  # loading gives way to the chapters' kernels, which run meanwhile and are waited for first
    _preload()
    line = sys.stdin.readline()
    if not line:
        return  # the build ended without building pages
    from jupyter_book.cli.main import main

    sys.argv = ["jupyter-book", *json.loads(line)]
    try:
        main()
        status = 0
    except SystemExit as done:
        status = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    # Every page is written and closed by now: end without tearing down Sphinx's objects one by one, which
    # takes longer than building one page.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


class Runner:
    """One Jupyter Book command, started (loading) now and run with its arguments later."""

    def __init__(self):
        self.process = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.used = False

    def run(self, args: list[str]) -> subprocess.CompletedProcess:
        """Jupyter Book's command line with `args`: its exit status and what it wrote."""
        self.used = True
        out, err = self.process.communicate(json.dumps(args) + "\n")
        return subprocess.CompletedProcess(["jupyter-book", *args], self.process.returncode, out, err)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            stream.close()


if __name__ == "__main__":
    _main()
