"""Users (coordinators) and one's own passphrase. Key derivation runs off the GUI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.core.errors import IntakeError
from intake_app.core.i18n import N_, _, format_day
from intake_app.core.labels import ROLE_NAMES
from intake_app.core.records import Role
from intake_app.ui.access import user_message

if TYPE_CHECKING:
    from intake_app.core.services import Services

ROLES = ROLE_NAMES


def _password() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class UsersDialog(QDialog):
    HEADERS = (N_("User"), N_("Name"), N_("Role"), N_("Removed"))

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle(_("Users"))
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAccessibleName(_("Users"))
        layout.addWidget(self.table)
        form = QFormLayout()
        self.username, self.display_name = QLineEdit(), QLineEdit()
        self.role = _role_list()
        self.passphrase, self.confirm = _password(), _password()
        for label, field in (
            (_("User name"), self.username),
            (_("Name"), self.display_name),
            (_("Role"), self.role),
            (_("Passphrase"), self.passphrase),
            (_("Repeat passphrase"), self.confirm),
        ):
            field.setAccessibleName(label)
            form.addRow(label, field)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.add_button, self.remove_button = (
            QPushButton(_("Add the user")),
            QPushButton(_("Remove the selected user…")),
        )
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        change = QHBoxLayout()
        self.new_role = _role_list()
        self.new_role.setAccessibleName(_("New role for the selected user"))
        self.role_button = QPushButton(_("Change the selected user's role"))
        self.role_button.clicked.connect(self.change_role)
        change.addWidget(QLabel(_("New role:")))
        change.addWidget(self.new_role, 1)
        change.addWidget(self.role_button)
        layout.addLayout(change)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.reload()
        self.resize(max(self.sizeHint().width(), 760), max(self.sizeHint().height(), 520))

    def reload(self) -> None:
        users = self._services.users.list()
        self.table.setHorizontalHeaderLabels([_(h) for h in self.HEADERS])
        self.table.setRowCount(len(users))
        for row, user in enumerate(users):
            for column, value in enumerate(
                (
                    user.username,
                    user.display_name,
                    _(ROLES[user.role]),
                    format_day(user.removed_at) if user.removed_at else "",
                )
            ):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, user.username)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)

    def _selected(self) -> str | None:
        item = self.table.item(self.table.currentRow(), 0)
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def add(self) -> None:
        if self.passphrase.text() != self.confirm.text():
            self.message.setText(_("The two entries differ; nothing was changed."))
            return
        if self.role.currentIndex() < 0:
            self.message.setText(_("Choose the new user's role; nothing was changed."))
            return
        try:
            user, bound = self._services.users.add(
                self.username.text().strip(),
                self.display_name.text(),
                Role(self.role.currentData()),
                self.passphrase.text(),
            )
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        for field in (self.username, self.display_name, self.passphrase, self.confirm):
            field.clear()
        self.role.setCurrentIndex(-1)  # each new user's role is chosen, never inherited
        self.message.setText(
            _("User {user} added as {role}.").format(user=user.username, role=_(ROLES[user.role]))
        )
        self.reload()

    def remove(self) -> None:
        username = self._selected()
        if username is None:
            self.message.setText(_("Select a user first."))
            return
        if username == self._services.ctx.actor.username:  # refused before anything is asked
            self.message.setText(_("You cannot remove yourself; ask another coordinator."))
            return
        answer = QMessageBox.question(
            self,
            _("Remove the user?"),
            _(
                "Remove {user}? Their passphrase will no longer open the vault. What they "
                "recorded stays, and the audit log keeps their name."
            ).format(user=username),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.message.setText(_("Nothing was changed."))
            return
        try:
            self._services.users.remove(username)
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(
            _("User {user} removed; their passphrase no longer opens the vault.").format(
                user=username
            )
        )
        self.reload()

    def change_role(self) -> None:
        username = self._selected()
        if username is None:
            self.message.setText(_("Select a user first."))
            return
        if self.new_role.currentIndex() < 0:
            self.message.setText(_("Choose the new role; nothing was changed."))
            return
        try:
            user = self._services.users.set_role(username, Role(self.new_role.currentData()))
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.new_role.setCurrentIndex(-1)
        self.message.setText(
            _("{user} is now {role}.").format(user=user.username, role=_(ROLES[user.role]))
        )
        self.reload()


def _role_list() -> QComboBox:
    """The roles, with none chosen: a role is always picked on purpose."""
    roles = QComboBox()
    for role, label in ROLES.items():
        roles.addItem(_(label), role.value)
    roles.setPlaceholderText(_("Choose a role"))
    roles.setCurrentIndex(-1)
    return roles


class PassphraseDialog(QDialog):
    """Change one's own passphrase: rewrites one key slot, never the vault."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle(_("Change my passphrase"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.current, self.new, self.confirm = _password(), _password(), _password()
        for label, field in (
            (_("Current passphrase:"), self.current),
            (_("New passphrase:"), self.new),
            (_("Repeat it:"), self.confirm),
        ):
            field.setAccessibleName(label)
            form.addRow(label, field)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.change)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def change(self) -> None:
        if self.new.text() != self.confirm.text():
            self.message.setText(_("The two entries differ; nothing was changed."))
            return
        try:
            self._services.users.change_own_passphrase(self.current.text(), self.new.text())
        except BaseException as exc:  # noqa: BLE001 - shown as one sentence
            self.message.setText(user_message(exc))
            return
        self.accept()
