"""The media files a form reads: CSV or XML lists (``select_one_from_file``, ``csv-external``,
``xml-external``) and the tables ``pulldata()`` looks up. They come with the form
(``forms add FORM --media FILE…``), are stored with its version in the vault and read from
there; a form that names one it was not given is refused, naming the file."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
from collections.abc import Mapping
from pathlib import Path
from xml.etree import ElementTree

from intake_app.core.errors import InvalidInput, NotFound
from intake_app.core.i18n import _
from intake_app.core.user_files import open_regular

MAX_MEDIA_BYTES = 10 * 1024 * 1024  # one file
MAX_MEDIA_TOTAL = 20 * 1024 * 1024  # all of one form's
MAX_ROWS = 50_000
MEDIA_SUFFIXES = (".csv", ".xml")
Table = tuple[dict[str, str], ...]


class MediaError(Exception):
    """A media file that cannot be used, with one sentence naming it."""


def read_media_files(paths: list[Path]) -> dict[str, bytes]:
    """The named bytes of each file, refused early: not .csv or .xml, too large, not a regular
    file (a FIFO must not hang), two of the same name."""
    found: dict[str, bytes] = {}
    for path in paths:
        name = path.name
        if path.suffix.lower() not in MEDIA_SUFFIXES:
            raise MediaError(
                _("The media file '{file}' is neither .csv nor .xml.").format(file=name)
            )
        if name in found:
            raise MediaError(_("Two media files are named '{file}'.").format(file=name))
        try:
            with open_regular(path, _("a file")) as handle:
                if os.fstat(handle.fileno()).st_size > MAX_MEDIA_BYTES:
                    raise MediaError(
                        _("The media file '{file}' is larger than 10 MB.").format(file=name)
                    )
                found[name] = handle.read()
        except InvalidInput as exc:
            raise MediaError(f"{name}: {exc.message}") from None
        except (OSError, NotFound):
            raise MediaError(
                _("The media file '{file}' could not be read.").format(file=name)
            ) from None
    if sum(len(data) for data in found.values()) > MAX_MEDIA_TOTAL:
        raise MediaError(_("A form's media files may not add up to more than 20 MB."))
    return found


def table(name: str, data: bytes) -> Table:
    """The rows of a media file: a CSV's header names the columns; an XML list is
    ``<root><item><name/><label/>…</item></root>`` as ODK reads it."""
    try:
        if name.lower().endswith(".xml"):
            return _xml_rows(name, data)
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MediaError(
            _("The media file '{file}' is not UTF-8 text.").format(file=name)
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows: list[dict[str, str]] = []
    try:
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise MediaError(
                    _("The media file '{file}' has more than {count} rows.").format(
                        file=name, count=f"{MAX_ROWS:,}"
                    )
                )
            rows.append({str(k).strip(): str(v or "").strip() for k, v in row.items() if k})
    except csv.Error:
        raise MediaError(
            _("The media file '{file}' is not a readable CSV file.").format(file=name)
        ) from None
    return tuple(rows)


def _xml_rows(name: str, data: bytes) -> Table:
    from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]  # no entities

    try:
        root = fromstring(data)
    except Exception:  # defusedxml and expat raise several kinds on hostile or broken XML
        raise MediaError(
            _("The media file '{file}' is not readable XML (or declares entities).").format(
                file=name
            )
        ) from None
    items = root.findall("item") if root.tag == "root" else root.findall(".//item")
    if len(items) > MAX_ROWS:
        raise MediaError(
            _("The media file '{file}' has more than {count} rows.").format(
                file=name, count=f"{MAX_ROWS:,}"
            )
        )
    return tuple(
        {child.tag: (child.text or "").strip() for child in item if isinstance(child.tag, str)}
        for item in items
        if isinstance(item, ElementTree.Element)
    )


def encode(media: Mapping[str, bytes]) -> bytes | None:
    """How the vault keeps a form's media: one canonical JSON document (None for none)."""
    if not media:
        return None
    files = [
        {
            "name": name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "data": base64.b64encode(data).decode(),
        }
        for name, data in sorted(media.items())
    ]
    return json.dumps({"files": files}, sort_keys=True, separators=(",", ":")).encode()


def decode(blob: bytes | None) -> dict[str, bytes]:
    if not blob:
        return {}
    files = json.loads(bytes(blob))["files"]
    return {str(f["name"]): base64.b64decode(f["data"]) for f in files}


def content_digest(source: bytes, media: Mapping[str, bytes]) -> str:
    """A form version's content: the workbook alone (as before media were kept), or the
    workbook and every media file by name and digest."""
    if not media:
        return hashlib.sha256(source).hexdigest()
    listing = json.dumps(
        sorted((name, hashlib.sha256(data).hexdigest()) for name, data in media.items())
    ).encode()
    return hashlib.sha256(source + b"\0" + listing).hexdigest()
