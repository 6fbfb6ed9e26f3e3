"""Small dialogs: the recovery key shown once, a reason asked for, a choice confirmed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.core.i18n import _, current_language, day_pattern
from intake_app.ui.clipboard import SensitiveClipboard


def accepted(dialog: QDialog) -> bool:
    """Whether the dialog is accepted: already (a caller prepared it) or by the user, now."""
    return (
        dialog.result() == QDialog.DialogCode.Accepted
        or dialog.exec() == QDialog.DialogCode.Accepted
    )


class RecoveryKeyDialog(QDialog):
    """Shows the recovery key once; the user must confirm it is stored before going on."""

    def __init__(
        self,
        recovery_key: str,
        device_bound: bool,
        clipboard: SensitiveClipboard,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._key = recovery_key
        self._clipboard = clipboard
        self.setWindowTitle(_("Recovery key"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "This recovery key opens the vault if a passphrase is forgotten or this computer is lost. "
                "It is shown only now. Print it or write it down, and keep it apart from the laptop."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.key_label = QLabel(recovery_key)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.key_label.setFont(font)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setAccessibleName(_("Recovery key"))
        self.key_label.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        layout.addWidget(self.key_label, alignment=Qt.AlignmentFlag.AlignHCenter)
        mode = QLabel(
            _(
                "This vault is bound to this computer's keyring: the passphrase alone will not open it "
                "elsewhere."
            )
            if device_bound
            else _(
                "No system keyring is available: this vault is protected by its passphrase alone."
            )
        )
        mode.setWordWrap(True)
        layout.addWidget(mode)
        row = QHBoxLayout()
        self.copy_button = QPushButton(_("Copy"))
        self.copy_button.clicked.connect(lambda: self._clipboard.copy(self._key))
        self.print_button = QPushButton(_("Print…"))
        self.print_button.clicked.connect(self._print)
        row.addWidget(self.copy_button)
        row.addWidget(self.print_button)
        row.addStretch()
        layout.addLayout(row)
        self.confirm = QCheckBox(_("I have stored the recovery key safely"))
        layout.addWidget(self.confirm)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.confirm.toggled.connect(
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled
        )
        layout.addWidget(self.buttons)

    def _print(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            document = QTextDocument()
            document.setPlainText(_("intake_app recovery key") + "\n\n" + self._key)
            document.print_(printer)


class ReasonDialog(QDialog):
    """Asks for a written reason (withdrawal, amendment, break); OK only with some text."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName(prompt)
        label.setBuddy(self.text)
        layout.addWidget(self.text)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.text.textChanged.connect(lambda: ok.setEnabled(bool(self.text.toPlainText().strip())))
        layout.addWidget(self.buttons)

    def reason(self) -> str:
        return self.text.toPlainText().strip()


class FieldsDialog(QDialog):
    """A titled form of named, labelled fields with OK and Cancel (labels already translated);
    ``fields[name]`` is the widget, for the caller and for tests."""

    def __init__(
        self, title: str, rows: list[tuple[str, str, QWidget]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.fields: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        form = QFormLayout()
        for name, label, widget in rows:
            form.addRow(label, widget)
            self.fields[name] = widget
            if not widget.accessibleName():
                widget.setAccessibleName(label)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)


def date_field(initial: date) -> QDateEdit:
    """A date with a calendar, shown as the interface language writes dates."""
    field = QDateEdit(QDate(initial.year, initial.month, initial.day))
    field.setCalendarPopup(True)
    language = current_language()
    field.setLocale(QLocale(language))
    field.setDisplayFormat(qt_day_format(language))  # Qt's own short format is numeric
    return field


def qt_day_format(language: str) -> str:
    """The CLDR day pattern with the month as a word (what ``format_date`` writes), in Qt's
    date-format syntax: CLDR's ``y`` (the full year) is Qt's ``yyyy``; quoted text stays."""
    out, quoted = [], False
    pattern = day_pattern(language)
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "'":
            quoted = not quoted
        if char == "y" and not quoted:
            while index < len(pattern) and pattern[index] == "y":
                index += 1
            out.append("yyyy")
            continue
        out.append(char)
        index += 1
    return "".join(out)


def picked_date(field: QDateEdit) -> date:
    value = field.date()
    return date(value.year(), value.month(), value.day())


def end_of_day(day: date) -> str:
    """A due date typed as a day means the end of that day (UTC), in the vault's time format."""
    return day.isoformat() + "T23:59:59.999999Z"
