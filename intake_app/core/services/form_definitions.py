"""Form definitions in the vault: added by coordinators (checked first), versioned, immutable."""

from __future__ import annotations

import hashlib
from pathlib import Path

from intake_app.core.errors import InvalidInput, NotFound
from intake_app.core.forms.loader import FormError, load_form_bytes, read_form_file
from intake_app.core.forms.media import MediaError, content_digest, decode, encode, read_media_files
from intake_app.core.forms.shipped import shipped_forms
from intake_app.core.forms.spec import FormSpec
from intake_app.core.i18n import _, _n
from intake_app.core.permissions import Permission
from intake_app.core.records import FormDefinition
from intake_app.core.services.base import ServiceContext, as_json, new_id
from intake_app.core.user_files import file_name_text
from intake_app.core.vault.repositories import forms

_SHOWN_PROBLEMS = 5


class FormDefinitionService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._specs: dict[str, FormSpec] = {}

    def add_file(self, path: Path, media: list[Path] | None = None) -> FormDefinition:
        """A form file and the media files it reads (CSV/XML lists, pulldata tables)."""
        try:
            data = read_form_file(path)
            files = read_media_files(media or [])
        except FormError as exc:
            raise InvalidInput(str(exc.problems[0])) from None
        except MediaError as exc:
            raise InvalidInput(str(exc)) from None
        return self.add(file_name_text(path.name), data, media=files)

    def add(
        self,
        source_name: str,
        data: bytes,
        *,
        media: dict[str, bytes] | None = None,
        shipped: bool = False,
    ) -> FormDefinition:
        """Check the form, then store it with its media. Re-adding the same version with the
        same content (workbook and media) is a no-op."""
        ctx = self._ctx
        if not shipped:
            ctx.require(Permission.FORM_MANAGE)
        from intake_app.core.forms.check import check_bytes, errors  # elementpath: not at start-up

        spec, problems = check_bytes(source_name, data, media)
        blocking = errors(problems)
        if spec is None or blocking:
            listed = "; ".join(str(p) for p in blocking[:_SHOWN_PROBLEMS])
            more = len(blocking) - _SHOWN_PROBLEMS
            raise InvalidInput(
                _("The form was not added: {problems}").format(problems=listed)
                + (
                    " " + _n("(and {count} more)", "(and {count} more)", more).format(count=more)
                    if more > 0
                    else ""
                )
            )
        digest = content_digest(data, media or {})
        existing = forms.definition(ctx.db, spec.form_id, spec.version)
        if existing is not None:
            if existing.sha256 == digest:
                return existing
            raise InvalidInput(
                _(
                    "Version {version} of the form '{form}' already exists with different content: "
                    "change the version in the settings sheet."
                ).format(version=spec.version, form=spec.form_id)
            )
        definition_id = new_id()
        with ctx.write(
            "form.shipped_installed" if shipped else "form.added", "form_definition", definition_id
        ) as w:
            w.insert(
                "form_definition",
                {
                    "id": definition_id,
                    "form_id": spec.form_id,
                    "version": spec.version,
                    "title": spec.title,
                    "languages": as_json(list(spec.languages)),
                    "source_name": source_name,
                    "source": data,
                    "media": encode(media or {}),
                    "sha256": digest,
                    "shipped": int(shipped),
                    "added_by": ctx.actor.id,
                    "added_at": ctx.now(),
                },
            )
            w.details.update({"form": spec.form_id, "version": spec.version, "sha256": digest})
        self._specs[digest] = spec
        return self.get(spec.form_id, spec.version)

    def install_shipped(self) -> list[FormDefinition]:
        """Make sure every shipped form version is in the vault (old versions stay for old answers)."""
        known = forms.definition_hashes(self._ctx.db)
        installed = []
        for path in shipped_forms():
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() not in known:  # parse only what is new
                try:
                    installed.append(self.add(path.name, data, shipped=True))
                except InvalidInput:
                    # A shipped form changed without a new version (a packaging mistake, caught by the
                    # tests): keep the stored version rather than stand between users and their vault.
                    continue
        return installed

    def list(self, *, all_versions: bool = False) -> list[FormDefinition]:
        definitions = forms.definitions(self._ctx.db)
        if all_versions:
            return definitions
        latest: dict[str, FormDefinition] = {}
        for definition in definitions:
            latest.setdefault(definition.form_id, definition)
        return list(latest.values())

    def get(self, form_id: str, version: str | None = None) -> FormDefinition:
        definition = forms.definition(self._ctx.db, form_id, version)
        if definition is None:
            raise NotFound(_("There is no form '{form}' in this vault.").format(form=form_id))
        return definition

    def spec(self, form_id: str, version: str | None = None) -> FormSpec:
        definition = self.get(form_id, version)
        cached = self._specs.get(definition.sha256)
        if cached is None:
            source = forms.definition_source(self._ctx.db, definition.id)
            media = decode(forms.definition_media(self._ctx.db, definition.id))
            cached = load_form_bytes(definition.source_name, source, media)
            self._specs[definition.sha256] = cached
        return cached
