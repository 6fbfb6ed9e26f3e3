"""The dialogs the Vault menu opens, each imported when first opened (not at cold start): users,
passphrase, recipients, backup, provider import, forms, idle lock, checking a sealed file. A
dialog needing a role (coordinators) is not opened for another."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QWidget

from intake_app.core.permissions import Permission
from intake_app.core.records import Role

if TYPE_CHECKING:
    from intake_app.core.services import Services
    from intake_app.ui.add_form_dialog import AddFormDialog
    from intake_app.ui.backup_dialog import BackupDialog
    from intake_app.ui.backup_reminder import BackupReminder
    from intake_app.ui.idle_lock_dialog import IdleLockDialog
    from intake_app.ui.provider_import import ProviderImportDialog
    from intake_app.ui.recipients_dialog import RecipientsDialog
    from intake_app.ui.tasks import Runner
    from intake_app.ui.users_dialog import PassphraseDialog, UsersDialog
    from intake_app.ui.verify_dialog import VerifyDialog

IDLE_LOCK_MINUTES = 5


class VaultDialogs:
    """Mixed into the shell window, whose state these read."""

    services: Services | None
    runner: Runner
    backup_reminder_bar: BackupReminder
    idle_timer: QTimer

    def _parent(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    def manage_recipients(self) -> RecipientsDialog | None:
        if self.services is None:
            return None
        from intake_app.ui.recipients_dialog import RecipientsDialog  # each dialog: when opened

        dialog = RecipientsDialog(self.services, self._parent())
        dialog.show()
        return dialog

    def manage_users(self) -> UsersDialog | None:
        if self.services is None:
            return None
        from intake_app.ui.users_dialog import UsersDialog

        dialog = UsersDialog(self.services, self._parent())
        dialog.show()
        return dialog

    def change_passphrase(self) -> PassphraseDialog | None:
        if self.services is None:
            return None
        from intake_app.ui.users_dialog import PassphraseDialog

        dialog = PassphraseDialog(self.services, self._parent())
        dialog.show()
        return dialog

    def back_up(self) -> BackupDialog | None:
        if self.services is None:
            return None
        from intake_app.ui.backup_dialog import BackupDialog

        dialog = BackupDialog(self.services, self.runner, self._parent())
        dialog.finished.connect(lambda _result: self.backup_reminder_bar.check(self.services))
        dialog.show()
        return dialog

    def import_providers(self) -> ProviderImportDialog | None:
        if self.services is None or self.services.ctx.actor.role is not Role.COORDINATOR:
            return None
        from intake_app.ui.provider_import import ProviderImportDialog

        dialog = ProviderImportDialog(self.services, self._parent())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def add_form(self) -> AddFormDialog | None:
        if self.services is None or not self.services.ctx.can(Permission.FORM_MANAGE):
            return None
        from intake_app.ui.add_form_dialog import AddFormDialog

        dialog = AddFormDialog(self.services, self._parent())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def set_idle_lock(self) -> IdleLockDialog | None:
        if self.services is None:
            return None
        from intake_app.ui.idle_lock_dialog import IdleLockDialog

        dialog = IdleLockDialog(self.services, self._parent())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self.idle_timer.setInterval((dialog.chosen or IDLE_LOCK_MINUTES) * 60_000)
        )
        dialog.show()
        return dialog

    def verify_file(self) -> VerifyDialog:
        """Check a sealed file; with the vault open, also match it to its export record."""
        from intake_app.ui.verify_dialog import VerifyDialog  # pyHanko: not at cold start

        dialog = VerifyDialog(self.runner, self.services, self._parent())
        dialog.show()
        return dialog
