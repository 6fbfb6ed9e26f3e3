"""The consent ledger as the survivor would understand it: purpose by purpose, what each decision
means for sharing, recording a decision and withdrawing one."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
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

from intake_app.core import consent as rules
from intake_app.core.errors import IntakeError, InvalidInput
from intake_app.core.i18n import (
    N_,
    SHIPPED_LANGUAGES,
    _,
    format_day,
    format_list,
    language_name,
)
from intake_app.core.labels import (
    GIVEN_BY,
    MEANING,
    PERSON_ROLES,
    PURPOSES,
    SCOPE_WORDS,
    STATES,
    scope_label,
)
from intake_app.core.permissions import Permission
from intake_app.core.records import Consent, Decision, GivenBy, Person, Purpose
from intake_app.ui.dialogs import ReasonDialog, accepted

if TYPE_CHECKING:
    from intake_app.core.services import Services


class ConsentDialog(QDialog):
    """Record one decision: purpose, for whom, the decision, who gave it, in which language."""

    def __init__(
        self,
        languages: tuple[str, ...],
        people: list[Person],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Record a consent decision"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self._people = {p.id: p for p in people}
        self.person = QComboBox()  # whose decision it is: the survivor's first
        for person in people:
            self.person.addItem(person_label(person), person.id)
        self.purpose, self.scope, self.decision = QComboBox(), QComboBox(), QComboBox()
        self.given_by, self.assent, self.language = QComboBox(), QComboBox(), QComboBox()
        self.interpreter, self.expires = QLineEdit(), QLineEdit()
        self.expires.setPlaceholderText("2027-12-31")
        for purpose, label in PURPOSES.items():
            self.purpose.addItem(_(label), purpose.value)
        for scope, label in SCOPE_WORDS.items():
            self.scope.addItem(_(label), scope)
        for decision, label in (
            (Decision.GRANTED, N_("granted")),
            (Decision.REFUSED, N_("refused")),
            (Decision.NOT_ASKED, N_("not asked")),
        ):
            self.decision.addItem(_(label), decision.value)
        for given_by, label in GIVEN_BY.items():
            if given_by is not GivenBy.NOT_APPLICABLE:
                self.given_by.addItem(_(label), given_by.value)
        self.assent.addItem("—", "")
        for value, label in (
            ("given", N_("the child agreed")),
            ("refused", N_("the child did not agree")),
            ("not_asked", N_("the child could not be asked")),
        ):
            self.assent.addItem(_(label), value)
        for code in dict.fromkeys([*languages, *SHIPPED_LANGUAGES]):
            self.language.addItem(language_name(code), code)
        rows = (
            (N_("Whose decision"), self.person),
            (N_("Purpose"), self.purpose),
            (N_("Scope"), self.scope),
            (N_("Decision"), self.decision),
            (N_("Given by"), self.given_by),
            (N_("Child's own agreement"), self.assent),
            (N_("Explained in"), self.language),
            (N_("Interpreter"), self.interpreter),
            (N_("Expires"), self.expires),
        )
        for label, field in rows:
            field.setAccessibleName(_(label))
            form.addRow(_(label), field)
        layout.addLayout(form)
        self.meaning = QLabel()
        self.meaning.setWordWrap(True)
        layout.addWidget(self.meaning)
        self.purpose.currentIndexChanged.connect(self._explain)
        self._explain()
        self.person.currentIndexChanged.connect(self._for_person)
        self._for_person()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _explain(self) -> None:
        purpose = Purpose(self.purpose.currentData())
        self.meaning.setText(_(MEANING[purpose]) if purpose in MEANING else "")

    def _for_person(self) -> None:
        """A child's decision is given by a guardian, with the child's own agreement."""
        person = self._people.get(str(self.person.currentData()))
        minor = bool(person and person.is_minor)
        given = GivenBy.GUARDIAN if minor else GivenBy.SURVIVOR
        self.given_by.setCurrentIndex(self.given_by.findData(given.value))
        self.assent.setEnabled(minor)


class ConsentTab(QWidget):
    """The ledger as the survivor would understand it: purpose by purpose, and what it means."""

    HEADERS = (
        N_("Purpose"),
        N_("Scope"),
        N_("Decision"),
        N_("Given by"),
        N_("Explained in"),
        N_("Recorded"),
        N_("Expires"),
        N_("What it means"),
        N_("Whose decision"),
    )

    def __init__(self, services: Services, reference: str) -> None:
        super().__init__()
        self._services, self._reference = services, reference
        self._rows: list[Consent] = []
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAccessibleName(_("Consent ledger"))
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.record_button = QPushButton(_("Record a decision…"))
        self.record_button.clicked.connect(self.record)
        self.record_button.setVisible(services.ctx.can(Permission.CONSENT_RECORD))
        row.addWidget(self.record_button)
        self.withdraw_button = QPushButton(_("Withdraw…"))
        self.withdraw_button.clicked.connect(self.withdraw)
        self.withdraw_button.setVisible(services.ctx.can(Permission.CONSENT_RECORD))
        row.addWidget(self.message, 1)
        row.addWidget(self.withdraw_button)
        layout.addLayout(row)
        self.reload()

    def reload(self) -> None:
        self._rows = self._services.consent.ledger(self._reference)
        now = self._services.ctx.now()
        people = {p.id: p for p in self._services.cases.persons(self._reference)}
        survivor = self._services.cases.survivor(self._reference)
        self.table.setHorizontalHeaderLabels([_(h) for h in self.HEADERS])
        self.table.setRowCount(len(self._rows))
        for index, consent in enumerate(self._rows):
            state = rules.state_of(consent, now)
            # a decision naming nobody (recorded before decisions named their person) is the
            # case's primary survivor's
            whose = people.get(consent.person_id or "") or survivor
            values = (
                _(PURPOSES[consent.purpose]),
                scope_label(consent.scope),
                _(STATES[state]),
                _(GIVEN_BY[consent.given_by]),
                language_name(consent.explained_language) if consent.explained_language else "—",
                format_day(consent.recorded_at),
                format_day(consent.expires_at),
                _(MEANING[consent.purpose]) if consent.purpose in MEANING else "",
                person_label(whose) if whose else "—",
            )
            for column, value in enumerate(values):
                self.table.setItem(index, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def record(self) -> None:
        case = self._services.cases.get(self._reference)
        dialog = ConsentDialog(case.languages, self._consenting(), self)
        if not accepted(dialog):
            return
        decision = Decision(dialog.decision.currentData())
        try:
            self._services.consent.record(
                self._reference,
                person_id=dialog.person.currentData() or None,
                purpose=Purpose(dialog.purpose.currentData()),
                scope=dialog.scope.currentData(),
                decision=decision,
                given_by=GivenBy(dialog.given_by.currentData()),
                child_assent=dialog.assent.currentData() or None,
                explained_language=None
                if decision is Decision.NOT_ASKED
                else dialog.language.currentData(),
                interpreter=dialog.interpreter.text().strip() or None,
                expires_at=_end_of_day(dialog.expires.text().strip()),
            )
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(_("Recorded."))
        self.reload()

    def _consenting(self) -> list[Person]:
        """The people whose decisions can be recorded: the survivor first, then the others."""
        people = self._services.cases.persons(self._reference)
        survivor = self._services.cases.survivor(self._reference)
        return sorted(people, key=lambda p: survivor is None or p.id != survivor.id)

    def withdraw(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self._rows):
            self.message.setText(_("Choose the decision the survivor withdraws."))
            return
        dialog = ReasonDialog(
            _("Withdraw consent"), _("What did the survivor say? (or 'no reason given')"), self
        )
        if not accepted(dialog):
            return
        try:
            _consent, exports = self._services.consent.withdraw(self._rows[row].id, dialog.reason())
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        told = [
            _("{recipient} on {date}").format(
                recipient=e.recipient_name, date=format_day(e.exported_at)
            )
            for e in exports
        ]
        self.message.setText(
            _("Withdrawn from now on. Earlier exports to follow up: {count}.").format(
                count=len(exports)
            )
            + (" " + format_list(told) if told else "")
        )
        self.reload()


def person_label(person: Person) -> str:
    """A person as the ledger names them: pseudonym and role (a child marked as one)."""
    role = _(PERSON_ROLES[person.role])
    if person.is_minor:
        role = _("{role}, child").format(role=role)
    return f"{person.pseudonym} ({role})"


def _end_of_day(text: str) -> str | None:
    """An expiry typed as a date means the end of that day (UTC), in the ledger's time format."""
    if not text:
        return None
    try:
        return date.fromisoformat(text).isoformat() + "T23:59:59.999999Z"
    except ValueError:
        raise InvalidInput(_("Enter a date as year-month-day, for example 2026-03-01.")) from None
