"""The shipped data files of the checks (see README.txt)."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent


def lines_of(filename: str) -> list[str]:
    """The file's lines, less blank lines and lines starting with #."""
    text = (DATA_DIR / filename).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def words_of(filename: str) -> list[str]:
    return [word for line in lines_of(filename) for word in line.split()]


def fields_of(filename: str) -> list[list[str]]:
    """Lines of `A | B | C`, split at " | " (a regex may hold a bare "|") and stripped."""
    return [[part.strip() for part in f"{line} ".split(" | ")] for line in lines_of(filename)]
