"""BagIt packages (RFC 8493), written file by file and checked with the `bagit` library.

bagit.make_bag keeps every manifest line in memory and reads every file back to hash it;
an export of a hundred thousand records would grow with the archive. BagWriter hashes each
payload file as it writes it and appends its manifest line at once, so memory stays flat;
the result is an ordinary bag that bagit.Bag.validate() checks.
"""

import hashlib
import io
import logging
import re
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import bagit

from . import signing

# bagit logs a line per file checked: noise in a command's output for a hundred thousand files.
logging.getLogger("bagit").setLevel(logging.WARNING)

BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
MANIFEST = "manifest-sha256.txt"
TAG_MANIFEST = "tagmanifest-sha256.txt"
SIGNATURE = TAG_MANIFEST + ".sig"
PUBLIC_KEY = "public-key.pem"
CHUNK = 64 * 1024
ONE_LINE = re.compile(r"[\r\n]+")


def _manifest_path(relative: str) -> str:
    # RFC 8493 section 2.1.3: CR, LF and % in a path are percent-encoded in manifests.
    return relative.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


class _HashingFile(io.RawIOBase):
    """A binary file that hashes and counts what goes through it."""

    def __init__(self, target):
        self._target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._target.write(data)
        self.sha256.update(data)
        self.size += len(data)
        return len(data)


class BagWriter:
    def __init__(self, root: Path):
        self.root = root
        (root / "data").mkdir(parents=True)
        self._manifest = open(root / MANIFEST, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed in finish()
        self.payload_files = 0
        self.payload_bytes = 0

    def write(self, relative: str, content: bytes) -> str:
        """A payload file under data/; returns its SHA-256."""
        with self.open(relative) as file:
            file.write(content)
        return hashlib.sha256(content).hexdigest()

    def copy(self, relative: str, source) -> str:
        """A payload file copied from an open binary file, in its original bytes."""
        with self.open(relative) as file:
            shutil.copyfileobj(source, file, CHUNK)
            return file.sha256.hexdigest()

    @contextmanager
    def open(self, relative: str, text: bool = False):
        path = self.root / "data" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as raw:
            hashing = _HashingFile(raw)
            if text:
                wrapper = io.TextIOWrapper(
                    io.BufferedWriter(hashing, CHUNK), encoding="utf-8", newline=""
                )
                yield wrapper
                wrapper.flush()
                wrapper.detach().detach()
            else:
                yield hashing
        self._manifest.write(
            f"{hashing.sha256.hexdigest()}  {_manifest_path('data/' + relative)}\n"
        )
        self.payload_files += 1
        self.payload_bytes += hashing.size

    def finish(self, bag_info: dict[str, str], public_key_pem: bytes, key) -> str:
        """Write the tag files, sign the tag manifest; return the tag manifest's SHA-256."""
        self._manifest.close()
        (self.root / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8")
        info = {**bag_info, "Payload-Oxum": f"{self.payload_bytes}.{self.payload_files}"}
        (self.root / "bag-info.txt").write_text(_tag_file(info), encoding="utf-8")
        (self.root / PUBLIC_KEY).write_bytes(public_key_pem)
        lines = [
            f"{_sha256_of(self.root / name)} {name}\n"
            for name in ("bagit.txt", "bag-info.txt", MANIFEST, PUBLIC_KEY)
        ]
        tag_manifest = "".join(lines).encode("utf-8")
        (self.root / TAG_MANIFEST).write_bytes(tag_manifest)
        # The signature cannot be listed in the manifest it signs; it sits beside it.
        (self.root / SIGNATURE).write_bytes(key.sign(tag_manifest))
        return hashlib.sha256(tag_manifest).hexdigest()


def _tag_file(values: dict[str, str]) -> str:
    # A tag value is one line: what a person typed never breaks the file's format.
    return "".join(
        f"{label}: {ONE_LINE.sub(' ', str(value)).strip()}\n" for label, value in values.items()
    )


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while block := file.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


# --- Checking a bag -----------------------------------------------------------------


@dataclass
class BagReport:
    path: Path
    problems: list[str] = field(default_factory=list)
    payload_files: int = 0
    key_fingerprint: str = ""
    info: dict = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.problems


def check_bag(path: Path, trusted_key=None) -> BagReport:
    """Validate with bagit (every manifest, every checksum), then check the Ed25519 signature of
    the tag manifest, and that the key is the one trusted (the city's, unless told otherwise)."""
    report = BagReport(path)
    try:
        bag = bagit.Bag(str(path))
        bag.validate()
    except bagit.BagValidationError as error:
        details = [str(detail) for detail in error.details] or [error.message]
        report.problems.extend(f"bag: {detail}" for detail in details)
        return report
    except bagit.BagError as error:
        report.problems.append(f"bag: {error}")
        return report
    report.info = dict(bag.info)
    report.payload_files = len(bag.payload_entries())
    if PUBLIC_KEY not in bag.tagfile_entries():
        report.problems.append(f"{PUBLIC_KEY} is not listed in {TAG_MANIFEST}")
    _check_signature(path, report, trusted_key)
    return report


def _check_signature(path: Path, report: BagReport, trusted_key) -> None:
    try:
        public_key = signing.load_public_key((path / PUBLIC_KEY).read_bytes())
        signature = (path / SIGNATURE).read_bytes()
    except FileNotFoundError as missing:
        report.problems.append(f"{Path(missing.filename).name} is missing: the bag is not signed")
        return
    except ValueError as error:
        report.problems.append(str(error))
        return
    report.key_fingerprint = signing.fingerprint(public_key)
    if not signing.signature_holds(public_key, (path / TAG_MANIFEST).read_bytes(), signature):
        report.problems.append(
            f"the signature in {SIGNATURE} does not match {TAG_MANIFEST}: "
            "the bag was altered after it was signed"
        )
    if trusted_key is not None and signing.fingerprint(trusted_key) != report.key_fingerprint:
        report.problems.append(
            f"the bag was signed with a key (SHA-256 {report.key_fingerprint}) that is not the "
            f"trusted one (SHA-256 {signing.fingerprint(trusted_key)})"
        )
