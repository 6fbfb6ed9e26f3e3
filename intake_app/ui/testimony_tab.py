"""Testimony: a verbatim editor that autosaves, sealing with read-back, amendments, history."""

from __future__ import annotations

import difflib
import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from intake_app.core.clock import Clock, parse_iso
from intake_app.core.errors import IntakeError
from intake_app.core.i18n import (
    SHIPPED_LANGUAGES,
    _,
    current_language,
    format_datetime,
    language_name,
)
from intake_app.core.records import Readback, Statement, StatementStatus
from intake_app.core.testimony import AutosaveTimer
from intake_app.ui.clipboard import SensitiveClipboard, SensitiveTextEdit
from intake_app.ui.dialogs import ReasonDialog, accepted
from intake_app.ui.recovery_notice import RecoveryNotice
from intake_app.ui.text_direction import html_dir, isolate, set_text_language

if TYPE_CHECKING:
    from intake_app.core.services import Services

TICK_MS = 150


class SealDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Seal the statement"))
        layout = QVBoxLayout(self)
        explain = QLabel(
            _(
                "Sealing fixes this text for good and records its fingerprint (SHA-256). "
                "A sealed statement can only be corrected by a new version that keeps the old one."
            )
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)
        form = QFormLayout()
        self.readback = QComboBox()
        self.readback.addItem(
            _("Read back to the survivor and confirmed"), Readback.CONFIRMED.value
        )
        self.readback.addItem(_("The survivor did not want it read back"), Readback.DECLINED.value)
        self.readback.addItem(_("Reading back was not possible"), Readback.NOT_POSSIBLE.value)
        self.note = QLineEdit()
        form.addRow(_("Read-back"), self.readback)
        form.addRow(_("Note"), self.note)
        self.readback.setAccessibleName(_("Read-back"))
        self.note.setAccessibleName(_("Note"))
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class TestimonyTab(QWidget):
    """One statement at a time; drafts save themselves (≤ 1 s), sealed text is read-only.

    ``clock`` times the autosave (its monotonic seconds): the shell's, so a test moves it."""

    def __init__(
        self,
        services: Services,
        reference: str,
        clock: Clock,
        clipboard: SensitiveClipboard | None = None,
    ) -> None:
        super().__init__()
        self._services, self._reference, self._clock = services, reference, clock
        self._statement: Statement | None = None
        self._autosave = AutosaveTimer()
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.tick)
        self._tick.start()
        outer = QHBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(splitter)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        self.statements = QListWidget()
        self.statements.currentRowChanged.connect(self._select)
        self.new_button = QPushButton()
        self.new_button.clicked.connect(self.new_statement)
        left_layout.addWidget(self.statements)
        left_layout.addWidget(self.new_button)
        splitter.addWidget(left)
        right = QWidget()
        layout = QVBoxLayout(right)
        self.recovered = RecoveryNotice()  # after a crash: what the autosave restored
        self._recovered = {d.record_id: d for d in services.statements.recovered()}
        layout.addWidget(self.recovered)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        layout.addWidget(self.banner)
        editors = QHBoxLayout()
        self.text = SensitiveTextEdit(clipboard)
        self.translation = SensitiveTextEdit(clipboard)
        self.text.textChanged.connect(self._edited)
        self.translation.textChanged.connect(self._edited)
        # The translation's language is part of the sealed record (its hash covers it): the
        # translator says which it is; it starts as the interviewer's own, the interface's.
        self.translation_language = QComboBox()
        self.translation_language.currentIndexChanged.connect(self._language_chosen)
        self.translation_language_label = QLabel()
        self.translation_language_label.setBuddy(self.translation_language)
        language_row = QHBoxLayout()
        language_row.addWidget(self.translation_language_label)
        language_row.addWidget(self.translation_language, 1)
        translation_column = QVBoxLayout()
        translation_column.addLayout(language_row)
        translation_column.addWidget(self.translation)
        editors.addWidget(self.text, 3)
        editors.addLayout(translation_column, 2)
        layout.addLayout(editors)
        row = QHBoxLayout()
        self.saved = QLabel()
        self.saved.setAccessibleName(_("Save state"))
        self.seal_button, self.amend_button = QPushButton(), QPushButton()
        self.seal_button.clicked.connect(self.seal)
        self.amend_button.clicked.connect(self.amend)
        row.addWidget(self.saved, 1)
        row.addWidget(self.amend_button)
        row.addWidget(self.seal_button)
        layout.addLayout(row)
        self.history = QTextBrowser()
        self.history.setMaximumHeight(160)
        layout.addWidget(self.history)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        self.retranslate_ui()
        self.reload()

    def retranslate_ui(self) -> None:
        self.new_button.setText(_("New statement"))
        self.seal_button.setText(_("Seal…"))
        self.amend_button.setText(_("Amend…"))
        self.text.setAccessibleName(_("Testimony, verbatim"))
        self.text.setPlaceholderText(_("The survivor's words, exactly as spoken"))
        self.translation.setAccessibleName(_("Translation"))
        self.translation.setPlaceholderText(_("Translation (optional)"))
        self.translation_language_label.setText(_("Translated into:"))
        self.translation_language.setAccessibleName(_("Language of the translation"))
        self._show()

    # -- loading --------------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        statements = self._services.statements.for_case(self._reference)
        self.statements.blockSignals(True)
        self.statements.clear()
        for statement in statements:
            item = QListWidgetItem(
                _("{title} · version {number}").format(
                    title=statement.title, number=statement.current.number
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, statement.id)
            self.statements.addItem(item)
        self.statements.blockSignals(False)
        ids = [s.id for s in statements]
        row = ids.index(select) if select in ids else (len(ids) - 1 if ids else -1)
        self.statements.setCurrentRow(row)
        self._select(row)

    def _select(self, row: int) -> None:
        self.flush()
        item = self.statements.item(row) if row >= 0 else None
        self._statement = (
            self._services.statements.get(item.data(Qt.ItemDataRole.UserRole)) if item else None
        )
        self._show()

    def _show(self) -> None:
        statement = self._statement
        current = statement.current if statement else None
        for editor, value, language in (
            (self.text, current.text if current else "", current.language if current else None),
            (
                self.translation,
                current.translation if current else "",
                (current.translation_language or current_language()) if current else None,
            ),
        ):
            set_text_language(editor, language)  # Arabic testimony right-aligned, any interface
            editor.blockSignals(True)
            editor.setPlainText(value or "")
            editor.blockSignals(False)
        sealed = current is not None and current.status is StatementStatus.SEALED
        for editor in (self.text, self.translation):
            editor.setReadOnly(current is None or sealed)
        self._show_languages(current.translation_language if current else None)
        self.translation_language.setEnabled(current is not None and not sealed)
        self.seal_button.setEnabled(current is not None and not sealed)
        self.amend_button.setEnabled(sealed)
        if current is None:
            self.banner.setText(_("No statement yet. Start one when the survivor is ready."))
        elif sealed:
            self.banner.setText(
                _(
                    "Sealed {when} · SHA-256 {digest}. Sealed text cannot change; amend it as a new "
                    "version."
                ).format(when=_when(current.sealed_at), digest=current.sha256)
            )
        else:
            self.banner.setText(
                _("Draft, version {number}: saved automatically as you type.").format(
                    number=current.number
                )
            )
        self.saved.setText("")
        self.recovered.show_draft(self._recovered.get(current.id) if current else None)
        self._history()

    def _history(self) -> None:
        if self._statement is None or len(self._statement.versions) < 2:
            self.history.setHtml("")
            return
        parts = []
        versions = self._statement.versions
        for older, newer in zip(versions, versions[1:], strict=False):
            diff = difflib.ndiff((older.text or "").split(), (newer.text or "").split())
            words = []
            for token in diff:
                word = html.escape(token[2:])
                if token.startswith("- "):
                    words.append(f"<del style='color:#b00'>{word}</del>")
                elif token.startswith("+ "):
                    words.append(f"<ins style='color:#060'>{word}</ins>")
                elif token.startswith("  "):
                    words.append(word)
            # The header reads in the interface language with the typed reason isolated; the
            # words read in the testimony's own language (a paragraph each: dir is per block).
            header = html.escape(
                _("Version {old} → {new}: {reason}").format(
                    old=older.number,
                    new=newer.number,
                    reason=isolate(newer.amendment_reason or ""),
                )
            )
            parts.append(f"<p dir='{html_dir(current_language())}'><b>{header}</b></p>")
            parts.append(f"<p dir='{html_dir(newer.language)}'>{' '.join(words)}</p>")
        self.history.setHtml("".join(parts))

    def _show_languages(self, chosen: str | None) -> None:
        """The shipped languages, named in the interface language, with the version's own
        (or, for a translation not yet given one, the interface language) selected."""
        chosen = chosen or current_language()
        codes = list(SHIPPED_LANGUAGES) + ([chosen] if chosen not in SHIPPED_LANGUAGES else [])
        combo = self.translation_language
        combo.blockSignals(True)
        combo.clear()
        for code in codes:
            combo.addItem(language_name(code), code)
        combo.setCurrentIndex(codes.index(chosen))
        combo.blockSignals(False)

    def _language_chosen(self) -> None:
        if self.translation.toPlainText():
            self._edited()

    # -- autosave -------------------------------------------------------------------------------
    def _edited(self) -> None:
        self._autosave.changed(self._clock.monotonic())
        self.saved.setText(_("Not saved yet…"))

    def tick(self) -> None:
        now = self._clock.monotonic()
        if self._autosave.due(now):
            self.flush(settle=False)  # typing goes on: the search entry waits for a pause
        elif self._autosave.settle_due(now):
            self._settle_search()

    def _settle_search(self) -> None:
        current = self._statement.current if self._statement else None
        if current is not None and current.status is not StatementStatus.SEALED:
            try:
                self._services.statements.settle_search(current.id)
            except IntakeError:  # the lock, a backup or the next unlock settles it instead
                return
        self._autosave.settled()

    def flush(self, *, settle: bool = True) -> None:
        """Save the draft now (also on switching statements, locking and closing); ``settle``
        brings its search entry up to date too."""
        current = self._statement.current if self._statement else None
        if self._autosave.search_behind and settle and not self._autosave.dirty:
            self._settle_search()
        if not self._autosave.dirty or current is None or current.status is StatementStatus.SEALED:
            return
        try:
            saved_at = self._services.statements.save_draft(
                current.id,
                text=self.text.toPlainText(),
                translation=self.translation.toPlainText() or None,
                translation_language=(
                    str(self.translation_language.currentData())
                    if self.translation.toPlainText()
                    else None
                ),
                settle=settle,
            )
        except IntakeError as exc:  # the text stays in the editor; the user is told
            self.saved.setText(_("Not saved: {reason}").format(reason=exc.message))
            return
        self._autosave.saved(search_behind=not settle)
        if self._recovered.pop(current.id, None) is not None:  # the typing goes on from here
            self.recovered.show_draft(None)
        self.saved.setText(_("Saved {when}").format(when=_when(saved_at)))

    # -- actions ---------------------------------------------------------------------------------
    def new_statement(self) -> None:
        try:
            case = self._services.cases.get(self._reference)
            language = case.languages[0] if case.languages else current_language()
            statement = self._services.statements.create(
                self._reference, title=_("Statement"), language=language
            )
        except IntakeError as exc:
            self.saved.setText(exc.message)
            return
        self.reload(select=statement.id)
        self.text.setFocus()

    def seal(self) -> None:
        self.flush()
        if self._statement is None:
            return
        dialog = SealDialog(self)
        if not accepted(dialog):
            return
        try:
            sealed = self._services.statements.seal(
                self._statement.current.id,
                readback=Readback(dialog.readback.currentData()),
                readback_note=dialog.note.text() or None,
            )
        except IntakeError as exc:
            self.saved.setText(exc.message)
            return
        self.reload(select=sealed.id)

    def amend(self) -> None:
        if self._statement is None:
            return
        dialog = ReasonDialog(
            _("Amend the statement"), _("Why is the statement being amended?"), self
        )
        if not accepted(dialog):
            return
        try:
            amended = self._services.statements.amend(self._statement.id, reason=dialog.reason())
        except IntakeError as exc:
            self.saved.setText(exc.message)
            return
        self.reload(select=amended.id)

    def clear(self) -> None:
        """On lock: nothing of the testimony may stay in a widget or an undo stack."""
        self._tick.stop()
        for editor in (self.text, self.translation):
            editor.blockSignals(True)
            editor.clear()
            editor.document().clearUndoRedoStacks()
            editor.blockSignals(False)
        self.statements.clear()
        self.history.clear()
        self._statement = None


def _when(stamp: str | None) -> str:
    if not stamp:
        return ""
    return format_datetime(parse_iso(stamp), width="short")
