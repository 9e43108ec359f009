"""702.7: check an export package: the bag (every checksum) and the city's signature."""

import tempfile
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ... import signing
from ...bag import check_bag


class Command(BaseCommand):
    help = (
        "702.7: validate an export of public records (a bag folder or its zip): every file "
        "against the manifests, and the Ed25519 signature of the tag manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("bag", help="The bag's folder, or the zip downloaded from CitySocial.")
        parser.add_argument(
            "--public-key",
            help="Trust this public key (PEM) instead of the city's current signing key.",
        )

    def handle(self, *args, **options):
        path = Path(options["bag"])
        trusted = self._trusted_key(options["public_key"])
        if path.is_dir():
            self._report(check_bag(path, trusted), path)
        elif zipfile.is_zipfile(path):
            with tempfile.TemporaryDirectory() as unpacked:
                self._report(check_bag(_unzip(path, Path(unpacked)), trusted), path)
        else:
            raise CommandError(f"{path} is neither a bag folder nor a zip file.")

    def _trusted_key(self, public_key_path):
        if not public_key_path:
            return signing.city_signing_key().public_key()
        try:
            return signing.load_public_key(Path(public_key_path).read_bytes())
        except (OSError, ValueError) as error:
            raise CommandError(f"--public-key {public_key_path}: {error}") from None

    def _report(self, report, shown_as: Path) -> None:
        if not report.valid:
            problems = "\n  ".join(report.problems)
            raise CommandError(f"{shown_as} does not verify:\n  {problems}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{shown_as} verifies: {report.payload_files} payload files match the manifest; "
                f"signature good (Ed25519, public key SHA-256 {report.key_fingerprint})."
            )
        )
        for label in ("Requester", "Export-Time", "Archive-Chain-Head-Digest", "Records-Selected"):
            if label in report.info:
                self.stdout.write(f"  {label}: {report.info[label]}")


def _unzip(archive: Path, into: Path) -> Path:
    """The zip holds one folder, the bag; extractall refuses paths that leave `into`."""
    with zipfile.ZipFile(archive) as bundle:
        bundle.extractall(into)
    folders = [child for child in into.iterdir() if child.is_dir()]
    if len(folders) != 1:
        raise CommandError(f"{archive} should hold exactly one bag folder.")
    return folders[0]
