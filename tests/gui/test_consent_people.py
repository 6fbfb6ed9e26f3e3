"""Whose consent decision it is, in the consent tab and the export preview (issue 16 item 8)."""

from __future__ import annotations

import pytest
from gui_helpers import accept_next_dialog, unlock

from intake_app.core.records import Decision, PersonRole, Purpose
from intake_app.ui.consent_tab import ConsentDialog

pytestmark = pytest.mark.gui


def test_the_dialog_names_the_person_and_the_ledger_shows_whose_decision(window):
    unlock(window)
    services = window.services
    case = services.cases.open(languages=["ar"])
    ref = case.reference
    services.cases.add_person(ref, role=PersonRole.SURVIVOR, pseudonym="Survivor A")
    child = services.cases.add_person(
        ref, role=PersonRole.SURVIVOR, pseudonym="Child B", is_minor=True
    )
    services.cases.add_person(ref, role=PersonRole.GUARDIAN, pseudonym="Guardian C")
    # recorded before decisions named their person: the primary survivor's
    services.consent.record(
        ref, purpose=Purpose.RECORD_TESTIMONY, decision=Decision.GRANTED, explained_language="ar"
    )
    window.open_case(ref)
    tab = window.case_view.consent
    whose = tab.HEADERS.index("Whose decision")
    assert tab.table.item(0, whose).text() == "Survivor A (survivor)"

    def for_the_child(dialog):
        assert isinstance(dialog, ConsentDialog)
        labels = [dialog.person.itemText(i) for i in range(dialog.person.count())]
        assert labels[0] == "Survivor A (survivor)" and len(labels) == 3
        assert dialog.given_by.currentData() == "survivor"
        dialog.person.setCurrentIndex(dialog.person.findData(child.id))
        assert dialog.given_by.currentData() == "guardian"  # a child: the guardian gives it
        dialog.purpose.setCurrentIndex(dialog.purpose.findData("disclose_identity"))
        dialog.assent.setCurrentIndex(dialog.assent.findData("given"))

    accept_next_dialog(for_the_child)
    tab.record()
    assert tab.message.text() == "Recorded."
    recorded = [c for c in services.consent.ledger(ref) if c.purpose is Purpose.DISCLOSE_IDENTITY]
    assert [(c.person_id, c.given_by.value) for c in recorded] == [(child.id, "guardian")]
    texts = {tab.table.item(r, whose).text() for r in range(tab.table.rowCount())}
    assert "Child B (survivor, child)" in texts


def test_every_meaning_is_filled():
    from intake_app.core.labels import MEANING, PURPOSES

    assert set(MEANING) == set(PURPOSES)
