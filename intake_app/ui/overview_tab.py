"""A case's overview: status, languages, the people in it (survivor, guardian, witnesses)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.core.errors import IntakeError
from intake_app.core.i18n import N_, _, current_language, format_list, is_rtl, language_name
from intake_app.core.labels import PERSON_ROLES
from intake_app.core.permissions import Permission
from intake_app.core.records import CaseStatus, Person, PersonRole
from intake_app.ui.dialogs import ReasonDialog, accepted
from intake_app.ui.language_picker import LanguagePicker
from intake_app.ui.models import CaseTableModel

if TYPE_CHECKING:
    from intake_app.core.services import Services


class PersonDialog(QDialog):
    """Add a person, or edit one (``person`` given): changing a legal name or a date of birth
    asks for a reason, kept in the audit event; a role that may not read identity (S38) never
    sees the full name field."""

    def __init__(
        self,
        parent: QWidget | None = None,
        person: Person | None = None,
        *,
        identity: bool = True,
        languages: tuple[str, ...] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Edit a person") if person else _("Add a person"))
        form = QFormLayout(self)
        self.role = QComboBox()
        for role, label in PERSON_ROLES.items():
            self.role.addItem(_(label), role.value)
        self.pseudonym, self.legal_name, self.age_range = QLineEdit(), QLineEdit(), QLineEdit()
        self.languages = LanguagePicker(person.languages if person else languages)
        self.minor = QCheckBox(_("This person is a child"))
        self.legal_name.setPlaceholderText(_("Only if the survivor agrees to give it"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("Needed when the full name changes"))
        rows: list[tuple[str, QWidget]] = [
            (_("Role"), self.role),
            (_("Pseudonym"), self.pseudonym),
            (_("Full name"), self.legal_name),
            (_("Age range"), self.age_range),
            (_("Languages"), self.languages),
        ]
        if person is not None:
            self.role.setCurrentIndex(self.role.findData(person.role.value))
            self.role.setEnabled(False)  # a role is who someone is in the case: a new person
            self.pseudonym.setText(person.pseudonym)
            self.legal_name.setText(person.legal_name or "")
            self.age_range.setText(person.age_range or "")
            self.minor.setChecked(person.is_minor)
            rows.append((_("Reason for the change"), self.reason))
        for label, field in rows:
            if field is self.legal_name and not identity:
                continue
            if field is not self.languages:  # the picker names its own parts
                field.setAccessibleName(label)
            form.addRow(label, field)
        self.legal_name.setVisible(identity)
        form.addRow(self.minor)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def language_codes(self) -> list[str]:
        return self.languages.codes()


class OverviewTab(QWidget):
    HEADERS = (N_("Role"), N_("Pseudonym"), N_("Full name"), N_("Age range"), N_("Child"))

    def __init__(self, services: Services, reference: str) -> None:
        super().__init__()
        self._services, self._reference = services, reference
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.people = QTableWidget(0, len(self.HEADERS))
        self.people.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.people.setAccessibleName(_("People in this case"))
        layout.addWidget(self.people)
        row = QHBoxLayout()
        self.message = QLabel()
        self.add_button = QPushButton(_("Add a person…"))
        self.add_button.clicked.connect(self.add_person)
        self.add_button.setVisible(services.ctx.can(Permission.PERSON_WRITE))
        self.edit_button = QPushButton(_("Edit the person…"))
        self.edit_button.clicked.connect(self.edit_person)
        self.edit_button.setVisible(services.ctx.can(Permission.PERSON_WRITE))
        self.status_button = QPushButton()
        self.status_button.clicked.connect(self.close_or_reopen)
        self.status_button.setVisible(services.ctx.can(Permission.CASE_WRITE))
        self.people.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.people.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.people.itemSelectionChanged.connect(self._selection_changed)
        self.people.itemDoubleClicked.connect(lambda _item: self.edit_person())
        row.addWidget(self.message, 1)
        row.addWidget(self.status_button)
        row.addWidget(self.edit_button)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        self.reload()

    def reload(self) -> None:
        case = self._services.cases.get(self._reference)
        # one direction for the whole summary, the interface's: the reference alone is Latin
        # text and would otherwise sit on the left of a right-to-left screen
        direction = "rtl" if is_rtl(current_language()) else "ltr"
        self.summary.setText(
            f"<div dir='{direction}'>"
            + "<br>".join(
                [
                    f"<h2 dir='{direction}'>{case.reference}</h2>",
                    _("Status: {status}").format(
                        status=_(CaseTableModel.STATUS[case.status.value])
                    ),
                    _("Languages: {languages}").format(
                        languages=format_list([language_name(c) for c in case.languages]) or "—"
                    ),
                ]
            )
            + "</div>"
        )
        self._closed = case.status in (CaseStatus.CLOSED, CaseStatus.ARCHIVED)
        self.status_button.setText(_("Reopen the case…") if self._closed else _("Close the case…"))
        persons = self._persons = self._services.cases.persons(self._reference)
        self.people.setHorizontalHeaderLabels([_(h) for h in self.HEADERS])
        self.people.setRowCount(len(persons))
        for index, person in enumerate(persons):
            values = (
                _(PERSON_ROLES[person.role]),
                person.pseudonym,
                person.legal_name or "—",
                person.age_range or "—",
                _("yes") if person.is_minor else _("no"),
            )
            for column, value in enumerate(values):
                self.people.setItem(index, column, QTableWidgetItem(value))
        self.people.resizeColumnsToContents()
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.edit_button.setEnabled(bool(self.people.selectionModel().selectedRows()))

    def add_person(self) -> None:
        case = self._services.cases.get(self._reference)
        dialog = PersonDialog(self, identity=self._identity(), languages=case.languages)
        if not accepted(dialog):
            return
        languages = dialog.language_codes()
        try:
            self._services.cases.add_person(
                self._reference,
                role=PersonRole(dialog.role.currentData()),
                pseudonym=dialog.pseudonym.text(),
                legal_name=dialog.legal_name.text().strip() or None,
                age_range=dialog.age_range.text().strip() or None,
                languages=languages,
                is_minor=dialog.minor.isChecked(),
            )
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.message.clear()
        self.reload()

    def _identity(self) -> bool:
        return self._services.ctx.can(Permission.IDENTITY_READ)

    def edit_person(self) -> None:
        rows = self.people.selectionModel().selectedRows()
        if not rows:
            return
        person = self._persons[rows[0].row()]
        dialog = PersonDialog(self, person, identity=self._identity())
        if not accepted(dialog):
            return
        changes: dict[str, object] = {
            "pseudonym": dialog.pseudonym.text(),
            "age_range": dialog.age_range.text().strip() or None,
            "languages": dialog.language_codes(),
            "is_minor": dialog.minor.isChecked(),
        }
        legal_name = dialog.legal_name.text().strip() or None
        if self._identity() and legal_name != person.legal_name:
            changes["legal_name"] = legal_name
        changed = {
            k: v
            for k, v in changes.items()
            if v != (list(person.languages) if k == "languages" else getattr(person, k))
        }
        if not changed:
            return
        try:
            self._services.cases.update_person(
                person.id, reason=dialog.reason.text().strip() or None, **changed
            )
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.message.clear()
        self.reload()

    def close_or_reopen(self) -> None:
        dialog = (
            ReasonDialog(_("Reopen the case"), _("Why is the case reopened?"), self)
            if self._closed
            else ReasonDialog(_("Close the case"), _("Why is the case closed?"), self)
        )
        if not accepted(dialog):
            return
        cases = self._services.cases
        try:
            (cases.reopen if self._closed else cases.close)(self._reference, dialog.reason())
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.message.clear()
        self.reload()
