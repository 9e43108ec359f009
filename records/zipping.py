"""Zipping a bag for download, from disk to disk, in constant memory.

zipfile keeps one ZipInfo per member (about half a kilobyte) until it writes the central
directory at the end: two hundred thousand files would hold a hundred megabytes. Here each
finished member's ZipInfo is pickled to a temporary file and read back, one at a time, when
the central directory is written.
"""

import os
import pickle
import tempfile
import zipfile
from pathlib import Path


class _SpilledMembers:
    """The list zipfile appends finished members to and iterates once, at close."""

    def __init__(self):
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self._count = 0

    def append(self, info: zipfile.ZipInfo) -> None:
        pickle.dump(info, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self):
        self._file.seek(0)
        for _ in range(self._count):
            yield pickle.load(self._file)  # noqa: S301 - our own temporary file

    def close(self) -> None:
        self._file.close()


class _NoNames(dict):
    """zipfile indexes members by name only to warn of duplicates; a bag has none."""

    def __setitem__(self, key, value) -> None:
        pass


def zip_bag(bag_dir: Path, zip_path: Path) -> Path:
    """Write `bag_dir` into `zip_path`, under a folder of the bag's name; return the zip's path."""
    members = _SpilledMembers()
    partial = zip_path.with_suffix(".zip.partial")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            archive.filelist = members
            archive.NameToInfo = _NoNames()
            for path in _files_under(bag_dir):
                archive.write(path, f"{bag_dir.name}/{path.relative_to(bag_dir).as_posix()}")
        os.replace(partial, zip_path)
    finally:
        members.close()
        partial.unlink(missing_ok=True)
    return zip_path


def _files_under(directory: Path):
    """Every file, depth first, without listing a whole directory into memory at once."""
    with os.scandir(directory) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _files_under(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                yield Path(entry.path)
