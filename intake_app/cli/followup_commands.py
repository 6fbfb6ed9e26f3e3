"""Commands for follow-up reporting (docs/design.md §7): the provider directory, referrals, updates."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from intake_app.cli.commands import CommandContext
from intake_app.cli.io import print_table
from intake_app.core.i18n import _, _n
from intake_app.core.provider_csv import MAX_CSV, format_providers
from intake_app.core.referrals import is_overdue
from intake_app.core.user_files import read_capped, write_new_file


def cmd_providers(ctx: CommandContext) -> None:
    with ctx.session() as services:
        if ctx.args.providers_command == "import":
            data = read_capped(ctx.args.file, MAX_CSV, _("a directory of providers"))
            added, skipped = services.referrals.import_providers(data)
            ctx.emit(
                {"added": [asdict(p) for p in added], "skipped": skipped},
                [
                    _n(
                        "{count} provider added.",
                        "{count} providers added.",
                        len(added),
                    ).format(count=len(added)),
                    _n(
                        "{count} already in the directory, left as it was.",
                        "{count} already in the directory, left as they were.",
                        skipped,
                    ).format(count=skipped),
                ],
            )
            return
        providers = services.referrals.providers()
    if ctx.args.providers_command == "export":
        write_new_file(ctx.args.out, format_providers(providers))
        ctx.emit(
            {"out": ctx.args.out, "providers": len(providers)},
            [
                _n(
                    "{count} provider written to {path}.",
                    "{count} providers written to {path}.",
                    len(providers),
                ).format(count=len(providers), path=ctx.args.out)
            ],
        )
        return
    if ctx.args.json:
        ctx.emit([asdict(p) for p in providers], [])
        return
    print_table(
        ctx.out,
        [_("type"), _("organisation"), _("languages"), _("contact")],
        [(p.type.value, p.organisation, ",".join(p.languages), p.contact) for p in providers],
    )


def cmd_referrals(ctx: CommandContext) -> None:
    """Open referrals across cases (sent, accepted, drafts), or only those overdue."""
    with ctx.session() as services:
        referrals = services.referrals.open_referrals(overdue_only=ctx.args.overdue)
        now = services.ctx.now()
        references = {c.id: c.reference for c in services.cases.list(limit=1_000_000)}
        providers = {p.id: p.organisation for p in services.referrals.providers()}
    rows: list[dict[str, Any]] = [
        {
            "id": r.id,
            "case": references.get(r.case_id, r.case_id),
            "service": r.service_type.value,
            "provider": providers.get(r.provider_id, r.provider_id),
            "status": r.status.value,
            "due_at": r.due_at,
            "overdue": is_overdue(r, now),
            "updated_at": r.updated_at,
        }
        for r in referrals
    ]
    if ctx.args.json:
        ctx.emit(rows, [])
        return
    print_table(
        ctx.out,
        [_("case"), _("service"), _("provider"), _("status"), _("due"), _("overdue")],
        [
            (
                r["case"],
                r["service"],
                r["provider"],
                r["status"],
                (r["due_at"] or "")[:10],
                _("yes") if r["overdue"] else "",
            )
            for r in rows
        ],  # fmt: skip
    )


def cmd_updates(ctx: CommandContext) -> None:
    """Case updates to survivors; with --due, those whose promised feedback date has passed."""
    with ctx.session() as services:
        updates = services.liaison.due() if ctx.args.due else services.liaison.all_updates()
        references = {c.id: c.reference for c in services.cases.list(limit=1_000_000)}
    rows: list[dict[str, Any]] = [
        {
            "id": u.id,
            "case": references.get(u.case_id, u.case_id),
            "kind": u.kind.value,
            "channel": u.channel.value,
            "language": u.language,
            "status": u.status.value,
            "feedback_due": u.feedback_due,
            "prepared_at": u.prepared_at,
            "updated_at": u.updated_at,
        }
        for u in updates
    ]  # the text of an update is not reported: it may name the survivor
    if ctx.args.json:
        ctx.emit(rows, [])
        return
    print_table(
        ctx.out,
        [_("case"), _("kind"), _("channel"), _("status"), _("feedback due")],
        [
            (r["case"], r["kind"], r["channel"], r["status"], (r["feedback_due"] or "")[:10])
            for r in rows
        ],
    )


FOLLOWUP_COMMANDS = {
    "providers": cmd_providers,
    "referrals": cmd_referrals,
    "updates": cmd_updates,
}
