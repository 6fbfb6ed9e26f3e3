"""Keeping the survivor informed: the safe-contact plan, case updates drafted in the survivor's
language and followed to acknowledgement, the printable letter, and the promises made to them.
Nothing here shows testimony; a liaison officer works from this tab."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.core.errors import IntakeError
from intake_app.core.i18n import N_, _, format_day, format_list, language_name
from intake_app.core.labels import CHANNELS, UPDATE_KINDS, UPDATE_STATUSES
from intake_app.core.permissions import Permission
from intake_app.core.records import (
    Channel,
    ContactPlan,
    LiaisonUpdate,
    Promise,
    UpdateKind,
    UpdateStatus,
)
from intake_app.core.user_files import write_new_file
from intake_app.ui.dialogs import (
    FieldsDialog,
    ReasonDialog,
    accepted,
    date_field,
    end_of_day,
    picked_date,
)
from intake_app.ui.liaison_dialogs import (
    checkbox,
    checked_channels,
    combo,
    draft_dialog,
    line_text,
    plain,
    plan_dialog,
)
from intake_app.ui.tables import fill, record_table
from intake_app.ui.text_direction import set_text_language

if TYPE_CHECKING:
    from intake_app.core.services import Services

NEXT_STATUS = {
    UpdateStatus.SENT: N_("Mark sent"),
    UpdateStatus.DELIVERED: N_("Mark delivered"),
    UpdateStatus.ACKNOWLEDGED: N_("Mark acknowledged"),
}


class LiaisonTab(QWidget):
    UPDATE_HEADERS = (
        N_("Prepared"), N_("Kind"), N_("Channel"), N_("Language"), N_("Status"),
        N_("News promised by"),
    )  # fmt: skip
    PROMISE_HEADERS = (N_("Due"), N_("What was promised"))

    def __init__(self, services: Services, reference: str) -> None:
        super().__init__()
        self._services, self._reference = services, reference
        self._updates: list[LiaisonUpdate] = []
        self._promises: list[Promise] = []
        can_write = services.ctx.can(Permission.LIAISON_WRITE)
        layout = QVBoxLayout(self)
        plan_box = QGroupBox(_("Safe contact plan"))
        plan_layout = QHBoxLayout(plan_box)
        self.plan = QLabel()
        self.plan.setWordWrap(True)
        self.plan.setAccessibleName(_("Safe contact plan"))
        self.show_code = QCheckBox(_("Show the code word"))
        self.show_code.toggled.connect(lambda _on: self.reload())
        self.edit_plan_button = QPushButton(_("Edit the plan…"))
        self.edit_plan_button.clicked.connect(self.edit_plan)
        self.edit_plan_button.setVisible(services.ctx.can(Permission.CONTACT_PLAN_WRITE))
        plan_layout.addWidget(self.plan, 1)
        plan_layout.addWidget(self.show_code)
        plan_layout.addWidget(self.edit_plan_button)
        layout.addWidget(plan_box)

        self.updates = record_table(self.UPDATE_HEADERS, _("Case updates"))
        self.updates.itemSelectionChanged.connect(self._show_selected)
        layout.addWidget(self.updates)
        self.body = QPlainTextEdit()
        self.body.setReadOnly(True)
        self.body.setMaximumHeight(110)
        self.body.setAccessibleName(_("Text of the selected update"))
        layout.addWidget(self.body)
        row = QHBoxLayout()
        self.draft_button = QPushButton(_("Draft an update…"))
        self.draft_button.clicked.connect(self.draft_update)
        row.addWidget(self.draft_button)
        self.status_buttons: dict[UpdateStatus, QPushButton] = {}
        for status, label in NEXT_STATUS.items():
            button = QPushButton(_(label))
            button.clicked.connect(lambda _c=False, s=status: self.set_status(s))
            self.status_buttons[status] = button
            row.addWidget(button)
        self.failed_button = QPushButton(_("Could not deliver…"))
        self.failed_button.clicked.connect(self.mark_failed)
        row.addWidget(self.failed_button)
        self.letter_button = QPushButton(_("Save as a letter (PDF)…"))
        self.letter_button.clicked.connect(lambda: self.save_letter())
        row.addWidget(self.letter_button)
        row.addStretch()
        for button in (self.draft_button, self.failed_button, *self.status_buttons.values()):
            button.setVisible(can_write)
        layout.addLayout(row)

        self.promises = record_table(self.PROMISE_HEADERS, _("Promises not yet kept"))
        self.promises.setMaximumHeight(120)
        layout.addWidget(QLabel(_("News promised to the survivor, not yet given:")))
        layout.addWidget(self.promises)
        row = QHBoxLayout()
        self.promise_button = QPushButton(_("Record a promise…"))
        self.promise_button.clicked.connect(self.record_promise)
        self.kept_button = QPushButton(_("The news was given"))
        self.kept_button.clicked.connect(lambda: self.keep_promise())
        for button in (self.promise_button, self.kept_button):
            button.setVisible(can_write)
            row.addWidget(button)
        row.addStretch()
        layout.addLayout(row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(_("Message"))
        layout.addWidget(self.message)
        self.reload()

    # -- display ------------------------------------------------------------------------------
    def reload(self) -> None:
        services = self._services
        plan = services.liaison.contact_plan(self._reference)
        if plan is None:
            self.plan.setText(
                _("No contact plan yet: agree safe channels with the survivor first.")
            )
        else:
            code = plan.code_word if self.show_code.isChecked() else "••••"
            parts = [
                _("Safe: {channels}").format(
                    channels=format_list([_(CHANNELS[c]) for c in plan.safe_channels]) or "—"
                ),
                _("Never: {channels}").format(
                    channels=format_list([_(CHANNELS[c]) for c in plan.unsafe_channels]) or "—"
                ),
                _("Safe times: {times}").format(times=plan.safe_times or "—"),
                _("Language: {language}").format(
                    language=language_name(plan.preferred_language)
                    if plan.preferred_language
                    else "—"
                ),
                _("Intermediary: {who}").format(who=plan.intermediary or "—"),
                _("Code word: {code}").format(code=code if plan.code_word else "—"),
            ]
            self.plan.setText("\n".join(parts))
        self._updates = services.liaison.for_case(self._reference)
        fill(
            self.updates,
            (
                (
                    format_day(u.prepared_at),
                    _(UPDATE_KINDS[u.kind]),
                    _(CHANNELS[u.channel]),
                    language_name(u.language),
                    _(UPDATE_STATUSES[u.status])
                    + (f" — {u.failure_reason}" if u.failure_reason else ""),
                    format_day(u.feedback_due),
                )
                for u in self._updates
            ),
        )
        self._promises = services.liaison.promises(self._reference)
        now, late = services.ctx.now(), " — " + _("overdue")
        fill(
            self.promises,
            (
                # an update's kind is stored as its message key; an officer's words stay as typed
                (format_day(p.due_at) + (late if p.due_at < now else ""), _(p.what))
                for p in self._promises
            ),
        )
        self._show_selected()

    def selected(self) -> LiaisonUpdate | None:
        row = self.updates.currentRow()
        return self._updates[row] if 0 <= row < len(self._updates) else None

    def _show_selected(self) -> None:
        update = self.selected()
        set_text_language(
            self.body, update.language if update else None
        )  # the letter's, not the UI's
        self.body.setPlainText(update.body if update else "")
        self.letter_button.setEnabled(update is not None)

    # -- the plan -----------------------------------------------------------------------------
    def edit_plan(self) -> None:
        dialog = self._plan_dialog(self._services.liaison.contact_plan(self._reference))
        if not accepted(dialog):
            return
        f = dialog.fields
        try:
            self._services.liaison.set_contact_plan(
                self._reference,
                safe_channels=checked_channels(f["safe"]),
                unsafe_channels=checked_channels(f["never"]),
                safe_times=line_text(f["times"]),
                code_word=line_text(f["code"]),
                intermediary=line_text(f["intermediary"]),
                preferred_language=combo(f["language"]).currentData() or None,
            )
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(_("Contact plan saved."))
        self.reload()

    def _plan_dialog(self, plan: ContactPlan | None) -> FieldsDialog:
        return plan_dialog(plan, self)

    def _draft_dialog(self, channels: tuple[Channel, ...], preferred: str | None) -> FieldsDialog:
        return draft_dialog(
            self._services, self._reference, channels, preferred, self, self.message.setText
        )

    # -- updates ------------------------------------------------------------------------------
    def draft_update(self) -> None:
        services = self._services
        plan = services.liaison.contact_plan(self._reference)
        if plan is None or not plan.safe_channels:
            self.message.setText(
                _("No contact plan yet: agree safe channels with the survivor first.")
            )
            return
        dialog = self._draft_dialog(plan.safe_channels, plan.preferred_language)
        if not accepted(dialog):
            return
        f = dialog.fields
        promise = f["promise_by"]
        assert isinstance(promise, QDateEdit)
        try:
            services.liaison.prepare_update(
                self._reference,
                kind=UpdateKind(combo(f["kind"]).currentData()),
                channel=Channel(combo(f["channel"]).currentData()),
                language=str(combo(f["language"]).currentData()),
                body=plain(f["text"]).toPlainText(),
                feedback_due=end_of_day(picked_date(promise))
                if checkbox(f["promise"]).isChecked()
                else None,
            )
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(_("Update prepared. Mark it sent when it has gone."))
        self.reload()

    def set_status(self, status: UpdateStatus) -> None:
        update = self.selected()
        if update is None:
            self.message.setText(_("Choose an update first."))
            return
        try:
            self._services.liaison.set_status(update.id, status)
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.reload()

    def mark_failed(self) -> None:
        update = self.selected()
        if update is None:
            self.message.setText(_("Choose an update first."))
            return
        dialog = ReasonDialog(
            _("Could not deliver"), _("What happened? (no answer, wrong number, unsafe…)"), self
        )
        if not accepted(dialog):
            return
        try:
            self._services.liaison.set_status(
                update.id, UpdateStatus.FAILED, failure_reason=dialog.reason()
            )
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.reload()

    def save_letter(self, path: str | None = None) -> None:
        update = self.selected()
        if update is None:
            self.message.setText(_("Choose an update first."))
            return
        path = (
            path
            or QFileDialog.getSaveFileName(self, _("Save the letter"), "letter.pdf", "PDF (*.pdf)")[
                0
            ]
        )
        if not path:
            return
        try:
            pdf, missing = self._services.liaison.letter(update.id)
            write_new_file(path, pdf)
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(
            _("Letter saved: {path}").format(path=path)
            + (" " + _("Some characters have no font and show as boxes.") if missing else "")
        )

    # -- promises -----------------------------------------------------------------------------
    def record_promise(self) -> None:
        today = self._services.ctx.clock.now().date()
        dialog = FieldsDialog(
            _("Record a promise"),
            [
                ("what", _("What was promised"), QLineEdit()),
                ("due", _("By"), date_field(today + timedelta(days=14))),
            ],
            self,
        )
        if not accepted(dialog):
            return
        what, due = dialog.fields["what"], dialog.fields["due"]
        assert isinstance(what, QLineEdit) and isinstance(due, QDateEdit)
        try:
            self._services.liaison.promise(
                self._reference, due_at=end_of_day(picked_date(due)), what=what.text()
            )
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.reload()

    def keep_promise(self) -> None:
        row = self.promises.currentRow()
        if not 0 <= row < len(self._promises):
            self.message.setText(_("Choose a promise first."))
            return
        try:
            self._services.liaison.keep(self._promises[row].id)
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.reload()
