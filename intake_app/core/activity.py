"""A case's activity as a person reads it: events grouped by kind, and repeated views of the same
kind by the same user on the same day folded into one line ("testimony read 12 times today").

The audit log keeps every event (every read of testimony is audited); this
is only how the Activity tab shows them, so a day of reading does not bury the one change that
matters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from intake_app.core.clock import parse_iso
from intake_app.core.i18n import N_, _, _n, format_date

if TYPE_CHECKING:
    from intake_app.core.vault.audit import AuditEvent

# The kind of an event, from the first part of its action ("statement.sealed" → testimony).
KINDS: dict[str, str] = {
    "case": N_("Case and people"),
    "testimony": N_("Testimony"),
    "consent": N_("Consent"),
    "interview": N_("Interviews"),
    "files": N_("Files"),
    "forms": N_("Forms"),
    "referrals": N_("Referrals"),
    "liaison": N_("Updates to the survivor"),
    "exports": N_("Exports"),
    "other": N_("Other"),
}
_PREFIX_KIND = {
    "case": "case",
    "person": "case",
    "statement": "testimony",
    "consent": "consent",
    "interview": "interview",
    "attachment": "files",
    "form": "forms",
    "referral": "referrals",
    "provider": "referrals",
    "contact_plan": "liaison",
    "update": "liaison",
    "promise": "liaison",
    "export": "exports",
    "identity": "exports",
}


def kind_of(action: str) -> str:
    return _PREFIX_KIND.get(action.split(".", 1)[0], "other")


def is_view(action: str) -> bool:
    """A read that is audited ("case.viewed", "statement.viewed", "attachment.viewed")."""
    return action.endswith(".viewed")


@dataclass(frozen=True)
class ActivityRow:
    """One line of the Activity tab: an event, or ``count`` views folded together (``at`` is the
    latest, ``first_at`` the earliest of them)."""

    at: str
    action: str
    user_id: str | None
    kind: str
    count: int = 1
    first_at: str | None = None


def activity_rows(events: Iterable[AuditEvent], kind: str | None = None) -> list[ActivityRow]:
    """``events`` newest first (as the log returns them); only ``kind`` when given. Views of one
    kind (testimony, a case, a file) by the same user on the same day become one row, where the
    latest view was: one line per statement read would say the same thing twice."""
    rows: list[ActivityRow] = []
    folded: dict[tuple[str, str | None, str], int] = {}
    for event in events:
        event_kind = kind_of(event.action)
        if kind is not None and event_kind != kind:
            continue
        if is_view(event.action):
            key = (event.at[:10], event.user_id, event.action)
            index = folded.get(key)
            if index is not None:
                rows[index] = replace(rows[index], count=rows[index].count + 1, first_at=event.at)
                continue
            folded[key] = len(rows)
        rows.append(ActivityRow(event.at, event.action, event.user_id, event_kind))
    return rows


def describe(row: ActivityRow, actions: Mapping[str, str], today: date) -> str:
    """What happened, translated: "testimony read" or "testimony read 12 times today"."""
    action = _(actions[row.action]) if row.action in actions else row.action
    if row.count == 1:
        return action
    day = parse_iso(row.at).date()
    if day == today:
        return _n("{action} {count} time today", "{action} {count} times today", row.count).format(
            action=action, count=row.count
        )
    return _n(
        "{action} {count} time on {day}", "{action} {count} times on {day}", row.count
    ).format(action=action, count=row.count, day=format_date(day))
