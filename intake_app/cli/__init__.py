"""``intake-app``: the GUI with no command, headless commands otherwise (docs/design.md §9).

Failures print one plain sentence on stderr and exit non-zero; never a traceback, never content.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

from intake_app.cli.io import quiet_libraries, terminal_safe
from intake_app.cli.parser import check_file_arguments, parser_for, refuse_undecodable
from intake_app.core.errors import IntakeError
from intake_app.core.i18n import SHIPPED_LANGUAGES, _, set_language

if TYPE_CHECKING:
    from intake_app.core.vault.vault import VaultOptions

INTERNAL_ERROR = 70
CLOSED_OUTPUT = 141  # 128 + SIGPIPE: what a shell reports for any tool whose reader went away


@dataclass
class CliEnvironment:
    """What the CLI takes from the outside world; tests pass their own."""

    stdin: IO[str] = field(default_factory=lambda: sys.stdin)
    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)
    options: VaultOptions | None = None
    default_vault: Path | None = None
    environ: dict[str, str] | None = None


def choose_language(argv: list[str], environ: dict[str, str]) -> str:
    """--language CODE, else the locale of the environment, else English."""
    for index, arg in enumerate(argv):
        if arg == "--language" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--language="):
            return arg.split("=", 1)[1]
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for candidate in environ.get(variable, "").split(":"):
            code = candidate.split(".")[0].split("_")[0].lower()
            if code in SHIPPED_LANGUAGES:
                return code
    return "en"


def main(argv: list[str] | None = None, env: CliEnvironment | None = None) -> int:
    env = env or CliEnvironment()
    env = replace(env, stdout=terminal_safe(env.stdout), stderr=terminal_safe(env.stderr))  # S42
    quiet_libraries(env.stderr)
    arguments = sys.argv[1:] if argv is None else argv
    set_language(
        choose_language(arguments, env.environ if env.environ is not None else dict(os.environ))
    )
    try:
        args = parser_for(arguments).parse_args(arguments)
        refuse_undecodable(args)
    except SystemExit as exc:  # argparse has printed its help
        return int(exc.code or 0)
    except IntakeError as exc:  # a mistake on the command line
        env.stderr.write(f"intake-app: {exc.message}\n")
        return exc.exit_code
    from intake_app.app import default_vault_dir, production_options, protect_process

    protect_process()
    try:
        if args.command is None:
            from intake_app.app import launch_gui

            return launch_gui(args)
        # The commands (and the services they use) load only for a command: the desktop app
        # starts without them, and its preload thread loads the services meanwhile.
        from intake_app.cli.commands import COMMANDS, CommandContext
        from intake_app.cli.consent_commands import CONSENT_COMMANDS
        from intake_app.cli.export_commands import EXPORT_COMMANDS
        from intake_app.cli.followup_commands import FOLLOWUP_COMMANDS

        check_file_arguments(args)
        options = env.options or production_options(use_keyring=not args.no_keyring)
        ctx = CommandContext(
            args, options, env.stdin, env.stdout, env.default_vault or default_vault_dir()
        )
        result = {**COMMANDS, **EXPORT_COMMANDS, **FOLLOWUP_COMMANDS, **CONSENT_COMMANDS}[
            args.command
        ](ctx)
        env.stdout.flush()  # a closed pipe shows here, not at exit where it cannot be caught
        return int(result or 0)
    except BrokenPipeError:
        # `intake-app search WORD | head -3`: the reader has what it wanted. Stop quietly, as any
        # command-line tool; the vault was locked on the way out. Nothing more may reach the
        # closed pipe, not even Python's flush at exit.
        _silence(env.stdout)
        return CLOSED_OUTPUT
    except IntakeError as exc:
        env.stderr.write(f"intake-app: {exc.message}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        env.stderr.write("intake-app: " + _("Interrupted; nothing more was changed.") + "\n")
        return 130
    except Exception as exc:  # a bug: say so without content, keys or a traceback
        env.stderr.write(
            "intake-app: "
            + _("An internal error occurred ({kind}); nothing was shown of your data.").format(
                kind=type(exc).__name__
            )
            + "\n"
        )
        return INTERNAL_ERROR


def _silence(stream: IO[str]) -> None:
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)
