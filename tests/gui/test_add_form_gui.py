"""Coordinators add a form and the media files it reads from the Vault menu (issue 17)."""

from __future__ import annotations

from pathlib import Path

from gui_helpers import unlock

FORMS = Path(__file__).resolve().parents[1] / "forms"
CORPUS = FORMS / "corpus"


def test_a_coordinator_adds_a_form_with_its_media_from_the_vault_menu(window):
    unlock(window)
    assert window.add_form_action.isVisible()
    dialog = window.add_form()
    dialog.form_file.setText(str(CORPUS / "external_choices.md"))
    assert not dialog.add()  # without its media: nothing added, each file named
    assert "villages.csv" in dialog.outcome.text()
    assert "corpus_external" not in {d.form_id for d in window.services.form_definitions.list()}
    for media in ("villages.csv", "clinics.csv"):
        dialog.media.addItem(str(CORPUS / "media" / media))
    assert dialog.add()
    assert dialog.outcome.text() == "Form corpus_external version 2 is in the vault (en)."
    spec = window.services.form_definitions.spec("corpus_external")
    assert [c.name for c in spec.choices["villages.csv"]] == ["v1", "v2", "v3"]


def test_a_broken_form_or_a_pipe_gets_one_sentence_and_adds_nothing(window, tmp_path):
    import os

    unlock(window)
    dialog = window.add_form()
    before = len(window.services.form_definitions.list(all_versions=True))
    dialog.form_file.setText(str(FORMS / "broken" / "bad_expression.md"))
    assert not dialog.add() and "not a valid expression" in dialog.outcome.text()
    pipe = tmp_path / "form.md"
    os.mkfifo(pipe)
    dialog.form_file.setText(str(pipe))
    assert not dialog.add() and "pipe" in dialog.outcome.text()
    assert len(window.services.form_definitions.list(all_versions=True)) == before


def test_the_action_is_gone_after_lock(window):
    unlock(window)
    window.lock()
    assert not window.add_form_action.isVisible() and window.add_form() is None
