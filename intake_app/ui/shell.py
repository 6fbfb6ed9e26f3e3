"""The one window: first run / unlock → cases ↔ case; quick lock, idle lock, language."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, Qt, QTimer, QTranslator
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from intake_app.core import i18n, session
from intake_app.core.clock import Clock
from intake_app.core.i18n import _
from intake_app.core.permissions import Permission
from intake_app.core.records import Role
from intake_app.core.session import NewVault, Opened, VaultOptions
from intake_app.ui.access import FirstRunPage, UnlockPage, user_message
from intake_app.ui.backup_reminder import BackupReminder
from intake_app.ui.cases_page import CasesPage
from intake_app.ui.clipboard import SensitiveClipboard
from intake_app.ui.dialogs import RecoveryKeyDialog
from intake_app.ui.followup_page import FollowUpPage
from intake_app.ui.help_menu import HelpMenu
from intake_app.ui.screen_lock import ScreenLockWatcher
from intake_app.ui.tasks import Runner, with_reader
from intake_app.ui.vault_dialogs import IDLE_LOCK_MINUTES, VaultDialogs

if TYPE_CHECKING:
    from intake_app.core.services import Services
    from intake_app.core.session import Database
    from intake_app.ui.case_view import CaseView

APP_TITLE = "intake_app"  # the title never shows a name, a case or a user (S20)
LANGUAGES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "uk": "Українська",
}


def _app() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


class LockedPage(QWidget):
    """Neutral: nothing about the vault, its cases or its users."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addStretch()
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.button = QPushButton()
        layout.addWidget(self.label)
        layout.addWidget(self.button, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.label.setText(_("Locked"))
        self.button.setText(_("Unlock"))


class IdleWatcher(QObject):
    """Restarts the idle timer on any key or mouse input in the application."""

    INPUT = {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }

    def __init__(self, timer: QTimer, lock_soon: QTimer, parent: QObject) -> None:
        super().__init__(parent)  # removed from the application with the window
        self._timer = timer
        self._lock_soon = lock_soon

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in self.INPUT and self._timer.isActive():
            self._timer.start()
        if event.type() == QEvent.Type.KeyPress and _is_quick_lock(event):
            # S44: Ctrl+L from any window of the app, a dialog (modal or not) included; the
            # window's QShortcut did not reach a dialog that had the keyboard under a window
            # manager. Seen before any widget may take the key; the lock runs right after this
            # event's dispatch (never inside it: it closes the very dialog being dispatched to).
            self._lock_soon.start()  # one lock, however many objects see this key press
        return False


def _is_quick_lock(event: QEvent) -> bool:
    key = event if isinstance(event, QKeyEvent) else None
    return (
        key is not None
        and key.key() == Qt.Key.Key_L
        and key.modifiers() & Qt.KeyboardModifier.ControlModifier
        == Qt.KeyboardModifier.ControlModifier
        and not key.isAutoRepeat()
    )


class ShellWindow(VaultDialogs, QMainWindow):
    def __init__(
        self,
        vault_dir: Path,
        options: VaultOptions,
        clock: Clock,
        runner: Runner,
        idle_minutes: float | None = None,  # None: the vault's own setting, once unlocked
    ) -> None:
        super().__init__()
        self.vault_dir, self.options, self.clock, self.runner = vault_dir, options, clock, runner
        self.services: Services | None = None
        self.case_view: CaseView | None = None
        self.clipboard = SensitiveClipboard()
        self._qt_translator = QTranslator()
        self.setWindowTitle(APP_TITLE)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.first_run = FirstRunPage(vault_dir, options, clock, runner)
        self.unlock_page = UnlockPage(vault_dir, options, clock, runner)
        self.cases = CasesPage(runner)
        self.locked = LockedPage()
        for page in (self.first_run, self.unlock_page, self.cases, self.locked):
            self.stack.addWidget(page)
        self.first_run.created.connect(self._created)
        self.unlock_page.unlocked.connect(self._unlocked)
        self.cases.open_case.connect(self.open_case)
        self.follow_up = FollowUpPage(runner)
        self.stack.addWidget(self.follow_up)
        self.cases.show_follow_up.connect(self.show_follow_up)
        self.follow_up.open_case.connect(self.open_case)
        self.follow_up.closed.connect(self.close_case)
        self.locked.button.clicked.connect(self._show_unlock)
        # Quick lock: always available, wherever the focus is (S21).
        self.lock_shortcut = QShortcut(
            QKeySequence("Ctrl+L"), self, self.lock, context=Qt.ShortcutContext.ApplicationShortcut
        )
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self._idle_override = idle_minutes
        self.idle_timer.setInterval(int((idle_minutes or IDLE_LOCK_MINUTES) * 60_000))
        self.idle_timer.timeout.connect(self.lock)
        self._lock_soon = QTimer(self)
        self._lock_soon.setSingleShot(True)
        self._lock_soon.setInterval(0)
        self._lock_soon.timeout.connect(self.lock)
        self._idle_watcher = IdleWatcher(self.idle_timer, self._lock_soon, self)
        _app().installEventFilter(self._idle_watcher)
        self.screen_lock = ScreenLockWatcher()
        self.screen_lock.screen_locked.connect(self.lock)
        self._build_menus()
        self.backup_reminder_bar = BackupReminder(runner, lambda: self.back_up())
        self.statusBar().addPermanentWidget(self.backup_reminder_bar)
        self._show_start()
        self.retranslate_ui()

    # -- navigation -------------------------------------------------------------------------
    def _show_start(self) -> None:
        if session.vault_exists(self.vault_dir):
            self._show_unlock()
        else:
            self.stack.setCurrentWidget(self.first_run)

    def _show_unlock(self) -> None:
        self.unlock_page.reload_users()
        self.stack.setCurrentWidget(self.unlock_page)
        self.unlock_page.passphrase.setFocus()

    def _created(self, created: NewVault) -> None:
        dialog = RecoveryKeyDialog(created.recovery_key, created.device_bound, self.clipboard, self)
        dialog.exec()
        dialog.key_label.clear()  # the key must not linger in a hidden widget
        dialog.setParent(None)
        dialog.deleteLater()
        self._show_unlock()
        index = self.unlock_page.user.findText(created.username)
        self.unlock_page.user.setCurrentIndex(max(index, 0))

    def _unlocked(self, opened: Opened) -> None:
        services = self.services = opened.services
        self.cases.set_services(services)
        self._count_follow_up()
        self.stack.setCurrentWidget(self.cases)
        self.cases.select_first()
        self.lock_action.setEnabled(True)
        self.passphrase_action.setEnabled(True)
        self.users_action.setVisible(services.ctx.can(Permission.USER_MANAGE))  # coordinators only
        self.users_action.setEnabled(True)
        self.recipients_action.setEnabled(True)
        self.backup_action.setVisible(services.ctx.can(Permission.BACKUP))
        self.providers_action.setVisible(services.ctx.actor.role is Role.COORDINATOR)
        self.add_form_action.setVisible(services.ctx.can(Permission.FORM_MANAGE))
        self.backup_reminder_bar.check(services)
        self.idle_lock_action.setVisible(services.ctx.can(Permission.VAULT_SETTINGS))
        if self._idle_override is None:
            self.idle_timer.setInterval(services.admin.idle_lock_minutes() * 60_000)
        self.idle_timer.start()
        if opened.notices:
            self._tell(opened.notices)
        self._check_pages()  # last: damage found (even at once) leaves the window locked

    def _tell(self, notices: tuple[str, ...]) -> None:
        """What opening noticed (a key file repaired from its copy, an upgrade, an older copy of
        the vault): said once, without blocking; it closes with the lock like every dialog."""
        box = QMessageBox(QMessageBox.Icon.Information, APP_TITLE, "\n\n".join(notices))
        box.setParent(self, box.windowFlags())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def show_follow_up(self) -> None:
        if self.services is None:
            return
        self._close_case()
        self.follow_up.set_services(self.services)
        self.stack.setCurrentWidget(self.follow_up)

    def open_case(self, reference: str) -> None:
        if self.services is None:
            return
        self._close_case()
        from intake_app.ui.case_view import CaseView  # with its tabs: loaded with the first case

        self.case_view = CaseView(self.services, reference, self.clock, self.clipboard, self.runner)
        self.case_view.closed.connect(self.close_case)
        self.stack.addWidget(self.case_view)
        self.stack.setCurrentWidget(self.case_view)

    def close_case(self) -> None:
        self._close_case()
        self.stack.setCurrentWidget(self.cases)
        self.cases.refresh()
        self._count_follow_up()

    def _check_pages(self) -> None:
        """S5's quick check of every page, run right after unlocking by a worker on its own
        read-only connection (seconds on a large vault, so not before the list shows). Damage
        locks the vault at once and says so on the unlock page."""
        services = self.services
        if services is None:
            return

        def damaged(error: BaseException) -> None:
            if self.services is not services:  # locked meanwhile: nothing of it is on screen
                return
            self.lock()
            self._show_unlock()
            self.unlock_page.message.setText(user_message(error))

        self.runner.run(session.page_check(services), lambda _none: None, damaged)

    def _count_follow_up(self) -> None:
        """How much is late, counted by a worker on its own read-only connection."""
        if self.services is None:
            return
        followup = self.services.followup

        def count(db: Database) -> int:
            return followup.dashboard(db=db).total_overdue

        self.runner.run(
            with_reader(self.services.ctx.vault.reader(), count),
            self.cases.set_follow_up_count,
            lambda _error: None,
        )

    def _close_case(self) -> None:
        if self.case_view is not None:
            self.case_view.flush()
            self.case_view.clear()
            self.stack.removeWidget(self.case_view)
            self.case_view.deleteLater()
            self.case_view = None

    # -- locking (S20, S21) -------------------------------------------------------------------
    def lock(self) -> None:
        """Neutral screen first, then: save, close the vault, zero the key, clear every view."""
        self.stack.setCurrentWidget(self.locked)
        self.idle_timer.stop()
        if self.case_view is not None:
            self.case_view.flush()
        self._close_case()
        self.cases.set_services(None)
        self.follow_up.set_services(None)
        self.clipboard.clear_on_lock()
        if self.services is not None:
            services, self.services = self.services, None
            services.lock()
        for dialog in self.findChildren(QDialog):  # nothing of the vault stays on screen
            if not isinstance(dialog, RecoveryKeyDialog):  # shown once, right after creation
                dialog.close()
        self.lock_action.setEnabled(False)
        self.users_action.setEnabled(False)
        self.recipients_action.setEnabled(False)
        self.passphrase_action.setEnabled(False)
        self.backup_action.setVisible(False)
        self.providers_action.setVisible(False)
        self.add_form_action.setVisible(False)
        self.idle_lock_action.setVisible(False)
        self.backup_reminder_bar.check(None)

    def _screen_name(self) -> str:
        """Which guide F1 opens (ui/help_menu.py): the page, or the case's tab."""
        page = self.stack.currentWidget()
        if self.case_view is not None and page is self.case_view:
            return self.case_view.tab_name()
        return {id(self.cases): "cases", id(self.follow_up): "follow-up"}.get(id(page), "unlock")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.lock()
        super().closeEvent(event)

    # -- language -----------------------------------------------------------------------------
    def _build_menus(self) -> None:
        self.vault_menu = self.menuBar().addMenu("")
        self.lock_action = QAction(self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(
            Qt.ShortcutContext.WidgetShortcut
        )  # the QShortcut owns Ctrl+L
        self.lock_action.triggered.connect(self.lock)
        self.lock_action.setEnabled(False)
        self.vault_menu.addAction(self.lock_action)
        self.users_action = QAction(self)
        self.users_action.triggered.connect(self.manage_users)
        self.passphrase_action = QAction(self)
        self.passphrase_action.triggered.connect(self.change_passphrase)
        self.vault_menu.addAction(self.users_action)
        self.vault_menu.addAction(self.passphrase_action)
        self.recipients_action = QAction(self)
        self.recipients_action.triggered.connect(lambda: self.manage_recipients())
        self.recipients_action.setEnabled(False)
        self.vault_menu.addAction(self.recipients_action)
        self.verify_action = QAction(self)
        self.verify_action.triggered.connect(lambda: self.verify_file())
        self.vault_menu.addAction(self.verify_action)
        self.backup_action = QAction(self)
        self.backup_action.triggered.connect(lambda: self.back_up())
        self.backup_action.setVisible(False)
        self.vault_menu.addAction(self.backup_action)
        self.providers_action = QAction(self)  # coordinators: visible once one unlocks
        self.providers_action.triggered.connect(lambda: self.import_providers())
        self.providers_action.setVisible(False)
        self.vault_menu.addAction(self.providers_action)
        self.add_form_action = QAction(self)  # coordinators: a form and the files it reads
        self.add_form_action.triggered.connect(lambda: self.add_form())
        self.add_form_action.setVisible(False)
        self.vault_menu.addAction(self.add_form_action)
        self.idle_lock_action = QAction(self)  # coordinators: visible once one unlocks
        self.idle_lock_action.triggered.connect(lambda: self.set_idle_lock())
        self.idle_lock_action.setVisible(False)
        self.vault_menu.addAction(self.idle_lock_action)
        self.users_action.setEnabled(False)
        self.passphrase_action.setEnabled(False)
        self.language_menu = self.menuBar().addMenu("")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGES.items():
            action = QAction(name, self, checkable=True)
            action.triggered.connect(lambda _checked, c=code: self.set_language(c))
            group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        self.language_actions.get(i18n.current_language(), self.language_actions["en"]).setChecked(
            True
        )
        self.help_menu = HelpMenu(self, lambda: self.services, self._screen_name)

    def set_language(self, language: str) -> None:
        """One path: swap catalogs → Qt's own translations → direction → LanguageChange everywhere."""
        i18n.set_language(language)
        app = _app()
        app.removeTranslator(self._qt_translator)
        self._qt_translator = QTranslator()
        if self._qt_translator.load(
            QLocale(language),
            "qtbase",
            "_",
            QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
        ):
            app.installTranslator(self._qt_translator)
        QLocale.setDefault(QLocale(language))
        app.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft
            if i18n.is_rtl(language)
            else Qt.LayoutDirection.LeftToRight
        )
        self.language_actions[language].setChecked(True)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.vault_menu.setTitle(_("&Vault"))
        self.lock_action.setText(_("&Lock now"))
        self.users_action.setText(_("&Users…"))
        self.passphrase_action.setText(_("Change my &passphrase…"))
        self.verify_action.setText(_("Check a &sealed file…"))
        self.recipients_action.setText(_("&Recipients and my certificate…"))
        self.backup_action.setText(_("&Back up now…"))
        self.providers_action.setText(_("&Import providers (CSV)…"))
        self.add_form_action.setText(_("Add a &form…"))
        self.idle_lock_action.setText(_("I&dle lock…"))
        self.backup_reminder_bar.retranslate_ui()
        self.language_menu.setTitle(_("&Language"))
        self.help_menu.retranslate_ui()
        for page in (self.first_run, self.unlock_page, self.cases, self.locked, self.follow_up):
            page.retranslate_ui()
        if self.case_view is not None and self.services is not None:
            # rebuilt in the new language, unsaved text flushed; the same tab, scroll and cursor
            state = self.case_view.view_state()
            self.open_case(self.case_view.reference)
            if self.case_view is not None:
                self.case_view.restore_view_state(state)
