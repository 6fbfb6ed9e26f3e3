"""Every enum-valued argument refuses a wrong value by naming the valid ones, in the user's
language (issue 16: "unknown type 'legal' — use one of: medical, legal_aid, …")."""

from __future__ import annotations

import argparse

import pytest
from support import Cli

from intake_app.cli.parser import build_parser
from intake_app.core.errors import InvalidInput
from intake_app.core.i18n import set_language
from intake_app.core.records import CaseStatus, Role


def _choice_actions(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield parser, action
            for sub in action.choices.values():
                yield from _choice_actions(sub)
        elif action.choices is not None:
            yield parser, action


def test_every_argument_with_choices_names_all_of_them_when_refused():
    found = list(_choice_actions(build_parser()))
    options = {o for _p, a in found for o in a.option_strings}
    assert {"--role", "--status", "--purpose", "--category", "--language"} <= options
    for parser, action in found:
        with pytest.raises(InvalidInput) as refused:
            parser._check_value(action, "nope")
        message = refused.value.message
        assert message.startswith("unknown value 'nope' for ")
        assert all(str(choice) in message for choice in action.choices), message
        assert "invalid choice" not in message and "--help" in message


@pytest.mark.parametrize(
    ("argv", "valid"),
    [
        (["user", "add", "--name", "amal", "--role", "boss"], [r.value for r in Role]),
        (["cases", "--status", "gone"], [s.value for s in CaseStatus]),
        (["cases", "--language", "xx"], ["en", "fr", "es", "ar", "uk"]),
        (["frobnicate"], ["init", "providers", "selftest"]),
        (
            ["recipient", "add", "--name", "a", "--org", "b", "--category", "press"],
            ["investigators", "prosecutors", "service_providers"],
        ),
        (
            ["export", "C-1", "--recipient", "a", "--out", "x.pdf", "--purpose", "fun"],
            ["share_investigators", "refer_services"],
        ),
    ],
)
def test_a_wrong_value_on_the_command_line_is_one_sentence_naming_the_valid_ones(
    tmp_path, argv, valid
):
    code, out, err = Cli(tmp_path / "v")(*argv, stdin="")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("intake-app: unknown value ") and "use one of: " in err
    assert all(v in err for v in valid), err


def test_the_refusal_is_in_the_users_language(tmp_path):
    try:
        code, _out, err = Cli(tmp_path / "v")(
            "--language", "fr", "user", "add", "--name", "amal", "--role", "boss", stdin=""
        )
    finally:
        set_language("en")
    assert code == 2 and "valeur inconnue « boss » pour --role" in err, err
    assert "coordinator" in err and "utilisez" in err
