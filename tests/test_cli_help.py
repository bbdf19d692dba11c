"""``--help`` of every command shows metavars people read, never Python type names; progress lines."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from marsad.cli import app, main

PYTHON_TYPES = re.compile(r"<(bool|str|int|float|path|list\[[^>]*\]|[a-z_]+ range)>|list\[str\]")


def _commands() -> Iterator[list[str]]:
    import typer.main

    group = typer.main.get_command(app)

    def walk(cmd: object, path: list[str]) -> Iterator[list[str]]:
        yield path
        for name, sub in sorted(getattr(cmd, "commands", {}).items()):
            yield from walk(sub, [*path, name])

    yield from walk(group, [])


COMMANDS = list(_commands())


def test_every_command_is_listed() -> None:
    names = {" ".join(c) for c in COMMANDS}
    assert {"ingest", "search", "alert add", "alert list", "reanalyze"} <= names


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "marsad")
def test_help_has_no_python_type_names(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "Usage" in out
    assert not PYTHON_TYPES.search(out), PYTHON_TYPES.search(out)


def test_progress_lines_when_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    from marsad.cli.render import ProgressLines

    quiet = ProgressLines("stories", 100, every=3600)
    quiet.advance(50)
    assert capsys.readouterr().err == ""  # a short stage says nothing
    lines = ProgressLines("stories", 200, every=0)
    lines.advance(50, "a.txt")
    lines.advance(50)
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("marsad: stories 50/200 (25%)") and err[0].endswith("a.txt")
    assert err[1].startswith("marsad: stories 100/200 (50%)")


def test_stage_progress_reaches_the_story_and_index_stages(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """An ingest run through the CLI with stderr not a terminal: every stage reports a line."""
    monkeypatch.setenv("MARSAD_PROGRESS_EVERY", "0")
    doc = tmp_path / "a.txt"
    doc.write_text(
        "خبر\nتاريخ النشر: 6th, September 2025 GMT\nقال الوزير إن المحادثات مستمرة.\n", encoding="utf-8"
    )
    assert main(["ingest", str(doc), "--no-analyze", "--db", str(tmp_path / "p.db")]) == 0
    err = capsys.readouterr().err
    for stage in ("ingest", "stories", "index"):
        assert re.search(rf"^marsad: {stage} \d+", err, re.M), (stage, err)


def test_tables_print_data_not_markup(capsys: pytest.CaptureFixture[str]) -> None:
    from marsad.cli.render import table

    table("عنوان [/b]", ["a"], [["[/x] نفى [r1] الخبر"]])  # "[/x]" used to raise MarkupError
    out = capsys.readouterr().out
    assert "[/x]" in out and "[r1]" in out and "[/b]" in out
