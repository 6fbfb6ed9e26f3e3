"""The Intake tab: the case's form responses, and any vault form to start."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from intake_app.core.errors import IntakeError
from intake_app.core.forms.session import FormSession
from intake_app.core.i18n import N_, _
from intake_app.ui.form_view import FormView, ask_for_file
from intake_app.ui.recovery_notice import RecoveryNotice

if TYPE_CHECKING:
    from intake_app.core.services import Services

# XLSForm titles have no translations; the shipped forms' titles come from our catalogs.
SHIPPED_TITLES = {
    "survivor_profile": N_("Survivor profile"),
    "informed_consent": N_("Informed consent"),
    "incident": N_("Incident"),
    "safety_needs": N_("Safety and immediate needs"),
    "contact_plan": N_("Contact plan"),
}


def form_title(form_id: str, title: str) -> str:
    return _(SHIPPED_TITLES[form_id]) if form_id in SHIPPED_TITLES else title


class IntakeTab(QWidget):
    def __init__(self, services: Services, reference: str, language: str | None = None) -> None:
        super().__init__()
        self._services, self._reference, self._language = services, reference, language
        self.view: FormView | None = None
        self._response_id: str | None = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.responses = QComboBox()
        self.responses.setAccessibleName(_("Answered forms"))
        self.responses.activated.connect(
            lambda _i: self.open_response(self.responses.currentData())
        )
        self.forms = QComboBox()
        self.forms.setAccessibleName(_("Forms"))
        self.start = QPushButton(_("Start this form"))
        self.start.clicked.connect(lambda: self.start_form(self.forms.currentData()))
        bar.addWidget(QLabel(_("Answered:")))
        bar.addWidget(self.responses, 1)
        bar.addWidget(QLabel(_("New:")))
        bar.addWidget(self.forms, 1)
        bar.addWidget(self.start)
        layout.addLayout(bar)
        self.recovered = RecoveryNotice()  # after a crash: what the autosave restored
        self._recovered = {d.record_id: d for d in services.forms.recovered()}
        layout.addWidget(self.recovered)
        self.body = QVBoxLayout()
        layout.addLayout(self.body, 1)
        self.message = QLabel()
        layout.addWidget(self.message)
        for definition in services.form_definitions.list():
            self.forms.addItem(
                f"{form_title(definition.form_id, definition.title)} ({definition.version})",
                definition.form_id,
            )
        self.reload()

    def reload(self) -> None:
        self.responses.clear()
        for response in self._services.forms.for_case(self._reference):
            title = form_title(
                response.form_id,
                self._services.form_definitions.get(response.form_id, response.form_version).title,
            )
            state = _("complete") if response.status == "complete" else _("draft")
            self.responses.addItem(f"{title} · {state}", response.id)
        if self.responses.count():
            self.open_response(self.responses.itemData(self.responses.count() - 1))

    def start_form(self, form_id: str) -> None:
        try:
            response, form = self._services.forms.start(
                self._reference, form_id, language=self._form_language(form_id)
            )
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.reload()
        self.open_response(response.id, form)

    def _form_language(self, form_id: str) -> str | None:
        languages = self._services.form_definitions.spec(form_id).languages
        return self._language if self._language in languages else None

    def open_response(self, response_id: str, form: FormSession | None = None) -> None:
        if self.view is not None:  # detach now: a view only scheduled for deletion still paints
            self.body.removeWidget(self.view)
            self.view.hide()
            self.view.setParent(None)
            self.view.deleteLater()
        self._response_id = response_id
        form = form or self._services.forms.session(response_id)
        self.view = FormView(form, self._save, self._attach)
        self.body.addWidget(self.view)
        draft = self._recovered.get(response_id)
        self.recovered.show_draft(
            draft, form_title(form.spec.form_id, form.spec.title) if draft else None
        )
        index = self.responses.findData(response_id)
        if index >= 0:
            self.responses.setCurrentIndex(index)

    def _save(self, form: FormSession, complete: bool) -> None:
        assert self._response_id is not None
        self._services.forms.save_session(self._response_id, form, complete=complete)
        if self._recovered.pop(self._response_id, None) is not None:  # goes on from here
            self.recovered.show_draft(None)

    def _attach(self, parent: QWidget) -> tuple[str, str] | None:
        path = ask_for_file(parent)
        if path is None:
            return None
        attachment = self._services.attachments.add_file(self._reference, path)
        return attachment.id, attachment.filename

    def clear(self) -> None:
        if self.view is not None:
            self.view.deleteLater()
            self.view = None
