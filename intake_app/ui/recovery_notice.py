"""The "draft recovered" notice: after the app stopped without locking (a crash, a power cut), the
editor that restores an autosaved draft says what it restored, so the interviewer can check the
last sentences with the survivor instead of wondering what was lost."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from intake_app.core.clock import parse_iso
from intake_app.core.i18n import _, _n, format_datetime
from intake_app.core.testimony import RecoveredDraft


def notice_text(draft: RecoveredDraft, title: str | None = None) -> str:
    when = _short(draft.autosaved_at)
    opened = _short(draft.session_started_at)
    name = title or draft.title
    if draft.kind == "form":
        text = _n(
            "Draft recovered: the app closed without locking in the session opened {opened}. "
            "Restored from the autosave of {when}: the form “{title}” of case {case}, "
            "{count} answer.",
            "Draft recovered: the app closed without locking in the session opened {opened}. "
            "Restored from the autosave of {when}: the form “{title}” of case {case}, "
            "{count} answers.",
            draft.size,
        )
    else:
        text = _n(
            "Draft recovered: the app closed without locking in the session opened {opened}. "
            "Restored from the autosave of {when}: “{title}”, version {version}, of case {case}, "
            "{count} word.",
            "Draft recovered: the app closed without locking in the session opened {opened}. "
            "Restored from the autosave of {when}: “{title}”, version {version}, of case {case}, "
            "{count} words.",
            draft.size,
        )
    message = text.format(
        opened=opened,
        when=when,
        title=_isolate(name),
        version=draft.version,
        case=_isolate(draft.case_reference),
        count=draft.size,
    )
    if draft.interview_started_at:
        message += " " + _("It belongs to the interview started {started}.").format(
            started=_short(draft.interview_started_at)
        )
    return message + " " + _("Check the last sentences with the survivor.")


class RecoveryNotice(QLabel):
    """Hidden unless a recovered draft is on screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAccessibleName(_("Draft recovered"))
        self.setStyleSheet("QLabel { background: #fff4d6; color: #402a00; padding: 6px; }")
        self.setVisible(False)

    def show_draft(self, draft: RecoveredDraft | None, title: str | None = None) -> None:
        self.setText(notice_text(draft, title) if draft is not None else "")
        self.setVisible(draft is not None)


def _isolate(value: str) -> str:
    """A reference or a title set apart for the bidi algorithm (FSI … PDI): "C-2A8Z" followed by
    "، 12 كلمة" would otherwise join the number into one left-to-right run in an Arabic sentence."""
    return "\u2068" + value + "\u2069"


def _short(stamp: str) -> str:
    return format_datetime(parse_iso(stamp), width="short")
