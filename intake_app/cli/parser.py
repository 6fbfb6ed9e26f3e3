"""The command-line grammar (docs/design.md §9)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import NoReturn

from intake_app.core.choices import valid_list
from intake_app.core.errors import InvalidInput
from intake_app.core.i18n import SHIPPED_LANGUAGES, _
from intake_app.core.records import CaseStatus, Purpose, Role
from intake_app.core.user_files import check_input_file, check_output_file


class InputFile(str):
    """A file the command reads; checked to be a regular file before any command runs (S40)."""


class OutputFile(str):
    """A file the command writes; refused when it names a folder, a device or a pipe (S40)."""


MAX_COUNT = 1_000_000


def minutes(text: str) -> int:
    """The idle-lock time: a whole number of minutes, 1 to 30 (the service says so again)."""
    if not text.isdigit() or len(text) > 3 or not 1 <= int(text) <= 30:
        raise argparse.ArgumentTypeError(_("give a whole number of minutes between 1 and 30"))
    return int(text)


def count(text: str) -> int:
    """A number of rows to show: SQLite takes 64-bit integers, and nobody reads a million lines."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_COUNT:
        raise argparse.ArgumentTypeError(
            _("give a whole number between 1 and {maximum}").format(maximum=f"{MAX_COUNT:,}")
        )
    return value


class Parser(argparse.ArgumentParser):
    """argparse, but a mistake is our one sentence on stderr (S39), which says where help is."""

    def error(self, message: str) -> NoReturn:
        raise InvalidInput(
            _("{problem} (see {command} --help).").format(problem=message, command=self.prog)
        )

    def _check_value(self, action: argparse.Action, value: object) -> None:
        """A value outside an argument's choices (a command, a role, a status, a language) is
        refused in the user's language, naming the valid ones; argparse's own sentence is
        English and quotes every choice."""
        if action.choices is not None and value not in action.choices:
            option = "/".join(action.option_strings) or action.metavar or action.dest
            self.error(
                _("unknown value '{value}' for {option} — use one of: {values}").format(
                    value=value, option=option, values=valid_list(action.choices, None)
                )
            )


def file_arguments(args: argparse.Namespace) -> Iterator[InputFile | OutputFile]:
    for value in vars(args).values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, InputFile | OutputFile):
                yield item


def check_file_arguments(args: argparse.Namespace) -> None:
    """Every file argument, at once: a FIFO, a device or a folder would hang or fail half-way."""
    for path in file_arguments(args):
        if isinstance(path, InputFile):
            check_input_file(path, _("a file"))
        else:
            check_output_file(path)


def parser_for(arguments: list[str]) -> argparse.ArgumentParser:
    """The parser these arguments need: with no command (the desktop app, the usual case) the
    top level alone, which starts the window sooner; anything else (a command, --help, a word
    argparse must judge) gets the whole parser and its messages."""
    top = _top_parser()
    takes_value = {
        option: action.nargs != 0
        for option, action in top._option_string_actions.items()  # noqa: SLF001 - argparse's own
        if option.startswith("--") and option != "--help"
    }
    expect_value = False
    for token in arguments:
        if expect_value:
            expect_value = False
            continue
        name, equals, _value = token.partition("=")
        if name not in takes_value:
            return build_parser()
        expect_value = takes_value[name] and not equals
    top.set_defaults(command=None)
    return top


def _top_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="intake-app",
        epilog=exit_codes_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=_(
            "Offline, encrypted intake of survivors' testimony. With no command, opens the app."
        ),
    )
    _common_options(parser, None)
    parser.add_argument("--demo", action="store_true", help=_("open the app on a demo vault"))
    parser.add_argument(
        "--screenshots",
        metavar="DIR",
        help=_("render every main screen in English and Arabic into PNG files in DIR"),
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    _common_options(common, argparse.SUPPRESS)  # given after the command; never clobbers

    parser = _top_parser()
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=help_text, description=help_text)

    p = add("init", _("create a vault and its first user (a coordinator)"))
    p.add_argument("--name", help=_("the first user's display name"))

    user = add("user", _("manage users"))
    user_sub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    p = user_sub.add_parser(
        "add", parents=[common], help=_("add a user (their passphrase is line 2 of standard input)")
    )
    p.add_argument("--name", required=True, help=_("the new user's login name"))
    p.add_argument("--display-name")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    user_sub.add_parser("list", parents=[common], help=_("list users"))
    p = user_sub.add_parser("remove", parents=[common], help=_("remove a user and their key slot"))
    p.add_argument("name")
    p = user_sub.add_parser("role", parents=[common], help=_("change a user's role (coordinators)"))
    p.add_argument("name")
    p.add_argument("role", choices=[r.value for r in Role])
    user_sub.add_parser(
        "passwd", parents=[common], help=_("change your passphrase (old on line 1, new on line 2)")
    )

    add(
        "recover",
        _("set a new passphrase with the recovery key (key on line 1, new passphrase on line 2)"),
    )

    p = add("demo", _("fill the vault with realistic synthetic cases"))
    p.add_argument("--cases", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)

    p = add("idle-lock", _("show or set how many minutes without input lock the window (1–30)"))
    p.add_argument("minutes", nargs="?", type=minutes)

    p = add("cases", _("list cases"))
    p.add_argument("--status", choices=[s.value for s in CaseStatus])
    p.add_argument("--limit", type=count, default=200)

    p.add_argument("--all", action="store_true", help=_("closed cases too"))

    for name, help_text in (
        ("close", _("close a case (the reason is kept in its history)")),
        ("reopen", _("reopen a closed case (the reason is kept in its history)")),
    ):
        p = add(name, help_text)
        p.add_argument("reference")
        p.add_argument("--reason", required=True)

    p = add("show", _("show one case as your role may see it"))
    p.add_argument("reference")

    p = add("search", _("search the vault"))
    p.add_argument("query")

    p = add("audit", _("the audit log"))
    audit_sub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    audit_sub.add_parser(
        "verify", parents=[common], help=_("verify the whole vault and its audit chain")
    )
    p = audit_sub.add_parser("log", parents=[common], help=_("list audit events"))
    p.add_argument("--case", metavar="REF")
    p.add_argument("--limit", type=count, default=100)

    forms = add("forms", _("intake forms (XLSForm)"))
    forms_sub = forms.add_subparsers(dest="forms_command", metavar="ACTION", required=True)
    p = forms_sub.add_parser(
        "check", parents=[common], help=_("check XLSForm files and list every problem")
    )
    p.add_argument("files", nargs="+", metavar="FILE", type=InputFile)
    _media_option(p)
    p = forms_sub.add_parser(
        "add", parents=[common], help=_("add a form (or a new version) to the vault")
    )
    p.add_argument("file", metavar="FILE", type=InputFile)
    _media_option(p)
    p = forms_sub.add_parser("list", parents=[common], help=_("list the vault's forms"))
    p.add_argument("--all-versions", action="store_true")

    p = add("backup", _("write a verified, encrypted backup"))
    p.add_argument("--out", required=True, metavar="FILE", type=OutputFile)

    p = add("restore", _("restore a backup into a new, empty folder (given with --vault)"))
    p.add_argument("file", metavar="FILE", type=InputFile)

    _export_commands(add, sub, common)
    _followup_commands(add, common)
    _consent_commands(add, common)

    add("rotate-key", _("re-encrypt the vault with a new key (coordinator)"))
    add("selftest", _("check the encryption stack and the keyring"))
    return parser


def exit_codes_help() -> str:
    """The exit codes, as the README's "Command line" section lists them."""
    return _(
        "Exit codes: 0 done; 1 not found, refused for want of consent, or a sealed file that does "
        "not verify; 2 bad input (a message says what to change); 3 not allowed for your role; "
        "4 wrong passphrase or too many attempts; 5 device secret missing; 6 damaged or rolled "
        "back; 7 vault too new; 8 vault in use; 9 disk full or I/O error; 10 the encryption "
        "stack failed its self-test; 130 interrupted; 141 the output was closed (as with head); "
        "70 an internal error, which is a bug: please report it."
    )


def _export_commands(add, sub, common) -> None:  # type: ignore[no-untyped-def]
    from intake_app.core.consent import RECIPIENT_CATEGORIES

    recipient = add("recipient", _("the recipients of sealed exports"))
    recipient_sub = recipient.add_subparsers(
        dest="recipient_command", metavar="ACTION", required=True
    )
    p = recipient_sub.add_parser(
        "add", parents=[common], help=_("add a recipient with their X.509 certificate")
    )
    p.add_argument("--name", required=True)
    p.add_argument("--org", required=True, help=_("their organisation"))
    p.add_argument(
        "--cert", metavar="FILE", type=InputFile, help=_("their certificate (PEM or DER)")
    )
    p.add_argument("--category", choices=RECIPIENT_CATEGORIES, help=_("who they are, for consent"))
    p.add_argument(
        "--recipient-language",
        dest="language_of_recipient",
        choices=SHIPPED_LANGUAGES,
        help=_("the language their exports are written in"),
    )
    recipient_sub.add_parser("list", parents=[common], help=_("list recipients"))

    p = add("identity", _("your signing certificate: show it, write it out, or import one"))
    p.add_argument(
        "--out",
        metavar="FILE",
        type=OutputFile,
        help=_("write the public certificate (PEM) to FILE"),
    )
    p.add_argument(
        "--import-p12",
        metavar="FILE",
        type=InputFile,
        help=_("replace your signing identity with a PKCS#12 from your organisation"),
    )
    p.add_argument("--p12-password-file", metavar="FILE", type=InputFile)

    p = add("export", _("seal a case summary for one recipient (encrypted and signed PDF)"))
    p.add_argument("reference")
    p.add_argument("--recipient", required=True, metavar="NAME")
    p.add_argument("--out", required=True, metavar="FILE.pdf", type=OutputFile)
    p.add_argument(
        "--password-file",
        metavar="FILE",
        type=InputFile,
        help=_("encrypt with the password on the file's first line, not the certificate"),
    )
    p.add_argument(
        "--purpose",
        default="share_investigators",
        choices=[Purpose.SHARE_INVESTIGATORS.value, Purpose.REFER_SERVICES.value],
    )
    p.add_argument(
        "--override-justification",
        metavar="TEXT",
        help=_("coordinators: the legal basis for sharing without the survivor's consent"),
    )
    p.add_argument(
        "--embed",
        action="append",
        metavar="ATTACHMENT_ID",
        help=_("carry this evidence file inside"),
    )

    p = add("exports", _("the sealed exports of a case"))
    p.add_argument("reference")

    p = add("verify", _("check a sealed file: intact, signed by the given certificate, complete"))
    p.add_argument("file", metavar="FILE", type=InputFile)
    p.add_argument("--signer-cert", required=True, metavar="CERT", type=InputFile)
    p.add_argument("--password-file", metavar="FILE", type=InputFile)
    p.add_argument(
        "--key", metavar="KEY", type=InputFile, help=_("the recipient's private key (PEM or DER)")
    )
    p.add_argument("--cert", metavar="CERT", type=InputFile, help=_("the recipient's certificate"))


def _followup_commands(add, common) -> None:  # type: ignore[no-untyped-def]
    providers = add("providers", _("the directory of service providers"))
    providers_sub = providers.add_subparsers(
        dest="providers_command", metavar="ACTION", required=True
    )
    p = providers_sub.add_parser(
        "import",
        parents=[common],
        help=_("add providers from a CSV file (type, organisation, contact, languages, ...)"),
    )
    p.add_argument("file", metavar="FILE.csv", type=InputFile)
    providers_sub.add_parser("list", parents=[common], help=_("list the providers"))
    p = providers_sub.add_parser(
        "export",
        parents=[common],
        help=_("write the directory as a CSV file in the import format"),
    )
    p.add_argument("--out", required=True, metavar="FILE.csv", type=OutputFile)
    p = add("referrals", _("open referrals across cases, for follow-up"))
    p.add_argument("--overdue", action="store_true", help=_("only those past their due date"))
    p = add("updates", _("case updates to survivors, for follow-up"))
    p.add_argument(
        "--due", action="store_true", help=_("only those whose promised feedback date has passed")
    )


def _consent_commands(add, common) -> None:  # type: ignore[no-untyped-def]
    from intake_app.core.records import Decision, GivenBy

    consent = add("consent", _("a case's consent decisions, each with whose it is"))
    consent_sub = consent.add_subparsers(dest="consent_command", metavar="ACTION", required=True)
    p = consent_sub.add_parser("list", parents=[common], help=_("list a case's decisions"))
    p.add_argument("reference")
    p = consent_sub.add_parser(
        "record", parents=[common], help=_("record a decision for one person of the case")
    )
    p.add_argument("reference")
    p.add_argument(
        "--person",
        metavar="PSEUDONYM",
        help=_("whose decision it is, by pseudonym or id (default: the case's survivor)"),
    )
    p.add_argument("--purpose", required=True, choices=[x.value for x in Purpose])
    p.add_argument("--decision", required=True, choices=[d.value for d in Decision])
    p.add_argument("--scope", default="any", help=_("any, category:investigators, …"))
    p.add_argument(
        "--given-by",
        default=GivenBy.SURVIVOR.value,
        choices=[g.value for g in GivenBy if g is not GivenBy.NOT_APPLICABLE],
    )
    p.add_argument("--child-assent", choices=["given", "refused", "not_asked"])
    p.add_argument("--explained-in", metavar="CODE", help=_("the language it was explained in"))
    p.add_argument("--interpreter", metavar="NAME")


def _media_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--media",
        nargs="+",
        metavar="FILE",
        type=InputFile,
        help=_("the CSV or XML files the form reads (select_one_from_file, pulldata, …)"),
    )


def _common_options(parser: argparse.ArgumentParser, default: object) -> None:
    flag_default = default if default is argparse.SUPPRESS else False
    parser.add_argument(
        "--vault",
        metavar="DIR",
        default=default,
        help=_("the vault folder (default: your user data folder)"),
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        default=default,
        help=_("the user who acts (passphrase on standard input)"),
    )
    parser.add_argument(
        "--language",
        metavar="CODE",
        default=default,
        choices=SHIPPED_LANGUAGES,
        help=_("language of messages: en, fr, es, ar or uk (default: your system's)"),
    )
    parser.add_argument(
        "--json", action="store_true", default=flag_default, help=_("print data as JSON")
    )
    parser.add_argument(
        "--no-keyring",
        action="store_true",
        default=flag_default,
        help=_("do not use the system keyring (passphrase-only mode)"),
    )


PATHS = {"vault"}  # folder arguments: any name the system allows, UTF-8 or not


def refuse_undecodable(args: argparse.Namespace) -> None:
    """A word, name or reason that is not valid text (bytes that are not UTF-8 arrive as lone
    surrogates) is refused in one sentence before anything runs; it could be neither stored nor
    shown. File and folder names are exempt: an ordinary Linux name need not be UTF-8 (S39)."""
    for name, value in vars(args).items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if (
                name in PATHS
                or not isinstance(item, str)
                or isinstance(item, InputFile | OutputFile)
            ):
                continue
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise InvalidInput(
                    _("The {option} you gave is not valid text (not UTF-8); nothing was changed.")
                    .format(option=name.replace("_", " "))
                ) from None  # fmt: skip
