"""S44: Ctrl+L locks from inside any dialog, modal or not, and closes it."""

from __future__ import annotations

from gui_helpers import unlock
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit


def test_ctrl_l_inside_a_dialog_locks_and_closes_it(window, qtbot):
    unlock(window)
    dialog = window.manage_users()
    field = dialog.findChild(QLineEdit)
    field.setFocus()
    field.setText("a witness's name typed in the dialog")
    QTest.keyClick(field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.services is None, timeout=2000)
    assert window.stack.currentWidget() is window.locked
    assert not dialog.isVisible()


def test_ctrl_l_inside_a_modal_dialog_locks(window, qtbot):
    unlock(window)
    seen: list[QDialog] = []

    def press() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(10, press)
            return
        seen.append(modal)
        QTest.keyPress(modal, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    QTimer.singleShot(0, press)
    modal = QDialog(window)
    modal.setModal(True)
    modal.exec()  # returns once the lock has closed it
    assert seen == [modal]
    assert window.services is None and window.stack.currentWidget() is window.locked
