"""S40: a FIFO, a device or a folder given as any file argument is refused at once, never a hang.

The file arguments are found in the parser itself, so a new one cannot be left out of the test."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import pytest
from support import child_env

from intake_app.cli.parser import InputFile, OutputFile, build_parser


def leaf_parsers(parser: argparse.ArgumentParser, words=()):
    """Every command's parser, with the words that select it."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield words, parser
    for sub in subs:
        for name, child in sub.choices.items():
            yield from leaf_parsers(child, (*words, name))


def file_argument_cases():
    cases = []
    for words, parser in leaf_parsers(build_parser()):
        if not words:
            continue
        actions = [a for a in parser._actions if a.type in (InputFile, OutputFile)]
        for target in actions:
            cases.append((words, parser, target))
    return cases


def test_every_argument_that_names_a_file_is_checked():
    """An argument whose name or metavar says FILE, CERT or KEY must be an Input- or OutputFile."""
    for _words, parser in leaf_parsers(build_parser()):
        for action in parser._actions:
            if action.nargs == 0:  # a flag, such as --no-keyring
                continue
            label = f"{action.dest} {action.metavar or ''}".upper()
            if any(word in label for word in ("FILE", "CERT", "KEY", "P12")):
                assert action.type in (InputFile, OutputFile), (parser.prog, action.dest)
    assert len(file_argument_cases()) >= 16


def argv_for(words, parser, target, fifo, regular):
    """The command with every required argument filled, ``target`` naming the FIFO."""
    argv = list(words)
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or action.dest in ("vault", "user"):
            continue
        is_target = action is target
        if not (action.required or not action.option_strings or is_target):
            continue
        if action.type in (InputFile, OutputFile):
            value = (
                fifo if is_target else (regular if action.type is InputFile else regular + ".out")
            )
        elif action.choices:
            value = sorted(action.choices)[0]
        else:
            value = "x"
        argv += ([action.option_strings[-1]] if action.option_strings else []) + [value]
    return argv


# One interpreter runs every case through the real entry point; a hang shows as the timeout, and
# the markers say which case hung.
CHILD = r"""
import json, sys
from intake_app.cli import main
for argv in json.loads(sys.argv[1]):
    sys.stderr.write("\0BEGIN %s\n" % " ".join(argv)); sys.stderr.flush()
    code = main(argv)
    sys.stderr.flush(); sys.stderr.write("\0END %d\n" % code); sys.stderr.flush()
"""


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_a_fifo_folder_or_device_as_any_file_argument_is_refused_at_once(tmp_path, kind):
    special = {"fifo": tmp_path / "fifo", "folder": tmp_path / "folder", "device": "/dev/zero"}[
        kind
    ]
    if kind == "fifo":
        os.mkfifo(special)
    elif kind == "folder":
        special.mkdir()
    regular = tmp_path / "regular.txt"
    regular.write_text("x\n")
    vault = tmp_path / "vault"
    cases = [
        argv_for(words, parser, target, str(special), str(regular))
        + ["--vault", str(vault), "--user", "coord", "--no-keyring"]
        for words, parser, target in file_argument_cases()
    ]
    if kind == "device":  # writing to /dev/zero would not hang; only the inputs are asked
        cases = [
            c
            for c, (_w, _p, t) in zip(cases, file_argument_cases(), strict=True)
            if t.type is InputFile
        ]
    run = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(cases)],
        env=child_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    results = run.stderr.split("\0BEGIN ")[1:]
    assert len(results) == len(cases), run.stderr[-3000:]
    for chunk in results:
        command, _, rest = chunk.partition("\n")
        err, _, code = rest.rpartition("\0END ")
        assert int(code) == 2, (command, err)
        assert err.startswith("intake-app: ") and err.count("\n") == 1, (command, err)
        assert "not a file" in err and "Traceback" not in err, (command, err)
    assert not vault.exists()


def test_the_core_readers_behind_the_window_refuse_a_fifo_too(tmp_path):
    """The GUI's file pickers can name a FIFO as well: forms, backups and attachments are opened
    without blocking and checked (an alarm turns a hang into a failure)."""
    import signal

    from support import cheap_options, create_vault

    from intake_app.core.errors import InvalidInput
    from intake_app.core.forms.loader import FormError, read_form_file
    from intake_app.core.vault.backup import restore_backup

    fifo = tmp_path / "form.xlsx"
    os.mkfifo(fifo)
    signal.alarm(20)
    try:
        with pytest.raises(FormError) as refused:
            read_form_file(fifo)
        assert "not a file" in str(refused.value.problems[0])
        options = cheap_options()
        with pytest.raises(InvalidInput, match="not a file"):
            restore_backup(fifo, tmp_path / "restored", "coord", "x", options)
        services, _key = create_vault(tmp_path / "vault", options)
        try:
            case = services.cases.open(languages=["en"])
            with pytest.raises(InvalidInput, match="not a file"):
                services.attachments.add_file(case.reference, fifo)
        finally:
            services.lock()
    finally:
        signal.alarm(0)
