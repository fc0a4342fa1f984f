"""The documentation is checked against the code: links resolve, commands exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from incidents.cli import build
from incidents.export.cells import CELLS_ABOVE

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
COMMAND = re.compile(r"python -m incidents(?: --db \S+)? ([a-z-]+)")
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
OTHER_TOOLS = {"--headless"}  # options of other programs the export docs mention (soffice)


def test_readme_starts_with_exactly_the_two_commands():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "```bash" and lines[3] == "```"
    assert lines[1].startswith("bash scripts/run_app.sh")
    assert lines[2].startswith("bash scripts/test.sh")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "scripts/test.sh" in ci


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_relative_links_resolve(doc: Path):
    for target in LINK.findall(doc.read_text(encoding="utf-8")):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        assert (doc.parent / target).exists(), f"{doc.name} links to missing {target}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_documented_commands_exist(doc: Path):
    known = set(build().commands)
    for name in COMMAND.findall(doc.read_text(encoding="utf-8")):
        assert name in known, f"{doc.name} documents 'python -m incidents {name}'"


def parse(words: list[str]) -> None:
    """Read the words as the command line does, down to the command (or users action)
    they name, without running it; click's usage error when they do not parse."""
    command: click.Command = build()
    ctx, name = None, "python -m incidents"
    while True:
        ctx = command.make_context(name, words, parent=ctx)
        if not isinstance(command, click.Group):
            return
        found, sub, words = command.resolve_command(ctx, [*ctx._protected_args, *ctx.args])
        assert found and sub
        command, name = sub, found


def test_readme_command_lines_parse():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in re.findall(r"^python -m incidents (.+?)(?:\s+#.*)?$", text, re.M):
        parse(shlex.split(line))


def _long_options(command: click.Command) -> set[str]:
    return {s for p in command.params for s in p.opts if s.startswith("--")}


def test_every_export_option_is_documented_and_every_documented_one_exists():
    parser = build()
    export = parser.commands["export"]
    options = _long_options(export) - {"--help"}
    text = (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
    mentioned = set(OPTION.findall(text))
    assert not options - mentioned, f"docs/exports.md does not mention {options - mentioned}"
    unknown = mentioned - options - _long_options(parser) - OTHER_TOOLS
    assert not unknown, f"docs/exports.md mentions options that do not exist: {unknown}"
    assert f"{CELLS_ABOVE:,} incidents" in text, "docs/exports.md states another square limit"


_TEST_REF = re.compile(
    r"`(tests/[\w/]+\.py)(?:::(\w+))?`|`(?:…|\.\.\.)?::(\w+)`|`(test_\w+\.py)(?:::(\w+))?`"
)


def test_every_test_the_security_page_names_exists():
    """docs/security.md says which test proves each guarantee: each must exist, by name."""
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    table = text[text.index("## How each guarantee is tested") :]
    files = {p.name: p for p in (ROOT / "tests").rglob("test_*.py")}
    for row in table.splitlines()[4:]:
        current: Path | None = None
        for path, name, tail, short, short_name in _TEST_REF.findall(row):
            if path or short:
                current = ROOT / path if path else files.get(short)
                assert current is not None and current.exists(), (
                    f"security.md names {path or short}"
                )
            wanted = name or tail or short_name
            if wanted:
                assert current is not None, f"security.md names {wanted} without its file"
                source = current.read_text(encoding="utf-8")
                prefix = wanted.rstrip("_") if tail else wanted
                assert re.search(rf"def {re.escape(prefix)}\w*\(", source), (
                    f"security.md names {wanted}, not in {current.name}"
                )


_SPAN = re.compile(r"`(python -m incidents [^`\n]+)`")
_BLOCK_LINE = re.compile(r"^\s*(python -m incidents .+?)(?:\s+#.*)?$", re.M)


def _record_docs() -> list[tuple[str, str]]:
    """The pages that tell how to delete, restore, revert and purge: docs/editing.md,
    and the section of docs/security.md on deleted records and purges."""
    editing = (ROOT / "docs" / "editing.md").read_text(encoding="utf-8")
    security = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    start = security.index("## Deleted records and purges")
    section = security[start : security.index("\n## ", start + 1)]
    return [("editing.md", editing), ("security.md", section)]


@pytest.mark.parametrize(("name", "text"), _record_docs(), ids=lambda v: v[:12])
def test_the_record_commands_the_docs_show_parse(name: str, text: str) -> None:
    """Every command line these pages give, in a code block or in running text, is
    one the command line accepts as written (options and all)."""
    lines = _SPAN.findall(text) + _BLOCK_LINE.findall(text)
    assert lines, f"{name} shows no command"
    for line in dict.fromkeys(lines):
        try:
            parse(shlex.split(line)[3:])
        except click.UsageError:
            pytest.fail(f"{name} shows a command the command line refuses: {line}")
