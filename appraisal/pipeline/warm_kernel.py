"""Chapter kernels forked from one warm process, so that each chapter starts in a fraction of a second.

A chapter's kernel would otherwise start Python, IPython and the kernel, then import pandas, Altair and this
package's chapter machinery: about 1.8 s of the 2 to 3 s a short chapter takes. A build that runs chapters starts
one server (`serve`), which imports these once and then waits. Each kernel papermill starts is a small launcher
(`launch`, named as the kernel's command by appraisal.pipeline.execute): it asks the server for a kernel, and
the server forks one, which starts as an ordinary IPython kernel with the launcher's connection file, folder,
environment and standard streams. The launcher stays in its place for papermill: it passes on an interrupt or a
stop, and ends with the kernel's exit status. Each kernel is a new process with a new namespace, as before.

What the server imports is what every chapter imports anyway (`appraisal.chapters.notebook` and what it
imports), so the record a chapter makes of the modules it ran is the one a cold kernel makes. The server ends
with the build that started it; a kernel ends if its launcher ends. Without a server (the variable SERVER is
not set, or nothing answers) the launcher starts an ordinary kernel in its own place."""
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import time
from contextlib import contextmanager, nullcontext

SERVER = "APPRAISAL_WARM_KERNEL"  # the server's socket file, for the launchers of the build that started it
# ipykernel's debugger and IPython's history database are imported when a kernel starts: about 0.05 s each kernel
PRELOAD = ("numpy", "pandas", "altair", "IPython", "ipykernel.kernelapp", "ipykernel.debugger", "sqlite3",
           "appraisal.chapters.notebook")
READY = "ready"
POLL = 0.01  # seconds between the server's checks for a finished kernel and that its build is still there
WATCH = 0.2  # seconds between a kernel's checks that its launcher is still there


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ----- the server ---------------------------------------------------------------------------------------------

def _kernel(request: dict, fds: list[int]) -> None:
    """In the forked child: become the kernel the launcher asked for. Never returns."""
    import threading

    try:
        for target, fd in enumerate(fds[:3]):
            os.dup2(fd, target)
        for fd in fds:
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        # This module is the server's, not the chapter's: the chapter's record lists only the modules it ran.
        for name in [n for n in sys.modules if n == "appraisal.pipeline" or n.startswith("appraisal.pipeline.")]:
            del sys.modules[name]
        launcher = request["launcher"]

        def watch():
            while _alive(launcher):
                time.sleep(WATCH)
            os._exit(1)  # the launcher was killed: nobody is waiting for this kernel

        threading.Thread(target=watch, name="launcher-watch", daemon=True).start()
        sys.argv = ["ipykernel_launcher", *request["argv"]]
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        # Read from the environment when the class was defined (in the server): the launcher's own value, so
        # that the kernel behaves as one started by jupyter_client (no banner on the terminal).
        app.parent_handle = int(os.environ.get("JPY_PARENT_PID") or 0)
        app.initialize(request["argv"])
        app.start()
    except SystemExit as done:
        os._exit(done.code if isinstance(done.code, int) else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
        os._exit(1)
    os._exit(0)


def _receive(conn: socket.socket) -> tuple[dict, list[int]]:
    """One request: its length, then the JSON, with the launcher's standard streams passed alongside."""
    head, fds, _, _ = socket.recv_fds(conn, 4, 3)
    if len(head) < 4:
        raise ConnectionError("no request")
    size = struct.unpack("!I", head)[0]
    body = b""
    while len(body) < size:
        part = conn.recv(size - len(body))
        if not part:
            raise ConnectionError("request cut short")
        body += part
    return json.loads(body), list(fds)


def serve(address: str, build_pid: int) -> None:
    """Import what every chapter imports, then fork a kernel for each launcher that asks, until the build that
    started the server ends (or the server is stopped)."""
    import importlib

    # The debugger, imported here and never used, would warn on the build's terminal that Python's frozen
    # modules hide breakpoints (a cold kernel writes the same warning to its log).
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    for name in PRELOAD:
        importlib.import_module(name)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(16)
    print(READY, flush=True)
    waiting: dict[int, socket.socket] = {}  # kernel pid -> its launcher's connection, told the exit status
    while _alive(build_pid) and os.getppid() == build_pid:
        ready, _, _ = select.select([listener], [], [], POLL)
        if ready:
            conn, _ = listener.accept()
            try:
                request, fds = _receive(conn)
            except (OSError, ValueError, ConnectionError):
                conn.close()
                continue
            pid = os.fork()
            if pid == 0:
                listener.close()
                conn.close()
                _kernel(request, fds)
            for fd in fds:
                os.close(fd)
            conn.sendall(struct.pack("!i", pid))
            waiting[pid] = conn
        for pid in list(waiting):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                conn = waiting.pop(pid)
                try:
                    conn.sendall(struct.pack("!i", os.waitstatus_to_exitcode(status)))
                except OSError:
                    pass
                conn.close()
    for pid in waiting:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@contextmanager
def kernel_environment(name: str, value: str):
    """`name` set to `value` in the environment of the kernels (and other processes) started within; put back
    as it was after."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


class Server:
    """The warm kernel server of one build: start it, then name it to the kernels' launchers (see SERVER)."""

    def __init__(self):
        import tempfile

        self.folder = tempfile.mkdtemp(prefix="warm-", dir="/tmp" if os.path.isdir("/tmp") else None)
        self.address = os.path.join(self.folder, "kernels")
        self.process = subprocess.Popen([sys.executable, "-m", __name__, "serve", self.address, str(os.getpid())],
                                        stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        self.ready: bool | None = None

    def wait_ready(self, timeout: float = 60) -> bool:
        """Whether the server is ready to fork kernels (it has imported what they need)."""
        if self.ready is None:
            ready, _, _ = select.select([self.process.stdout], [], [], timeout)
            self.ready = bool(ready) and self.process.stdout.readline().strip() == READY
        return self.ready

    def named(self):
        """A context in which kernels started by this process (and processes it starts) come from this server,
        if it is ready; otherwise they start as ordinary kernels."""
        return kernel_environment(SERVER, self.address) if self.wait_ready() else nullcontext()

    def stop(self) -> None:
        import shutil

        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        shutil.rmtree(self.folder, ignore_errors=True)


# ----- the launcher -------------------------------------------------------------------------------------------

def _cold(argv: list[str]) -> None:
    """An ordinary kernel, in this process's place."""
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *argv])


def launch(argv: list[str]) -> None:
    """The kernel's command: ask the build's server for a kernel with these arguments and stand in for it."""
    address = os.environ.get(SERVER)
    if not address:
        _cold(argv)
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(address)
    except OSError:
        _cold(argv)
    body = json.dumps({"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "launcher": os.getpid()}).encode()
    socket.send_fds(conn, [struct.pack("!I", len(body))], [0, 1, 2])
    conn.sendall(body)
    head = conn.recv(4, socket.MSG_WAITALL)
    if len(head) < 4:
        _cold(argv)  # the server ended before it forked a kernel
    kernel = struct.unpack("!i", head)[0]

    def forward(signum, _frame):
        try:
            os.kill(kernel, signum)
        except ProcessLookupError:
            pass
        if signum == signal.SIGTERM:
            sys.exit(128 + signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT, signal.SIGUSR1):
        signal.signal(signum, forward)
    status = conn.recv(4, socket.MSG_WAITALL)
    sys.exit(struct.unpack("!i", status)[0] if len(status) == 4 else 1)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "launch":
        launch(sys.argv[2:])
