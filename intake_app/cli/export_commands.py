"""Commands for sealed exports: recipients, the signing identity, export, history and verify."""

from __future__ import annotations

import os
from dataclasses import asdict

from cryptography import x509

from intake_app.cli.commands import CommandContext
from intake_app.cli.io import print_table
from intake_app.core.errors import InvalidInput
from intake_app.core.export.keys import certificate_from_bytes, private_key_der
from intake_app.core.i18n import _, _n
from intake_app.core.records import ExportRecord, Purpose
from intake_app.core.user_files import read_capped, write_new_file

MAX_SECRET_FILE = 4096
MAX_KEY_FILE = 64 * 1024


def read_password_file(path: str) -> bytes:
    """The first line of the file; the password never appears on the command line."""
    data = read_capped(path, MAX_SECRET_FILE, _("a password file"))
    line = data.splitlines()[0] if data.splitlines() else b""
    if not line.strip():
        raise InvalidInput(_("The password file is empty."))
    return line


def cmd_recipient(ctx: CommandContext) -> None:
    args = ctx.args
    with ctx.session() as services:
        if args.recipient_command == "add":
            certificate = (
                read_capped(args.cert, MAX_KEY_FILE, _("a certificate")) if args.cert else None
            )
            recipient = services.recipients.add(
                name=args.name,
                organisation=args.org,
                role=args.category,
                language=args.language_of_recipient,
                certificate=certificate,
            )
            ctx.emit(
                asdict(recipient),
                [
                    _("Recipient {name} added.").format(name=recipient.name),
                    _("Certificate fingerprint (SHA-256), to confirm with them by phone:"),
                    f"  {recipient.fingerprint or '—'}",
                ],
            )
            return
        recipients = services.recipients.list()
    if args.json:
        ctx.emit([asdict(r) for r in recipients], [])
    else:
        print_table(
            ctx.out,
            [_("name"), _("organisation"), _("category"), _("language"), _("fingerprint")],
            [(r.name, r.organisation, r.role, r.language, r.fingerprint) for r in recipients],
        )


def cmd_identity(ctx: CommandContext) -> None:
    args = ctx.args
    with ctx.session() as services:
        if args.import_p12:
            data = read_capped(args.import_p12, MAX_KEY_FILE * 4, _("a PKCS#12 file"))
            password = (
                read_password_file(args.p12_password_file) if args.p12_password_file else None
            )
            services.identities.import_pkcs12(data, password)
        pem = services.identities.certificate_pem()
        fingerprint = services.identities.fingerprint()
    subject = x509.load_pem_x509_certificate(pem).subject.rfc4514_string()
    lines = [
        _("Your signing certificate: {subject}").format(subject=subject),
        _("Fingerprint (SHA-256): {fingerprint}").format(fingerprint=fingerprint),
    ]
    if args.out:
        write_new_file(args.out, pem)
        lines.append(
            _("Written to {path}; give it to recipients so they can check your exports.").format(
                path=args.out
            )
        )
    ctx.emit({"subject": subject, "fingerprint": fingerprint, "out": args.out}, lines)


def cmd_export(ctx: CommandContext) -> None:
    from intake_app.core.services.export_job import ExportJob
    from intake_app.core.services.exports import ExportRequest, withheld_part

    args = ctx.args
    password = read_password_file(args.password_file) if args.password_file else None
    if os.path.lexists(args.out):  # before the passphrase is asked for
        raise InvalidInput(_("{path} already exists; choose another name.").format(path=args.out))
    request = ExportRequest(
        reference=args.reference,
        recipient=args.recipient,
        purpose=Purpose(args.purpose),
        password=password,
        override_justification=args.override_justification,
        embed=tuple(args.embed or ()),
    )
    with ctx.session() as services:
        record, sealed = ExportJob(services, request, args.out).run()
    ctx.emit(
        _record_json(record),
        [
            _("Sealed for {recipient}: {path} ({pages} pages).").format(
                recipient=record.recipient_name, path=args.out, pages=record.pages
            ),
            _("SHA-256 of the file: {sha256}").format(sha256=record.file_sha256),
        ]
        + (
            [
                _n(
                    "{count} character has no font here and shows as a box; check the file.",
                    "{count} characters have no font here and show as boxes; check the file.",
                    sealed.missing_glyphs,
                ).format(count=sealed.missing_glyphs)
            ]
            if sealed.missing_glyphs
            else []
        )
        + ([_("Withheld from this file:")] if record.withheld else [])
        + [
            f"  {_(reason)} ({withheld_part(what)})"
            for what, reason in sorted(record.withheld.items())
        ],
    )


def cmd_exports(ctx: CommandContext) -> None:
    with ctx.session() as services:
        records = services.exports.history(ctx.args.reference)
    if ctx.args.json:
        ctx.emit([_record_json(r) for r in records], [])
        return
    print_table(
        ctx.out,
        [_("time"), _("recipient"), _("purpose"), _("protection"), "SHA-256"],
        [
            (r.exported_at[:16], r.recipient_name, r.purpose.value, r.protection, r.file_sha256)
            for r in records
        ],
    )


def cmd_verify(ctx: CommandContext) -> int:
    from intake_app.core.export.sealing import verify_sealed_pdf
    from intake_app.core.services.exports import match_line
    from intake_app.core.services.recipients import load_certificate

    args = ctx.args
    data = read_capped(args.file, 512 * 1024 * 1024, _("a sealed file"))
    signer = load_certificate(read_capped(args.signer_cert, MAX_KEY_FILE, _("a certificate")))
    if args.password_file:
        check = verify_sealed_pdf(data, signer, password=read_password_file(args.password_file))
    elif args.key and args.cert:
        key = private_key_der(read_capped(args.key, MAX_KEY_FILE, _("a private key")))
        own = _read_certificate(args.cert)
        check = verify_sealed_pdf(data, signer, recipient_key_der=key, recipient_certificate=own)
    else:
        raise InvalidInput(
            _("Give --password-file, or --key and --cert of the recipient, to open the file.")
        )
    claimed = check.claimed_time.isoformat() if check.claimed_time else "—"
    result: dict[str, object] = {
        "valid": True,
        "signer": check.signer,
        "signer_fingerprint": check.signer_fingerprint,
        "claimed_time": claimed,
    }
    lines = check.summary()
    if getattr(args, "vault", None):
        with ctx.session() as services:
            record = services.exports.find_by_file(data)
        lines.append(match_line(record))
        result["audit_record"] = None if record is None else _record_json(record)
        if record is None:
            ctx.emit(result, lines)
            return 1
    ctx.emit(result, lines)
    return 0


def _read_certificate(path: str) -> x509.Certificate:
    return certificate_from_bytes(read_capped(path, MAX_KEY_FILE, _("a certificate")))


def _record_json(record: ExportRecord) -> dict[str, object]:
    value = asdict(record)
    value["purpose"] = record.purpose.value
    return value


EXPORT_COMMANDS = {
    "recipient": cmd_recipient,
    "identity": cmd_identity,
    "export": cmd_export,
    "exports": cmd_exports,
    "verify": cmd_verify,
}
