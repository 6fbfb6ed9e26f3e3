"""The documents the code cites live in the repository, and everything they cite exists.

Comments cite requirements by number ("S5", "S16–S18": docs/security.md) and the design by
section ("docs/design.md §6"); docs/security.md names, for each requirement, the tests that prove
it as ``tests/file.py::test_name``. A citation that leads nowhere is a broken promise to the next
reader, so each kind is checked here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECURITY = ROOT / "docs" / "security.md"
DESIGN = ROOT / "docs" / "design.md"
# Where citations are written: the code, its tests and benchmarks, and the documents themselves.
CODE_DIRS = ("intake_app", "tests", "benchmarks")
CODE_SUFFIXES = {".py", ".sql"}
DOCUMENTS = ("README.md", "ARCHITECTURE.md", "docs")
REQUIREMENT_COUNT = 45  # S1–S45, the numbering the code's comments use
DESIGN_SECTIONS = 14

REQUIREMENT = re.compile(r"\bS([0-9]{1,2})\b")
DESIGN_CITATION = re.compile(r"docs/design\.md\s*§\s*([0-9]+)")
# The design document used to live outside the repository; citing it by its old name is stale.
OLD_DESIGN_CITATION = re.compile(r"\bDESIGN(?:\.md)?\s*§")
TEST_REFERENCE = re.compile(r"\btests/([\w/]+\.py)::(test_\w+)")
REQUIREMENT_HEADING = re.compile(r"^### S([0-9]+) \S", re.MULTILINE)
SECTION_HEADING = re.compile(r"^## ([0-9]+)\. \S", re.MULTILINE)
LINK = re.compile(r"\]\(([^)\s#]*\.md)?(?:#([^)\s]+))?\)")


def code_files() -> list[Path]:
    return sorted(
        path
        for folder in CODE_DIRS
        for path in (ROOT / folder).rglob("*")
        if path.suffix in CODE_SUFFIXES and path.is_file() and "fixtures" not in path.parts
    )


def document_files() -> list[Path]:
    found = []
    for name in DOCUMENTS:
        path = ROOT / name
        found += sorted(path.rglob("*.md")) if path.is_dir() else [path]
    return found


def cited(pattern: re.Pattern[str], files: list[Path]) -> dict[int, list[str]]:
    """Each number the pattern finds, with where it was found."""
    where: dict[int, list[str]] = {}
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in pattern.finditer(line):
                where.setdefault(int(match.group(1)), []).append(
                    f"{path.relative_to(ROOT)}:{number}"
                )
    return where


def requirement_sections() -> dict[int, str]:
    """docs/security.md's requirements: number → the text of its section."""
    text = SECURITY.read_text(encoding="utf-8")
    headings = list(REQUIREMENT_HEADING.finditer(text))
    sections = {}
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        sections[int(heading.group(1))] = text[heading.start() : end]
    return sections


def slug(heading: str) -> str:
    """The anchor a Markdown renderer (GitHub's) gives a heading."""
    words = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return words.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return {slug(m.group(1)) for m in re.finditer(r"^#+ (.+)$", text, re.MULTILINE)}


def test_security_numbers_every_requirement_once_in_order():
    numbers = [int(m.group(1)) for m in REQUIREMENT_HEADING.finditer(SECURITY.read_text("utf-8"))]
    assert numbers == list(range(1, REQUIREMENT_COUNT + 1))


def test_design_numbers_its_sections_in_order():
    numbers = [int(m.group(1)) for m in SECTION_HEADING.finditer(DESIGN.read_text("utf-8"))]
    assert numbers == list(range(1, DESIGN_SECTIONS + 1))


def test_every_requirement_the_code_cites_is_in_docs_security():
    defined = set(requirement_sections())
    citations = cited(REQUIREMENT, code_files() + document_files())
    missing = {f"S{n}": where for n, where in citations.items() if n not in defined}
    assert not missing, f"cited but not in docs/security.md: {missing}"
    assert {5, 6, 24} <= set(citations)  # the scan does see the code's citations


def test_every_design_section_cited_has_its_heading():
    defined = {int(m.group(1)) for m in SECTION_HEADING.finditer(DESIGN.read_text("utf-8"))}
    citations = cited(DESIGN_CITATION, code_files() + document_files())
    missing = {f"§{n}": where for n, where in citations.items() if n not in defined}
    assert not missing, f"cited but not a heading of docs/design.md: {missing}"
    assert {6, 9} <= set(citations)


def test_nothing_cites_the_design_by_its_old_name():
    stale = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in code_files() + document_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OLD_DESIGN_CITATION.search(line)
    ]
    assert not stale, f"cite docs/design.md §N instead: {stale}"


def test_every_test_named_in_the_docs_exists():
    defined: dict[Path, set[str]] = {}
    named = 0
    for document in document_files():
        for module, name in TEST_REFERENCE.findall(document.read_text(encoding="utf-8")):
            path = ROOT / "tests" / module
            assert path.is_file(), f"{document.name} names {module}, which is not in tests/"
            if path not in defined:
                tree = ast.parse(path.read_text(encoding="utf-8"))
                defined[path] = {
                    node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
                }
            assert name in defined[path], f"{document.name} names {module}::{name}, which is gone"
            named += 1
    assert named > REQUIREMENT_COUNT


def test_each_requirement_names_its_tests_or_says_it_has_none():
    for number, section in requirement_sections().items():
        assert TEST_REFERENCE.search(section) or "not yet tested" in section.lower(), (
            f"S{number} names no test and does not say it is untested"
        )
        if "not yet tested; planned in issue" in section.lower().replace("**", ""):
            assert re.search(r"planned in issue \d+", section.replace("**", "")), f"S{number}"


def test_links_between_the_documents_lead_somewhere():
    for document in document_files():
        for target, anchor in LINK.findall(document.read_text(encoding="utf-8")):
            path = (document.parent / target).resolve() if target else document
            assert path.is_file(), f"{document.name} links to {target}, which does not exist"
            if anchor:
                assert anchor in anchors(path), f"{document.name} links to {target}#{anchor}"
