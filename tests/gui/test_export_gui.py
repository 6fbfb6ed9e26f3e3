"""The export dialog, the history and the check of a sealed file, through the real widgets."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from gui_helpers import unlock
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from support import build_export_case, cheap_options, create_vault, recipient_key_and_certificate

from intake_app.core.records import Purpose
from intake_app.core.services.exports import ExportRequest
from intake_app.core.vault import audit
from intake_app.ui.export_dialog import ExportDialog
from intake_app.ui.shell import ShellWindow
from intake_app.ui.tasks import ImmediateRunner

pytestmark = pytest.mark.gui


@pytest.fixture
def export_window(qtbot, tmp_path):
    options = cheap_options()
    services, _key = create_vault(tmp_path / "vault", options)
    shared = build_export_case(services)
    refused = build_export_case(services, share=False)
    key, cert = recipient_key_and_certificate()
    services.recipients.add(
        name="Unit 3", organisation="Office of the Prosecutor", role="investigators",
        certificate=cert.public_bytes(serialization.Encoding.PEM),
    )  # fmt: skip
    (tmp_path / "signer.pem").write_bytes(services.identities.certificate_pem())
    (tmp_path / "recipient.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "recipient.key").write_bytes(
        serialization.load_der_private_key(key, None).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )  # fmt: skip
    services.lock()
    shell = ShellWindow(tmp_path / "vault", options, options.clock, ImmediateRunner())
    qtbot.addWidget(shell)
    shell.show()
    unlock(shell)
    yield shell, shared, refused, tmp_path
    shell.lock()


def test_the_dialog_previews_seals_and_shows_the_fingerprint(export_window):
    window, reference, _refused, tmp = export_window
    window.open_case(reference)
    tab = window.case_view.exports
    assert tab is not None and tab.table.rowCount() == 0
    dialog = tab.new_export()
    decisions = {
        dialog.preview.item(r, 0).text(): dialog.preview.item(r, 1).text()
        for r in range(dialog.preview.rowCount())
    }
    assert decisions["Survivor's identity"].startswith("withheld: no consent to disclose")
    assert decisions["Statements"] == "included: the survivor consented"
    notes = [
        dialog.preview.item(r, 1).text()
        for r in range(dialog.preview.rowCount())
        if dialog.preview.item(r, 0).text() == "Note"
    ]
    assert any("replaced by the pseudonym" in n for n in notes)
    assert dialog.fingerprint.text().count(":") == 31 and dialog.seal_button.isEnabled()
    dialog.out_path = str(tmp / "sealed.pdf")
    dialog.seal()
    assert dialog.result_sha256 and dialog.result_sha256 in dialog.message.text()
    assert (tmp / "sealed.pdf").stat().st_mode & 0o777 == 0o600
    assert tab.table.rowCount() == 1 and tab.table.item(0, 4).text() == dialog.result_sha256
    dialog.protection.setCurrentIndex(1)
    dialog.password.setText("a long shared password")
    dialog.password_again.setText("a different one entirely")
    dialog.out_path = str(tmp / "second.pdf")
    dialog.seal()
    assert (
        dialog.message.text() == "The two passwords differ." and not (tmp / "second.pdf").exists()
    )
    dialog.close()


def test_without_consent_the_dialog_says_why_and_cannot_seal(export_window, qtbot):
    window, _shared, refused, _tmp = export_window
    window.open_case(refused)
    dialog = window.case_view.exports.new_export()
    assert "live consent to share" in dialog.message.text()
    assert not dialog.seal_button.isEnabled() and dialog.preview.rowCount() == 0
    dialog.override.setPlainText("Court order 2026/114 requires disclosure to this unit now.")
    qtbot.waitUntil(dialog.seal_button.isEnabled)  # a coordinator's override, audited when sealed
    dialog.close()


def _actions_after(services, seq):
    return [e.action for e in reversed(audit.events(services.ctx.db)) if e.seq > seq]


def test_typing_a_justification_audits_nothing_and_sealing_audits_the_export_once(
    export_window, qtbot
):
    window, _shared, refused, tmp = export_window
    window.open_case(refused)
    services = window.services
    dialog = window.case_view.exports.new_export()
    head = audit.head(services.ctx.db).seq
    justification = "Court order 2026/114 obliges us to disclose this case now."
    assert len(justification) == 58
    qtbot.keyClicks(dialog.override, justification + "!!")  # 60 keystrokes
    # The preview waits for the typing to pause, then follows it, and writes no audit event.
    assert not dialog.seal_button.isEnabled()
    qtbot.waitUntil(dialog.seal_button.isEnabled)
    assert _actions_after(services, head) == []
    dialog.out_path = str(tmp / "sealed.pdf")
    dialog.seal()
    assert dialog.result_sha256 and (tmp / "sealed.pdf").exists()
    by_gui = _actions_after(services, head)
    assert by_gui == ["statement.viewed", "export.sealed"]
    dialog.close()
    head = audit.head(services.ctx.db).seq
    services.exports.export(
        ExportRequest(refused, "Unit 3", override_justification=justification + "!!")
    )
    assert _actions_after(services, head) == by_gui  # the same events as any other client


def test_locking_while_the_preview_waits_for_a_pause_leaves_nothing_to_run(export_window, qtbot):
    window, _shared, refused, _tmp = export_window
    window.open_case(refused)
    dialog = window.case_view.exports.new_export()
    qtbot.keyClicks(dialog.override, "Court order 2026/114 obliges us to disclose")
    window.lock()  # closes the dialog before its preview ran
    assert not dialog.isVisible() and not dialog._pending_refresh.isActive()
    qtbot.wait(400)  # past the pause: no preview runs on the locked vault (nothing raises)
    assert window.services is None


class HeldRunner:
    """Keeps the background work until the test lets it run, as a slow worker would."""

    def __init__(self):
        self.held = []

    def run(self, fn, on_success, on_error):
        self.held.append((fn, on_success, on_error))

    def release(self):
        fn, on_success, on_error = self.held.pop(0)
        try:
            result = fn()
        except BaseException as exc:  # noqa: BLE001 - handed over, as the real runner does
            on_error(exc)
            return
        on_success(result)


def _withdraw_sharing(window, reference):
    services = window.services
    (share,) = [
        c for c in services.consent.ledger(reference) if c.purpose is Purpose.SHARE_INVESTIGATORS
    ]
    services.consent.withdraw(share.id, "She called while the file was being sealed.")


@pytest.mark.parametrize(
    ("meanwhile", "said"),
    [
        (_withdraw_sharing, "live consent to share"),
        (lambda window, _reference: window.lock(), "The vault is locked."),
    ],
    ids=["the consent is withdrawn", "the vault is locked"],
)
def test_a_file_that_could_not_be_recorded_is_removed(export_window, meanwhile, said):
    window, reference, _refused, tmp = export_window
    window.open_case(reference)
    runner = HeldRunner()
    dialog = ExportDialog(window.services, reference, runner, window)
    dialog.out_path = str(tmp / "sealed.pdf")
    dialog.seal()
    assert dialog.progress.isVisibleTo(dialog) and len(runner.held) == 1  # sealing, in a worker
    meanwhile(window, reference)
    runner.release()
    assert not (tmp / "sealed.pdf").exists() and list(tmp.glob("*.pdf")) == []
    assert said in dialog.message.text() and dialog.seal_button.isEnabled()
    if window.services is None:
        unlock(window)
    assert window.services.exports.history(reference) == []


def test_a_dropped_file_is_checked_and_matched_to_its_record(export_window, qtbot):
    window, reference, _refused, tmp = export_window
    window.open_case(reference)
    dialog = window.case_view.exports.new_export()
    dialog.out_path = str(tmp / "sealed.pdf")
    dialog.seal()
    dialog.close()
    check = window.verify_file()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp / "sealed.pdf"))])
    drop = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    check.dropEvent(drop)
    assert check.file.path() == str(tmp / "sealed.pdf")
    check.signer.edit.setText(str(tmp / "signer.pem"))
    check.key.edit.setText(str(tmp / "recipient.key"))
    check.cert.edit.setText(str(tmp / "recipient.pem"))
    check.run_check()
    assert check.check is not None and check.result_label.text().startswith("VALID")
    assert "Matches export" in check.result_label.text()
    data = bytearray(Path(tmp / "sealed.pdf").read_bytes())
    data[len(data) // 2] ^= 0x20
    (tmp / "altered.pdf").write_bytes(bytes(data))
    check.file.edit.setText(str(tmp / "altered.pdf"))
    check.run_check()
    assert check.check is None and check.result_label.text().startswith("NOT VALID")
    check.close()


def test_recipients_are_added_with_their_fingerprint_and_dialogs_close_on_lock(export_window):
    window, _shared, _refused, tmp = export_window
    dialog = window.manage_recipients()
    assert dialog.table.rowCount() == 1 and dialog.form.isVisible()
    dialog.name.setText("Unit 9")
    dialog.organisation.setText("Special Tribunal")
    dialog.category.setCurrentIndex(2)  # prosecutors
    dialog.certificate.setText(str(tmp / "recipient.pem"))
    dialog.add()
    assert "Unit 9 added" in dialog.message.text() and dialog.table.rowCount() == 2
    fingerprints = [dialog.table.item(r, 4).text() for r in range(2)]
    assert all(f.count(":") == 31 for f in fingerprints)
    dialog.name.setText("Junk")
    dialog.organisation.setText("X")
    dialog.certificate.setText(str(tmp / "recipient.key"))
    dialog.add()
    assert "not a readable X.509 certificate" in dialog.message.text()
    assert dialog.table.rowCount() == 2
    dialog.save_certificate(str(tmp / "mine.pem"))
    assert (tmp / "mine.pem").read_bytes().startswith(b"-----BEGIN CERTIFICATE")
    window.lock()
    assert not dialog.isVisible()


def test_the_preview_lists_every_person_of_the_case(export_window):
    from intake_app.core.records import PersonRole

    window, reference, _refused, _tmp = export_window
    window.services.cases.add_person(
        reference, role=PersonRole.GUARDIAN, pseudonym="Guardian G-1", legal_name="Huda Name"
    )
    window.open_case(reference)
    dialog = window.case_view.exports.new_export()
    rows = {
        dialog.preview.item(r, 0).text(): dialog.preview.item(r, 1).text()
        for r in range(dialog.preview.rowCount())
    }
    assert rows["Person: Survivor A-17 (survivor)"].startswith("withheld: this person has not")
    assert rows["Person: Guardian G-1 (parent or guardian)"].startswith("withheld")
    assert not any("Huda Name" in k for k in rows)
    notes = [
        dialog.preview.item(r, 1).text()
        for r in range(dialog.preview.rowCount())
        if dialog.preview.item(r, 0).text() == "Note"
    ]
    assert any("marks it as a draft" in n for n in notes)  # the incident form is unfinished
    dialog.close()
