"""S42: what files and records hold cannot drive the terminal; Arabic and other right-to-left text
is printed as it is. And cells that a spreadsheet would run as formulas are defused on export."""

from __future__ import annotations

import pytest
from support import Cli

from intake_app.cli.io import terminal_text
from intake_app.core.provider_csv import csv_cell, format_providers, parse_providers

HOSTILE = "\x1b[2J\x1b]0;pwned\x07"


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    folder = tmp_path_factory.mktemp("terminal")
    cli = Cli(folder / "vault")
    code, _out, err = cli("init", "--vault", str(cli.vault), "--user", "coord")
    assert code == 0, err
    cli.folder = folder
    return cli


def test_a_hostile_csv_cell_is_escaped_in_the_error(cli):
    path = cli.folder / "providers.csv"
    path.write_text(f"type,organisation\n{HOSTILE},Clinic\n", encoding="utf-8")
    code, out, err = cli("providers", "import", str(path), "--vault", str(cli.vault))
    assert code == 2 and err.count("\n") == 1
    assert "\x1b" not in err and "\x07" not in err
    assert "\\u001b[2J\\u001b]0;pwned\\u0007" in err


def test_records_are_escaped_in_tables_and_json_keeps_them_exactly(cli):
    organisation = "مركز الأمل \u202eevil\u202c \u2067isolate\u2069 \x9b31m"
    path = cli.folder / "rtl.csv"
    path.write_text(f"type,organisation\nmedical,{organisation}\n", encoding="utf-8")
    code, _out, err = cli("providers", "import", str(path), "--vault", str(cli.vault))
    assert code == 0, err
    code, out, err = cli("providers", "list", "--vault", str(cli.vault))
    assert code == 0, err
    assert "مركز الأمل" in out  # right-to-left text itself is untouched
    assert "\\u202eevil\\u202c \\u2067isolate\\u2069 \\u009b31m" in out
    assert not any(ch in out for ch in "\u202e\u202c\u2067\u2069\x9b")
    listed = cli.json("providers", "list", "--vault", str(cli.vault))
    assert [p["organisation"] for p in listed] == [organisation]  # valid JSON, the same text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain", "plain"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("\x00\x08\x0b\x7f", "\\u0000\\u0008\\u000b\\u007f"),
        ("\u200f\u061cשלום", "\u200f\u061cשלום"),  # direction marks and Hebrew pass
        ("\u202a\u202b\u202d\u2066\u2068", "\\u202a\\u202b\\u202d\\u2066\\u2068"),
        ("scan-\udcff.pdf", "scan-\\udcff.pdf"),
    ],
)
def test_terminal_text_escapes_only_what_drives_a_terminal(text, shown):
    assert terminal_text(text) == shown


@pytest.mark.parametrize(
    ("cell", "exported"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Clinic Nord", "Clinic Nord"),
        ("'quoted", "'quoted"),
    ],
)
def test_formula_cells_are_defused_on_export(cell, exported):
    assert csv_cell(cell) == exported


def test_an_exported_directory_reads_back_as_it_was():
    rows = parse_providers(
        b"type,organisation,contact,languages,locations,notes\n"
        b"medical,=cmd|' /C calc'!A0,+33 1 23,ar fr,\"Nord, Sud\",@note\n"
    )
    data = format_providers(rows)
    assert b"'=cmd" in data and b"'+33" in data and b"'@note" in data
    again = parse_providers(data)
    assert [(r.organisation, r.contact, r.languages, r.locations, r.notes) for r in again] == [
        ("=cmd|' /C calc'!A0", "+33 1 23", ("ar", "fr"), "Nord, Sud", "@note")
    ]


def test_providers_export_writes_a_csv_that_no_spreadsheet_runs(cli):
    path = cli.folder / "formula.csv"
    path.write_text("type,organisation,contact\nlegal_aid,=1+2,+33 1 23 45\n", encoding="utf-8")
    code, _out, err = cli("providers", "import", str(path), "--vault", str(cli.vault))
    assert code == 0, err
    out = cli.folder / "export.csv"
    code, printed, err = cli("providers", "export", "--out", str(out), "--vault", str(cli.vault))
    assert code == 0 and "written to" in printed, err
    data = out.read_bytes()
    assert b"'=1+2" in data and b"'+33 1 23 45" in data
    assert {r.organisation for r in parse_providers(data)} >= {"=1+2"}
