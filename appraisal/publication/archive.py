"""Archives whose bytes depend only on what they hold: a folder as .tar.gz, the source of a commit as
.tar.gz, and a SHA256SUMS file that `sha256sum --check` reads.

Fixed file order, times, owners and modes inside the tar; no name or time in the gzip header."""
import gzip
import hashlib
import io
import subprocess
import tarfile
from pathlib import Path


def _gzip(data: bytes, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    return target


def _entry(name: str, mtime: int, size: int = 0, directory: bool = False) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE if directory else tarfile.REGTYPE
    info.mode = 0o755 if directory else 0o644
    info.size = size
    info.mtime = mtime
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def folder_tar_gz(folder: Path, target: Path, prefix: str, mtime: int, leave_out: tuple[str, ...] = ()) -> Path:
    """Every file and folder under `folder`, sorted by path, inside one top folder named `prefix`; the
    files named in `leave_out` (paths relative to `folder`) are left out."""
    paths = sorted((p for p in folder.rglob("*") if p.relative_to(folder).as_posix() not in leave_out),
                   key=lambda p: p.relative_to(folder).as_posix())
    links = [p for p in paths if p.is_symlink()]
    if links:
        raise ValueError(f"{links[0]}: a symbolic link cannot go into the archive; copy the file instead")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(_entry(prefix, mtime, directory=True))
        for path in paths:
            name = f"{prefix}/{path.relative_to(folder).as_posix()}"
            if path.is_dir():
                tar.addfile(_entry(name, mtime, directory=True))
            else:
                data = path.read_bytes()
                tar.addfile(_entry(name, mtime, size=len(data)), io.BytesIO(data))
    return _gzip(buffer.getvalue(), target)


def source_tar_gz(root: Path, commit: str, target: Path, prefix: str, extra: dict[str, str]) -> Path:
    """The tracked files of `commit` as `git archive` writes them (times are the commit's), plus `extra`
    small text files (name -> content) with the same time, all inside one top folder named `prefix`."""
    tar_bytes = subprocess.run(["git", "archive", "--format=tar", f"--prefix={prefix}/", commit], cwd=root,
                               capture_output=True, check=True).stdout
    mtime = int(subprocess.run(["git", "log", "-1", "--format=%ct", commit], cwd=root, capture_output=True,
                               text=True, check=True).stdout.strip())
    buffer = io.BytesIO(tar_bytes)
    with tarfile.open(fileobj=buffer, mode="a", format=tarfile.PAX_FORMAT) as tar:
        for name, text in sorted(extra.items()):
            data = text.encode()
            tar.addfile(_entry(f"{prefix}/{name}", mtime, size=len(data)), io.BytesIO(data))
    return _gzip(buffer.getvalue(), target)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_sums(folder: Path, name: str = "SHA256SUMS") -> Path:
    """One line per file in `folder` (by name), in the format of `sha256sum`: digest, two spaces, name."""
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.name != name)
    target = folder / name
    target.write_text("".join(f"{sha256(p)}  {p.name}\n" for p in files), encoding="utf-8")
    return target
