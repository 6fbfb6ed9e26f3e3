"""Terminal input and output for the CLI: passphrases (never arguments or environment), JSON, tables."""

from __future__ import annotations

import getpass
import io
import json
import logging
import re
from collections.abc import Sequence
from typing import IO, Any, cast

from intake_app.core.errors import InvalidInput
from intake_app.core.i18n import _


class SecretReader:
    """Secrets come from standard input, one per line, when it is not a terminal; else a prompt."""

    def __init__(self, stdin: IO[str]) -> None:
        self._stdin = stdin

    def read(self, prompt: str, *, confirm: bool = False) -> str:
        if _isatty(self._stdin):
            value = getpass.getpass(prompt + " ")
            if confirm and getpass.getpass(_("Repeat it:") + " ") != value:
                raise InvalidInput(_("The two entries differ; nothing was changed."))
        else:
            line = self._stdin.readline()
            if not line:
                raise InvalidInput(
                    _("Expected a line on standard input ({what}), but it ended.").format(
                        what=prompt.rstrip(": ")
                    )
                )
            value = line.rstrip("\r\n")
        if not value:
            raise InvalidInput(_("An empty line was given where a passphrase was expected."))
        return value


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def print_json(out: IO[str], value: Any) -> None:
    out.write(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def print_table(out: IO[str], headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [[str(h) for h in headers]] + [
        ["" if v is None else str(v) for v in row] for row in rows
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for row in cells:
        out.write("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n")


def quiet_libraries(stderr: IO[str]) -> None:
    """S39: libraries' log lines (pyHanko logs a traceback for every file it refuses) never reach
    the terminal; the refusal itself is our one sentence. Python prints a record that no handler
    takes through ``logging.lastResort``; a handler on the root takes them all and drops them.
    Records of our own loggers still go to stderr, as one line each."""
    root = logging.getLogger()
    if not any(isinstance(h, logging.NullHandler) for h in root.handlers):
        root.addHandler(logging.NullHandler())
    ours = logging.getLogger("intake_app")
    if not any(getattr(h, "intake_cli", False) for h in ours.handlers):
        handler = logging.StreamHandler(stderr)
        handler.setFormatter(logging.Formatter("intake-app: %(message)s"))
        handler.intake_cli = True  # type: ignore[attr-defined]
        ours.addHandler(handler)
    ours.propagate = False
    logging.captureWarnings(True)  # a library's warnings are log records too, dropped the same way


# S42: what a file or a record holds must not drive the terminal. C0 controls but tab and newline,
# DEL, C1 controls (ESC [ and CSI clear the screen, OSC sets the title, ...), bidi embeddings,
# overrides and isolates (U+202A–202E, U+2066–2069: they reorder the rest of the line), and lone
# surrogates (a file name that is not UTF-8) are shown as \uXXXX. Arabic and Hebrew letters, and
# the plain direction marks, pass untouched. The escape is also a valid JSON string escape, so a
# --json document still decodes to exactly the original text.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def terminal_text(text: str) -> str:
    """``text`` with every character that could drive a terminal shown as an escape."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class TerminalSafe(io.TextIOBase):
    """A stream that passes everything written through ``terminal_text``; stdout and stderr of
    every command are wrapped once, so no message, table or text can be forgotten."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(terminal_text(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def fileno(self) -> int:
        return self._stream.fileno()

    def isatty(self) -> bool:
        return _isatty(self._stream)

    def writable(self) -> bool:
        return True


def terminal_safe(stream: IO[str]) -> IO[str]:
    return stream if isinstance(stream, TerminalSafe) else cast(IO[str], TerminalSafe(stream))
