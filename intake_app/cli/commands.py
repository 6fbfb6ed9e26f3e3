"""The headless commands. Each opens the vault, calls the services, and prints."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from intake_app.cli.io import SecretReader, print_json, print_table
from intake_app.core import session as vault_session
from intake_app.core.errors import InvalidInput, NotFound
from intake_app.core.i18n import _, _n
from intake_app.core.labels import ROLE_NAMES
from intake_app.core.records import CaseStatus, Role
from intake_app.core.services import Services
from intake_app.core.services.views import case_view
from intake_app.core.vault.backup import restore_backup
from intake_app.core.vault.selftest import run_selftest
from intake_app.core.vault.vault import VaultOptions


class CommandContext:
    def __init__(
        self,
        args: argparse.Namespace,
        options: VaultOptions,
        stdin: IO[str],
        stdout: IO[str],
        default_vault: Path,
    ) -> None:
        self.args = args
        self.options = options
        self.secrets = SecretReader(stdin)
        self.out = stdout
        self.vault_dir = Path(args.vault).expanduser() if args.vault else default_vault

    def username(self) -> str:
        if self.args.user:
            return str(self.args.user)
        names = vault_session.list_users(self.vault_dir)
        if len(names) == 1:
            return names[0]
        raise InvalidInput(_("Say which user you are with --user NAME."))

    def open(self) -> Services:
        if not vault_session.vault_exists(self.vault_dir):
            raise NotFound(_("There is no vault in {folder}.").format(folder=self.vault_dir))
        username = self.username()
        passphrase = self.secrets.read(_("Passphrase for {user}:").format(user=username))
        opened = vault_session.unlock(self.vault_dir, username, passphrase, self.options)
        for notice in opened.notices:
            self.out.write(notice + "\n")
        return opened.services

    @contextlib.contextmanager
    def session(self) -> Iterator[Services]:
        """The vault open as the given user for one command; locked afterwards, whatever happens."""
        services = self.open()
        try:
            yield services
        finally:
            vault_session.lock(services)

    def emit(self, value: Any, lines: list[str]) -> None:
        if self.args.json:
            print_json(self.out, value)
        else:
            for line in lines:
                self.out.write(line + "\n")


def cmd_init(ctx: CommandContext) -> None:
    username = ctx.args.user
    if not username:
        raise InvalidInput(_("Choose the first user's name with --user NAME."))
    passphrase = ctx.secrets.read(
        _("New passphrase for {user}:").format(user=username), confirm=True
    )
    created = vault_session.create(
        ctx.vault_dir, username, ctx.args.name or username, passphrase, ctx.options
    )
    mode = (
        _("device-bound: the passphrase works only together with this computer's keyring")
        if created.device_bound
        else _(
            "passphrase-only: no system keyring is available, so the passphrase alone opens the vault"
        )
    )
    ctx.emit(
        {
            "vault": str(created.directory),
            "user": username,
            "role": "coordinator",
            "recovery_key": created.recovery_key,
            "device_bound": created.device_bound,
        },
        [
            _("Vault created in {folder}.").format(folder=created.directory),
            _("Mode: {mode}.").format(mode=mode),
            _(
                "RECOVERY KEY (shown only now; print it or write it down and keep it somewhere safe):"
            ),
            "",
            "    " + created.recovery_key,
            "",
        ],
    )


def cmd_user(ctx: CommandContext) -> None:
    action = ctx.args.user_command
    with ctx.session() as services:
        if action == "add":
            new = ctx.secrets.read(
                _("Passphrase for the new user {user}:").format(user=ctx.args.name), confirm=True
            )
            user, bound = services.users.add(
                ctx.args.name, ctx.args.display_name or ctx.args.name, Role(ctx.args.role), new
            )
            ctx.emit(
                {"user": user.username, "role": user.role.value, "device_bound": bound},
                [
                    _("User {user} added as {role}.").format(
                        user=user.username, role=user.role.value
                    )
                ],
            )
        elif action == "list":
            users = services.users.list()
            if ctx.args.json:
                print_json(ctx.out, [asdict(u) for u in users])
            else:
                print_table(
                    ctx.out,
                    [_("user"), _("name"), _("role"), _("removed")],
                    [(u.username, u.display_name, u.role.value, u.removed_at or "") for u in users],
                )
        elif action == "remove":
            services.users.remove(ctx.args.name)
            ctx.emit(
                {"removed": ctx.args.name},
                [
                    _("User {user} removed; their passphrase no longer opens the vault.").format(
                        user=ctx.args.name
                    )
                ],
            )
        elif action == "role":
            changed = services.users.set_role(ctx.args.name, Role(ctx.args.role))
            ctx.emit(
                {"user": changed.username, "role": changed.role.value},
                [
                    _("{user} is now {role}.").format(
                        user=changed.username, role=_(ROLE_NAMES[changed.role])
                    )
                ],
            )
        elif action == "passwd":
            current = ctx.secrets.read(_("Current passphrase:"))
            new = ctx.secrets.read(_("New passphrase:"), confirm=True)
            services.users.change_own_passphrase(current, new)
            ctx.emit({"changed": True}, [_("Passphrase changed.")])


def cmd_recover(ctx: CommandContext) -> None:
    username = ctx.args.user
    if not username:
        raise InvalidInput(_("Say whose passphrase to reset with --user NAME."))
    key = ctx.secrets.read(_("Recovery key:"))
    bound = vault_session.recover(
        ctx.vault_dir,
        key,
        username,
        # asked once the key has opened the vault: a mistyped key costs no new passphrase
        lambda: ctx.secrets.read(
            _("New passphrase for {user}:").format(user=username), confirm=True
        ),
        ctx.options,
    )
    ctx.emit(
        {"user": username, "device_bound": bound},
        [_("{user} has a new passphrase.").format(user=username)],
    )


def cmd_demo(ctx: CommandContext) -> None:
    from intake_app.core.demo import generate

    if ctx.args.cases < 1 or ctx.args.cases > 1_000_000:
        raise InvalidInput(_("Give a number of cases between 1 and 1,000,000."))
    with ctx.session() as services:
        references = generate(services, ctx.args.cases, seed=ctx.args.seed)
    ctx.emit(references, references)


def cmd_cases(ctx: CommandContext) -> None:
    with ctx.session() as services:
        status = CaseStatus(ctx.args.status) if ctx.args.status else None
        cases = services.cases.list(
            status=status, limit=ctx.args.limit, hide_closed=not (ctx.args.all or status)
        )
    if ctx.args.json:
        print_json(
            ctx.out,
            [
                {
                    "reference": c.reference,
                    "status": c.status.value,
                    "languages": list(c.languages),
                    "updated_at": c.updated_at,
                }
                for c in cases
            ],
        )
    else:
        print_table(
            ctx.out,
            [_("reference"), _("status"), _("languages"), _("updated")],
            [
                (c.reference, c.status.value, ",".join(c.languages), c.updated_at[:16])
                for c in cases
            ],
        )


def cmd_close_or_reopen(ctx: CommandContext) -> None:
    with ctx.session() as services:
        change = services.cases.close if ctx.args.command == "close" else services.cases.reopen
        case = change(ctx.args.reference, ctx.args.reason)
    ctx.emit(
        {"reference": case.reference, "status": case.status.value},
        [
            (
                _("Case {reference} closed.")
                if case.status is CaseStatus.CLOSED
                else _("Case {reference} reopened.")
            ).format(reference=case.reference)
        ],
    )


def cmd_show(ctx: CommandContext) -> None:
    with ctx.session() as services:
        view = case_view(services, ctx.args.reference)
    if ctx.args.json:
        print_json(ctx.out, view)
        return
    survivor = view["survivor"] or {}
    ctx.out.write(f"{view['reference']}  [{view['status']}]\n")
    ctx.out.write(
        _("Survivor: {pseudonym}").format(pseudonym=survivor.get("pseudonym", "—")) + "\n"
    )
    for statement in view["statements"]:
        ctx.out.write(
            f"\n# {statement['title']} (v{statement['version']}, {statement['status']}, "
            f"{statement['language']})\n"
        )
        if "text" in statement:
            ctx.out.write(statement["text"] + "\n")
        if statement["sha256"]:
            ctx.out.write(f"sha256 {statement['sha256']}\n")
    ctx.out.write("\n" + _("Consent:") + "\n")
    for c in view["consents"]:
        state = _("withdrawn") if c["withdrawn_at"] else c["decision"]
        ctx.out.write(f"  {c['purpose']:<22} {c['scope']:<28} {state}\n")


def cmd_search(ctx: CommandContext) -> None:
    with ctx.session() as services:
        hits = services.search.search(ctx.args.query)
    if ctx.args.json:
        print_json(ctx.out, [asdict(h) for h in hits])
    else:
        print_table(
            ctx.out,
            [_("case"), _("found in"), _("context")],
            [(h.reference, h.kind, h.snippet) for h in hits],
        )


def cmd_audit(ctx: CommandContext) -> int:
    with ctx.session() as services:
        if ctx.args.audit_command == "verify":
            report = services.admin.verify()
            ctx.emit(
                {
                    "ok": report.ok,
                    "events": report.events,
                    "head": report.head.hash,
                    "problems": list(report.problems),
                },
                [
                    _n(
                        "Vault verified: {count} audit event, chain head {head}.",
                        "Vault verified: {count} audit events, chain head {head}.",
                        report.events,
                    ).format(count=report.events, head=report.head.hash)
                ]
                if report.ok
                else [_("The vault FAILED verification:")] + [f"  - {p}" for p in report.problems],
            )
            return 0 if report.ok else 6
        ids = None
        if ctx.args.case:
            case = services.cases.get(ctx.args.case)
            ids = [case.id] + [s.id for s in services.statements.for_case(case.reference)]
        events = services.admin.events(ids, limit=ctx.args.limit)
    if ctx.args.json:
        print_json(ctx.out, [asdict(e) for e in events])
    else:
        print_table(
            ctx.out,
            ["seq", _("time"), _("action"), _("entity")],
            [(e.seq, e.at[:19], e.action, e.entity or "") for e in events],
        )
    return 0


def cmd_forms(ctx: CommandContext) -> int:
    if ctx.args.forms_command == "check":
        return check_forms(ctx)
    with ctx.session() as services:
        if ctx.args.forms_command == "add":
            added = services.form_definitions.add_file(
                Path(ctx.args.file), [Path(m) for m in ctx.args.media or []]
            )
            ctx.emit(
                asdict(added),
                [
                    _("Form {form} version {version} is in the vault ({languages}).").format(
                        form=added.form_id,
                        version=added.version,
                        languages=", ".join(added.languages),
                    )
                ],
            )
            return 0
        definitions = services.form_definitions.list(all_versions=ctx.args.all_versions)
    if ctx.args.json:
        print_json(ctx.out, [asdict(d) for d in definitions])
    else:
        print_table(
            ctx.out,
            [_("form"), _("version"), _("languages"), _("title")],
            [(d.form_id, d.version, ",".join(d.languages), d.title) for d in definitions],
        )
    return 0


def check_forms(ctx: CommandContext) -> int:
    """No vault needed: a form author checks files before giving them to a coordinator."""
    from intake_app.core.forms.check import check_path, errors

    report, failed = [], False
    for name in ctx.args.files:
        spec, problems = check_path(Path(name), [Path(m) for m in ctx.args.media or []])
        failed = failed or spec is None or bool(errors(problems))
        report.append(
            {
                "file": name,
                "ok": spec is not None and not errors(problems),
                "form_id": spec.form_id if spec else None,
                "version": spec.version if spec else None,
                "languages": list(spec.languages) if spec else [],
                "problems": [{**asdict(p), "text": str(p)} for p in problems],
            }
        )
    if ctx.args.json:
        print_json(ctx.out, report)
    else:
        for entry in report:
            status = _("OK") if entry["ok"] else _("ERRORS")
            ctx.out.write(f"{entry['file']}: {status}\n")
            for problem in entry["problems"]:
                prefix = _("warning") if problem["warning"] else _("error")
                ctx.out.write(f"  {prefix}: {problem['text']}\n")
    return 2 if failed else 0


def cmd_backup(ctx: CommandContext) -> None:
    with ctx.session() as services:
        manifest = services.admin.backup(Path(ctx.args.out))
    ctx.emit(
        manifest,
        [
            _n(
                "Backup written and verified: {file} ({events} audit event).",
                "Backup written and verified: {file} ({events} audit events).",
                manifest["audit_seq"],
            ).format(file=ctx.args.out, events=manifest["audit_seq"])
        ],
    )


def cmd_restore(ctx: CommandContext) -> None:
    if not ctx.args.vault:
        raise InvalidInput(_("Give the new, empty folder to restore into with --vault DIR."))
    if not ctx.args.user:
        raise InvalidInput(
            _("Say which user you are with --user NAME (the backup is opened to check it).")
        )
    passphrase = ctx.secrets.read(_("Passphrase for {user}:").format(user=ctx.args.user))
    report = restore_backup(
        Path(ctx.args.file), ctx.vault_dir, ctx.args.user, passphrase, ctx.options
    )
    ctx.emit(
        {"vault": str(ctx.vault_dir), "events": report.events, "head": report.head.hash},
        [_("Backup verified and restored into {folder}.").format(folder=ctx.vault_dir)],
    )


def cmd_idle_lock(ctx: CommandContext) -> None:
    with ctx.session() as services:
        if ctx.args.minutes is not None:
            services.admin.set_idle_lock_minutes(ctx.args.minutes)
        minutes = services.admin.idle_lock_minutes()
    ctx.emit(
        {"idle_lock_minutes": minutes},
        [
            _n(
                "The window locks after {n} minute without input.",
                "The window locks after {n} minutes without input.",
                minutes,
            ).format(n=minutes)
        ],
    )


def cmd_rotate(ctx: CommandContext) -> None:
    with ctx.session() as services:
        services.admin.rotate_key()
    ctx.emit({"rotated": True}, [_("The vault is now encrypted with a new key.")])


def cmd_selftest(ctx: CommandContext) -> int:
    report = run_selftest(ctx.options)
    if ctx.args.json:
        print_json(ctx.out, report)
    else:
        for name, result in report["checks"].items():
            ctx.out.write(f"{'ok  ' if result['ok'] else 'FAIL'}  {name}: {result['detail']}\n")
    return 0 if report["ok"] else 10


COMMANDS = {
    "init": cmd_init,
    "user": cmd_user,
    "recover": cmd_recover,
    "demo": cmd_demo,
    "cases": cmd_cases,
    "show": cmd_show,
    "close": cmd_close_or_reopen,
    "reopen": cmd_close_or_reopen,
    "search": cmd_search,
    "audit": cmd_audit,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "forms": cmd_forms,
    "rotate-key": cmd_rotate,
    "idle-lock": cmd_idle_lock,
    "selftest": cmd_selftest,
}
