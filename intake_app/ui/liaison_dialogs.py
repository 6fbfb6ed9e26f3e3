"""The Liaison tab's dialogs: the safe contact plan, and an update drafted from its template."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from intake_app.core.errors import IntakeError
from intake_app.core.i18n import SHIPPED_LANGUAGES, _, language_name
from intake_app.core.labels import CHANNELS, UPDATE_KINDS
from intake_app.core.records import Channel, ContactPlan, UpdateKind
from intake_app.ui.dialogs import FieldsDialog, date_field, picked_date
from intake_app.ui.text_direction import set_text_language

if TYPE_CHECKING:
    from intake_app.core.services import Services


def plan_dialog(plan: ContactPlan | None, parent: QWidget) -> FieldsDialog:
    """The safe contact plan, to edit (the code word typed as a password)."""
    safe = _channel_boxes(plan.safe_channels if plan else ())
    never = _channel_boxes(plan.unsafe_channels if plan else ())
    language = QComboBox()
    language.addItem("—", None)
    for code in SHIPPED_LANGUAGES:
        language.addItem(language_name(code, language=code), code)
    if plan and plan.preferred_language:
        language.setCurrentIndex(max(0, language.findData(plan.preferred_language)))
    times = QLineEdit((plan.safe_times or "") if plan else "")
    code_word = QLineEdit((plan.code_word or "") if plan else "")
    code_word.setEchoMode(QLineEdit.EchoMode.Password)
    intermediary = QLineEdit((plan.intermediary or "") if plan else "")
    return FieldsDialog(
        _("Safe contact plan"),
        [
            ("safe", _("Safe channels"), safe),
            ("never", _("Never use"), never),
            ("times", _("Safe times"), times),
            ("language", _("Preferred language"), language),
            ("intermediary", _("Trusted intermediary"), intermediary),
            ("code", _("Code word"), code_word),
        ],
        parent,
    )


def draft_dialog(
    services: Services,
    reference: str,
    channels: tuple[Channel, ...],
    preferred: str | None,
    parent: QWidget,
    on_error: Callable[[str], None],
) -> FieldsDialog:
    """An update drafted from its template in the survivor's language, redrafted as the officer
    changes the kind, language, date, details or name; the text stays editable."""
    kind, channel, language = QComboBox(), QComboBox(), QComboBox()
    for update_kind, label in UPDATE_KINDS.items():
        kind.addItem(_(label), update_kind.value)
    for safe in channels:
        channel.addItem(_(CHANNELS[safe]), safe.value)
    for code in SHIPPED_LANGUAGES:
        language.addItem(language_name(code, language=code), code)
    survivor = services.cases.survivor(reference)
    default = preferred or (survivor.languages[0] if survivor and survivor.languages else "en")
    language.setCurrentIndex(max(0, language.findData(default)))
    today = services.ctx.clock.now().date()
    when, details, named = date_field(today), QLineEdit(), QCheckBox(_("Use the legal name"))
    promise, promise_by = (
        QCheckBox(_("Promise news by a date")),
        date_field(today + timedelta(days=30)),
    )
    text = QPlainTextEdit()
    text.setMinimumHeight(140)
    dialog = FieldsDialog(
        _("Draft an update"),
        [
            ("kind", _("Kind of news"), kind),
            ("channel", _("Channel (from the plan)"), channel),
            ("language", _("The survivor's language"), language),
            ("when", _("Date of the event"), when),
            ("details", _("Details to add"), details),
            ("named", "", named),
            ("promise", "", promise),
            ("promise_by", _("News promised by"), promise_by),
            ("text", _("Text (adapt it before preparing)"), text),
        ],
        parent,
    )

    def redraft() -> None:
        try:
            text.setPlainText(
                services.liaison.draft_update(
                    reference,
                    UpdateKind(kind.currentData()),
                    language=str(language.currentData()),
                    when=picked_date(when),
                    details=details.text(),
                    use_legal_name=named.isChecked(),
                )
            )
        except IntakeError as exc:
            on_error(exc.message)

    for box in (kind, language):
        box.currentIndexChanged.connect(redraft)
    when.dateChanged.connect(redraft)
    details.editingFinished.connect(redraft)
    named.toggled.connect(redraft)

    def follow_language() -> None:  # the draft is laid out in the letter's language
        set_text_language(text, str(language.currentData()))

    language.currentIndexChanged.connect(follow_language)
    follow_language()
    redraft()
    return dialog


def _channel_boxes(chosen: tuple[Channel, ...]) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for channel in Channel:
        check = QCheckBox(_(CHANNELS[channel]))
        check.setProperty("channel", channel.value)
        check.setChecked(channel in chosen)
        layout.addWidget(check)
    return box


def checked_channels(box: QWidget) -> list[Channel]:
    return [
        Channel(check.property("channel"))
        for check in box.findChildren(QCheckBox)
        if check.isChecked()
    ]


def line_text(field: QWidget) -> str | None:
    assert isinstance(field, QLineEdit)
    return field.text().strip() or None


def combo(field: QWidget) -> QComboBox:
    assert isinstance(field, QComboBox)
    return field


def checkbox(field: QWidget) -> QCheckBox:
    assert isinstance(field, QCheckBox)
    return field


def plain(field: QWidget) -> QPlainTextEdit:
    assert isinstance(field, QPlainTextEdit)
    return field
