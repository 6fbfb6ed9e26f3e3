"""Help: a short guide to each screen (F1 opens the one on screen) and About (the version, the
vault's mode, the last verified backup). Every text is translated; nothing here reads testimony."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from intake_app import __version__
from intake_app.core.i18n import N_, _, format_datetime

if TYPE_CHECKING:
    from intake_app.core.services import Services

# (title, text) per screen; the key is what the window reports as on screen (HelpMenu.screen).
GUIDES: dict[str, tuple[str, str]] = {
    "unlock": (
        N_("Opening the vault"),
        N_(
            "Choose your user name and type your passphrase. After several wrong attempts the vault "
            "makes you wait, so nobody can guess at speed. Forgot it? A coordinator can give you a "
            "new one, or use the printed recovery key."
        ),
    ),
    "cases": (
        N_("Cases"),
        N_(
            "Every case you may see, by its reference and pseudonym, never by a legal name. Search "
            "finds words in testimony in any language, with or without accents or vowel marks. "
            "Ctrl+L locks the window at once, from anywhere."
        ),
    ),
    "overview": (
        N_("A case: overview and people"),
        N_(
            "The people of the case (survivor, guardian, witnesses) under their pseudonyms. Legal "
            "names and dates of birth are shown only to roles that need them, and every view of "
            "them is recorded."
        ),
    ),
    "testimony": (
        N_("Testimony"),
        N_(
            "Type what the survivor says, in their words and language; it is saved about every "
            "second. Sealing fixes a version with its fingerprint; a later correction is a new "
            "version that points to the one it corrects, never an edit."
        ),
    ),
    "intake": (
        N_("Intake forms"),
        N_(
            "The organisation's forms, in the survivor's language. Questions appear and disappear "
            "as answers are given; a form can be left as a draft and finished later."
        ),
    ),
    "consent": (
        N_("Consent"),
        N_(
            "Record each decision the survivor makes, purpose by purpose, with how it was "
            "explained. A withdrawal takes effect from its moment: nothing is sent afterwards that "
            "the survivor withdrew."
        ),
    ),
    "referrals": (
        N_("Referrals"),
        N_(
            "Refer the survivor to a service only with their consent to it; each step (sent, "
            "accepted, completed) is recorded with its date. Only a coordinator may override a "
            "missing consent, with the legal basis, and the override is marked."
        ),
    ),
    "liaison": (
        N_("Liaison and updates"),
        N_(
            "The safe way to reach the survivor (channel, times, what never to do) and the updates "
            "prepared for them in their language. Promises made to the survivor carry a date, and "
            "the follow-up page lists what is late."
        ),
    ),
    "activity": (
        N_("Activity"),
        N_(
            "Everything done on the case and who did it: every view, change and export, from the "
            "tamper-evident audit log. Repeated views are folded into one line."
        ),
    ),
    "exports": (
        N_("Sealed exports"),
        N_(
            "A sealed PDF for one recipient: what the survivor's consent allows is included, the "
            "rest is listed as withheld with the reason. The file is encrypted to the recipient and "
            "signed, and the recipient can prove it was not altered."
        ),
    ),
    "follow-up": (
        N_("Follow-up"),
        N_(
            "What is due across your cases: referrals to check, promised news, updates waiting to "
            "be sent. The oldest come first."
        ),
    ),
}
ORDER = tuple(GUIDES)


class GuideDialog(QDialog):
    def __init__(self, screen: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Guide"))
        layout = QHBoxLayout(self)
        self.screens = QListWidget()
        self.screens.setAccessibleName(_("Screens"))
        for key in ORDER:
            self.screens.addItem(_(GUIDES[key][0]))
        self.text = QTextBrowser()
        self.text.setAccessibleName(_("Guide"))
        layout.addWidget(self.screens, 1)
        column = QVBoxLayout()
        column.addWidget(self.text)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        column.addWidget(close)
        layout.addLayout(column, 2)
        self.screens.currentRowChanged.connect(self._show)
        self.screens.setCurrentRow(ORDER.index(screen) if screen in GUIDES else 0)
        self.resize(760, 420)

    def _show(self, row: int) -> None:
        if 0 <= row < len(ORDER):
            title, text = GUIDES[ORDER[row]]
            self.text.setPlainText(f"{_(title)}\n\n{_(text)}")


def about_text(services: Services | None) -> str:
    lines = [_("intake_app {version}").format(version=__version__)]
    if services is None:
        lines.append(_("Unlock the vault to see its mode and its last verified backup."))
        return "\n\n".join(lines)
    vault = services.ctx.vault
    username = vault.username
    bound = username is not None and vault.device_bound(username)
    lines.append(
        _("This vault opens with your passphrase and this computer's device secret.")
        if bound
        else _("This vault opens with the passphrase alone (no device secret).")
    )
    last = services.admin.last_backup()
    lines.append(
        _("Last verified backup: {when}.").format(when=format_datetime(last))
        if last is not None
        else _("No verified backup of this vault has been made yet.")
    )
    return "\n\n".join(lines)


class HelpMenu:
    """The window's Help menu; ``screen()`` says which guide F1 opens."""

    def __init__(
        self,
        window: QMainWindow,
        services: Callable[[], Services | None],
        screen: Callable[[], str],
    ) -> None:
        self._window, self._services, self._screen = window, services, screen
        self.menu = window.menuBar().addMenu("")
        self.guide_action = QAction(window)
        self.guide_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.guide_action.triggered.connect(lambda: self.show_guide())
        self.about_action = QAction(window)
        self.about_action.triggered.connect(lambda: self.show_about())
        self.menu.addAction(self.guide_action)
        self.menu.addAction(self.about_action)

    def retranslate_ui(self) -> None:
        self.menu.setTitle(_("&Help"))
        self.guide_action.setText(_("&Guide to this screen"))
        self.about_action.setText(_("&About intake_app"))

    def show_guide(self) -> GuideDialog:
        dialog = GuideDialog(self._screen(), self._window)
        dialog.show()
        return dialog

    def show_about(self) -> QMessageBox:
        box = QMessageBox(self._window)
        box.setWindowTitle(_("About intake_app"))
        box.setText(about_text(self._services()))
        box.setIcon(QMessageBox.Icon.Information)
        box.show()
        return box
