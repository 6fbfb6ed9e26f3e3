"""The screens before a vault is open: first run (create) and unlock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.core import session
from intake_app.core.clock import Clock
from intake_app.core.errors import IntakeError
from intake_app.core.i18n import _
from intake_app.core.passphrase import Strength, strength
from intake_app.core.session import NewVault, VaultOptions
from intake_app.ui.dialogs import accepted
from intake_app.ui.tasks import Runner

if TYPE_CHECKING:
    from intake_app.core.session import DerivedKeys

_STRENGTH_PERCENT = {
    Strength.TOO_SHORT: 5,
    Strength.WEAK: 25,
    Strength.FAIR: 50,
    Strength.GOOD: 75,
    Strength.STRONG: 100,
}


def user_message(error: BaseException) -> str:
    if isinstance(error, IntakeError):
        return error.message
    return _("An internal error occurred ({kind}); nothing was shown of your data.").format(
        kind=type(error).__name__
    )


class _Busy(QProgressBar):
    """An indeterminate bar shown while key derivation runs off the GUI thread."""

    def __init__(self) -> None:
        super().__init__()
        self.setRange(0, 0)
        self.setTextVisible(False)
        self.hide()


class UnlockPage(QWidget):
    unlocked = Signal(object)  # session.Opened: the services, and what opening noticed

    def __init__(
        self, vault_dir: Path, options: VaultOptions, clock: Clock, runner: Runner
    ) -> None:
        super().__init__()
        self._vault_dir, self._options, self._clock, self._runner = (
            vault_dir,
            options,
            clock,
            runner,
        )
        layout = QVBoxLayout(self)
        layout.addStretch()
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.title)
        form = QFormLayout()
        self.user = QComboBox()
        self.user.setEditable(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.returnPressed.connect(self.unlock)
        self.user_label, self.passphrase_label = QLabel(), QLabel()
        self.user_label.setBuddy(self.user)
        self.passphrase_label.setBuddy(self.passphrase)
        form.addRow(self.user_label, self.user)
        form.addRow(self.passphrase_label, self.passphrase)
        layout.addLayout(form)
        self.button = QPushButton()
        self.button.clicked.connect(self.unlock)
        self.button.setDefault(True)
        layout.addWidget(self.button)
        self.busy = _Busy()
        layout.addWidget(self.busy)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("error")
        layout.addWidget(self.message)
        self.recover_button = QPushButton()
        self.recover_button.setFlat(True)
        self.recover_button.clicked.connect(lambda: self.recover())
        layout.addWidget(self.recover_button)
        layout.addStretch()
        self.retranslate_ui()
        self.reload_users()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Unlock the vault"))
        self.user_label.setText(_("&User"))
        self.passphrase_label.setText(_("&Passphrase"))
        self.button.setText(_("Unlock"))
        self.recover_button.setText(_("Forgotten passphrase? Use the recovery key…"))
        self.user.setAccessibleName(_("User"))
        self.passphrase.setAccessibleName(_("Passphrase"))

    def reload_users(self) -> None:
        """The vault's users. A message left by an earlier reading goes: the page is built before
        a first-run vault exists, and that vault's unlock page must not say it is damaged."""
        self.user.clear()
        try:
            names = session.list_users(self._vault_dir)
        except IntakeError as exc:
            self.message.setText(exc.message)
            return
        self.message.clear()
        self.user.addItems(names)

    def set_busy(self, busy: bool) -> None:
        for widget in (self.user, self.passphrase, self.button):
            widget.setEnabled(not busy)
        self.busy.setVisible(busy)
        if busy:
            self.message.setText(_("Unlocking…"))

    def unlock(self) -> None:
        username, passphrase = self.user.currentText().strip(), self.passphrase.text()
        if not username or not passphrase:
            self.message.setText(_("Choose your user and type your passphrase."))
            return
        self.set_busy(True)
        self._runner.run(
            lambda: session.derive_keys(self._vault_dir, username, passphrase, self._options),
            self._finish,
            self._failed,
        )

    def recover(self) -> None:
        """Set a new passphrase for a user with the vault's recovery key (works without the keyring)."""
        dialog = RecoveryDialog(self.user.currentText(), self)
        if not accepted(dialog):
            return
        username, key, new = (
            dialog.username.text().strip(),
            dialog.key.text(),
            dialog.passphrase.text(),
        )
        if new != dialog.confirm.text():
            self.message.setText(_("The two entries differ; nothing was changed."))
            return
        self.set_busy(True)

        def work() -> str:
            # Opened, reset and closed in the worker; the GUI thread unlocks afterwards.
            session.recover(self._vault_dir, key, username, new, self._options, clock=self._clock)
            return username

        def done(name: str) -> None:
            self.set_busy(False)
            self.reload_users()
            self.user.setCurrentText(name)
            self.message.setText(_("{user} has a new passphrase.").format(user=name))
            self.passphrase.setFocus()

        self._runner.run(work, done, self._failed)

    def _finish(self, derived: DerivedKeys) -> None:
        try:  # the page check follows in a worker (the shell runs session.page_check)
            opened = session.finish_unlock(derived, self._clock)
        except BaseException as exc:  # noqa: BLE001 - every failure becomes one sentence
            self._failed(exc)
            return
        self.set_busy(False)
        self.passphrase.clear()
        self.message.clear()
        self.unlocked.emit(opened)

    def _failed(self, error: BaseException) -> None:
        self.set_busy(False)
        self.passphrase.clear()
        self.passphrase.setFocus()
        self.message.setText(user_message(error))


class RecoveryDialog(QDialog):
    def __init__(self, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Recovery key"))
        form = QFormLayout(self)
        self.username, self.key = QLineEdit(username), QLineEdit()
        self.passphrase, self.confirm = QLineEdit(), QLineEdit()
        for field in (self.passphrase, self.confirm):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText("-".join(["······"] * 6))  # six groups, as printed
        for label, field in (
            (_("User"), self.username),
            (_("Recovery key:"), self.key),
            (_("New passphrase:"), self.passphrase),
            (_("Repeat it:"), self.confirm),
        ):
            field.setAccessibleName(label)
            form.addRow(label, field)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class FirstRunPage(QWidget):
    """Create a vault, its first user (a coordinator) and passphrase; then show the recovery key."""

    created = Signal(object)  # NewVault (already locked)

    def __init__(
        self,
        default_dir: Path,
        options: VaultOptions,
        clock: Clock,
        runner: Runner,
        choose_folder: Callable[[QWidget, Path], Path | None] | None = None,
    ) -> None:
        super().__init__()
        self._options, self._clock, self._runner = options, clock, runner
        self._choose_folder = choose_folder or _ask_folder
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        form = QFormLayout()
        self.folder = QLineEdit(str(default_dir))
        self.choose = QPushButton()
        self.choose.clicked.connect(self._pick_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder)
        folder_row.addWidget(self.choose)
        self.username = QLineEdit()
        self.display_name = QLineEdit()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.meter = QProgressBar()
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(True)
        self.passphrase.textChanged.connect(self._update_meter)
        self.labels = [QLabel() for _ in range(6)]
        for label, field in zip(
            self.labels,
            (
                self.folder,
                self.username,
                self.display_name,
                self.passphrase,
                self.confirm,
                self.meter,
            ),
            strict=True,
        ):
            label.setBuddy(field)
        form.addRow(self.labels[0], folder_row)
        for label, field in zip(
            self.labels[1:],
            (self.username, self.display_name, self.passphrase, self.confirm, self.meter),
            strict=True,
        ):
            form.addRow(label, field)
        layout.addLayout(form)
        self.mode = QLabel()
        self.mode.setWordWrap(True)
        layout.addWidget(self.mode)
        self.button = QPushButton()
        self.button.clicked.connect(self.create_vault)
        layout.addWidget(self.button)
        self.busy = _Busy()
        layout.addWidget(self.busy)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addStretch()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Create a vault"))
        self.intro.setText(
            _(
                "Everything you record is kept in one encrypted vault on this computer. Choose a "
                "passphrase of several words that nobody could guess; it cannot be recovered "
                "without the recovery key you will see next."
            )
        )
        self.choose.setText(_("Choose…"))
        texts = (
            _("&Folder"),
            _("&User name"),
            _("&Display name"),
            _("&Passphrase"),
            _("&Repeat passphrase"),
            _("Strength"),
        )
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        for field, text in zip(
            (
                self.folder,
                self.username,
                self.display_name,
                self.passphrase,
                self.confirm,
                self.meter,
            ),
            texts,
            strict=True,
        ):
            field.setAccessibleName(text.replace("&", ""))
        self.mode.setText(
            _("The vault will also be tied to this computer's keyring when one is available.")
            if self._options.device_store is not None
            else _("No system keyring is available: the passphrase alone will protect this vault.")
        )
        self.button.setText(_("Create the vault"))
        self._update_meter(self.passphrase.text())

    def _update_meter(self, text: str) -> None:
        level = strength(text)
        self.meter.setValue(_STRENGTH_PERCENT[level])
        self.meter.setFormat(_(level.value))

    def _pick_folder(self) -> None:
        chosen = self._choose_folder(self, Path(self.folder.text()))
        if chosen is not None:
            self.folder.setText(str(chosen))

    def create_vault(self) -> None:
        if self.passphrase.text() != self.confirm.text():
            self.message.setText(_("The two entries differ; nothing was changed."))
            return
        folder = Path(self.folder.text()).expanduser()
        username, name, passphrase = (
            self.username.text().strip(),
            self.display_name.text(),
            self.passphrase.text(),
        )
        for widget in (
            self.folder,
            self.username,
            self.display_name,
            self.passphrase,
            self.confirm,
            self.button,
        ):
            widget.setEnabled(False)
        self.busy.show()
        self.message.setText(_("Creating the vault…"))

        def work() -> NewVault:
            # The worker opens it, and locks it again; the GUI thread unlocks it afterwards.
            return session.create(
                folder, username, name, passphrase, self._options, clock=self._clock
            )

        self._runner.run(work, self._done, self._failed)

    def _done(self, result: NewVault) -> None:
        self._reset()
        self.passphrase.clear()
        self.confirm.clear()
        self.created.emit(result)

    def _failed(self, error: BaseException) -> None:
        self._reset()
        self.message.setText(user_message(error))

    def _reset(self) -> None:
        for widget in (
            self.folder,
            self.username,
            self.display_name,
            self.passphrase,
            self.confirm,
            self.button,
        ):
            widget.setEnabled(True)
        self.busy.hide()
        self.message.clear()


def _ask_folder(parent: QWidget, start: Path) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(
        parent, _("Choose a folder for the vault"), str(start.parent)
    )
    return Path(chosen) / "vault" if chosen else None
