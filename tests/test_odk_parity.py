"""ODK parity of the form session (issue 17): what ODK Collect and Web Forms do, we do."""

from __future__ import annotations

from pathlib import Path

from support import FakeClock

from intake_app.core.forms.loader import load_form
from intake_app.core.forms.session import FormSession

FORMS = Path(__file__).parent / "forms" / "odk_parity"


def test_a_repeat_opens_with_one_entry_as_in_odk() -> None:
    session = FormSession(load_form(FORMS / "repeats.md"), clock=FakeClock())
    assert session.repeat_count("witnesses") == 1
    session.set("witness_name", "Amina", (("witnesses", 0),))
    assert session.value("witness_count") == "1"
    assert session.add_repeat("witnesses") == 1


def test_stored_answers_are_not_given_an_extra_entry() -> None:
    spec = load_form(FORMS / "repeats.md")
    session = FormSession(spec, answers={"witnesses": []}, clock=FakeClock())
    assert session.repeat_count("witnesses") == 0
