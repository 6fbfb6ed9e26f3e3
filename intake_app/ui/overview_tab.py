"""A case's overview: status, languages, the people in it (survivor, guardian, witnesses)."""

from __future__ import annotations

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
from intake_app.core.i18n import N_, _, format_list, language_name
from intake_app.core.permissions import Permission
from intake_app.core.records import PersonRole
from intake_app.core.services import Services
from intake_app.ui.dialogs import accepted
from intake_app.ui.models import CaseTableModel

PERSON_ROLES = {
    PersonRole.SURVIVOR: N_("survivor"),
    PersonRole.GUARDIAN: N_("parent or guardian"),
    PersonRole.WITNESS: N_("witness"),
    PersonRole.REPRESENTATIVE: N_("representative"),
    PersonRole.OTHER: N_("other"),
}


class PersonDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add a person"))
        form = QFormLayout(self)
        self.role = QComboBox()
        for role, label in PERSON_ROLES.items():
            self.role.addItem(_(label), role.value)
        self.pseudonym, self.legal_name, self.age_range = QLineEdit(), QLineEdit(), QLineEdit()
        self.languages = QLineEdit()
        self.languages.setPlaceholderText("ar, en")
        self.minor = QCheckBox(_("This person is a child"))
        self.legal_name.setPlaceholderText(_("Only if the survivor agrees to give it"))
        for label, field in (
            (_("Role"), self.role),
            (_("Pseudonym"), self.pseudonym),
            (_("Full name"), self.legal_name),
            (_("Age range"), self.age_range),
            (_("Languages (codes)"), self.languages),
        ):
            field.setAccessibleName(label)
            form.addRow(label, field)
        form.addRow(self.minor)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


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
        row.addWidget(self.message, 1)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        self.reload()

    def reload(self) -> None:
        case = self._services.cases.get(self._reference)
        self.summary.setText(
            "<br>".join(
                [
                    f"<h2>{case.reference}</h2>",
                    _("Status: {status}").format(
                        status=_(CaseTableModel.STATUS[case.status.value])
                    ),
                    _("Languages: {languages}").format(
                        languages=format_list([language_name(c) for c in case.languages]) or "—"
                    ),
                ]
            )
        )
        persons = self._services.cases.persons(self._reference)
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

    def add_person(self) -> None:
        dialog = PersonDialog(self)
        if not accepted(dialog):
            return
        languages = [code.strip() for code in dialog.languages.text().split(",") if code.strip()]
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
