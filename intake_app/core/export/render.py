"""Lay out an export view as a PDF with reportlab, in memory (docs/design.md §6 step 2).

The renderer sees only the export view: withheld data never reached it. Labels, dates and the
page direction follow the recipient's language; every text goes through typeset.py for fonts and
right-to-left shaping. The document carries no author, host, path or local time zone: its
metadata is fixed, and the time claimed by the exporting device is stated inside, in UTC.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
)

from intake_app.core.export import typeset
from intake_app.core.export.layout import Page
from intake_app.core.export.page_frame import MARGIN, Footer
from intake_app.core.export.view import (
    AnswerLine,
    ConsentLine,
    ExportView,
    StatementVersionView,
    Withheld,
)
from intake_app.core.i18n import (
    N_,
    SHIPPED_LANGUAGES,
    format_list,
    format_number,
    language_name,
    translator,
)
from intake_app.core.labels import BASES, GENDERS, scope_label
from intake_app.core.records import Basis


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    missing_glyphs: int


class _Document(Page):
    """Builds the story of one export: sections in order, each in the recipient's language."""

    def __init__(self, view: ExportView) -> None:
        super().__init__(view.language)
        self.view = view

    # -- sections ---------------------------------------------------------------------------
    def cover(self) -> None:
        view, tr = self.view, self.tr
        self.add(tr(N_("Sealed case summary")), self.styles.title)
        self.add(
            tr(
                N_(
                    "This file was encrypted for its recipient and signed by the exporter. It "
                    "contains only what the survivor consented to share with this recipient; "
                    "anything else is marked as withheld, with the reason."
                )
            )
        )
        self.story.append(Spacer(1, 8))
        self.table(
            [
                (tr(N_("Case")), view.case_reference),
                (tr(N_("Sealed for")), f"{view.recipient_name} — {view.recipient_organisation}"),
                (tr(N_("Purpose")), tr(view.purpose)),
                (tr(N_("Exported by")), view.custody.exporter),
                (
                    tr(N_("Time claimed by the exporting device")),
                    self.when(view.custody.claimed_time),
                ),
                (tr(N_("Export id")), view.custody.export_id),
            ]
        )
        self.story.append(Spacer(1, 10))
        self.add(tr(N_("What this file contains")), self.styles.h2)
        self.table([(tr(what), tr(reason)) for what, _included, reason in view.custody.decisions])

    def survivor(self) -> None:
        view, tr = self.view, self.tr
        self.heading(N_("Survivor"))
        person = view.survivor
        if person is None:
            self.add(tr(N_("No survivor is recorded in this case.")))
            return
        if person.identity_withheld:
            self.withheld(person.identity_withheld)
        rows = [(tr(N_("Pseudonym")), person.pseudonym)]
        if person.legal_name is not None:
            rows.append((tr(N_("Name")), person.legal_name))
        if person.date_of_birth:
            rows.append((tr(N_("Date of birth")), self.when(person.date_of_birth)))
        rows += [
            (tr(N_("Age range")), person.age_range or "—"),
            (
                tr(N_("Gender")),
                tr(GENDERS[person.gender]) if person.gender in GENDERS else person.gender or "—",
            ),  # fmt: skip
            (
                tr(N_("Languages")),
                format_list(
                    [language_name(c, language=self.language) for c in person.languages],
                    language=self.language,
                )
                or "—",
            ),
            (tr(N_("Child")), tr(N_("yes")) if person.is_minor else tr(N_("no"))),
        ]
        self.table(rows)

    def people(self) -> None:
        """Everyone of the case: named, or by pseudonym with why the name is withheld."""
        tr = self.tr
        if not self.view.people:
            return
        self.heading(N_("People in this case"))
        rows = [
            [
                person.legal_name or person.pseudonym,
                tr(N_("{role}, child")).format(role=tr(person.role))
                if person.is_minor
                else tr(person.role),
                tr(person.reason),
            ]
            for person in self.view.people
        ]
        self.grid([tr(N_("Person")), tr(N_("Role")), tr(N_("Identity"))], rows, [0.3, 0.2, 0.5])

    def consents(self) -> None:
        tr = self.tr
        self.heading(N_("Consent summary"))
        if not self.view.consents:
            self.add(tr(N_("No consent decision is recorded.")))
            return
        headers = [
            tr(N_("Whose decision")), tr(N_("Purpose")), tr(N_("For whom")), tr(N_("Decision")),
            tr(N_("Given by")), tr(N_("Recorded")), tr(N_("Ends")),
        ]  # fmt: skip
        self.grid(headers, [self._consent(line) for line in self.view.consents],
                  [0.14, 0.2, 0.13, 0.11, 0.14, 0.15, 0.13])  # fmt: skip
        for line in self.view.consents:
            if line.justification:
                self.add(
                    f"{tr(line.purpose)} — {tr(N_('Justification'))}: {line.justification}",
                    self.styles.small,
                )

    def _consent(self, line: ConsentLine) -> list[str]:
        tr = self.tr
        decision = tr(line.decision)
        if line.basis != BASES[Basis.CONSENT]:
            decision = f"{decision} ({tr(line.basis)})"
        if line.explained_language:
            given_by = f"{tr(line.given_by)} ({language_name(line.explained_language, language=self.language)})"
        else:
            given_by = tr(line.given_by)
        ends = (
            f"{tr(N_('withdrawn'))} {self.when(line.withdrawn_at)}"
            if line.withdrawn_at
            else self.when(line.expires_at)
        )
        return [
            line.person or "—", tr(line.purpose), scope_label(line.scope, tr), decision, given_by,
            self.when(line.recorded_at), ends,
        ]  # fmt: skip

    def statements(self) -> None:
        view, tr = self.view, self.tr
        self.heading(N_("Statements"))
        if view.statements_withheld:
            self._withheld_part(view.statements_withheld)
            return
        if not view.statements:
            self.add(tr(N_("No sealed statement.")))
        for version in view.statements:
            self._statement(version)
        if view.drafts_left_out:
            self.add(tr(N_("Statements not yet sealed are not exported.")), self.styles.small)

    def _withheld_part(self, withheld: Withheld) -> None:
        self.withheld(withheld.reason, self.tr(withheld.what))

    def _statement(self, version: StatementVersionView) -> None:
        tr = self.tr
        title = tr(DEFAULT_TITLE) if version.title in _default_titles() else version.title
        heading = tr(N_("{title} — version {number}")).format(title=title, number=version.number)
        self.add(heading, self.styles.h2)  # one sentence to translate, not two halves
        rows = [
            (tr(N_("Language")), language_name(version.language, language=self.language)),
            (tr(N_("SHA-256 of the sealed original")), version.sha256),
            (tr(N_("Sealed by")), version.sealed_by),
            (tr(N_("Sealed at")), self.when(version.sealed_at)),
        ]
        if version.readback:
            rows.append((tr(N_("Read back")), tr(version.readback)))
        if version.amendment_reason:
            rows.append((tr(N_("Reason for this version")), version.amendment_reason))
        self.table(rows)
        if version.names_replaced:
            self.withheld(
                N_(
                    "withheld: names of the people in this case are replaced by the pseudonym; "
                    "this text differs from the sealed original where they occurred"
                )
            )
        self.add(tr(N_("Verbatim")), self.styles.label)
        self.add(version.text, verbatim=True)
        if version.translation:
            language = language_name(version.translation_language or "", language=self.language)
            self.add(f"{tr(N_('Translation'))} ({language})", self.styles.label)
            self.add(version.translation, verbatim=True)

    def answers(self) -> None:
        view, tr = self.view, self.tr
        self.heading(N_("Form answers"))
        if view.answers_withheld:
            self._withheld_part(view.answers_withheld)
            return
        if not view.answers:
            self.add(tr(N_("No form answers.")))
        for form in view.answers:
            self.add(f"{tr(form.title)} ({form.form_version})", self.styles.h2)
            if form.status != "complete":  # an unfinished form says so, before its answers
                self.withheld(N_("draft: this form was not completed; its answers may change"))
            self.table([self._answer(line) for line in form.lines], label_share=0.45)

    def _answer(self, line: AnswerLine) -> tuple[str, str]:
        indent = "   " * line.depth
        if line.value is None and line.withheld is None:
            return indent + line.label, ""
        if line.withheld is not None:
            return indent + line.label, self.tr(line.withheld)
        return indent + line.label, line.value or ""

    def referrals(self) -> None:
        tr = self.tr
        self.heading(N_("Referrals"))
        if not self.view.referrals:
            self.add(tr(N_("No referrals.")))
        for referral in self.view.referrals:
            self.add(f"{tr(referral.service)} — {referral.organisation}", self.styles.h2)
            rows = [
                (tr(N_("Status")), tr(referral.status)),
                (tr(N_("Created")), self.when(referral.created_at)),
                (tr(N_("Response due")), self.when(referral.due_at)),
            ]
            if referral.needs:
                rows.append((tr(N_("Needs")), referral.needs))
            if referral.result:
                rows.append((tr(N_("Result")), referral.result))
            self.table(rows)

    def attachments(self) -> None:
        view, tr = self.view, self.tr
        self.heading(N_("Attachments"))
        if not view.attachments and not view.media_withheld:
            self.add(tr(N_("No attachments.")))
        for item in view.attachments:
            self.add(item.filename, self.styles.h2)
            rows = [
                (tr(N_("Type")), item.media_type),
                (tr(N_("Size")), f"{format_number(item.size, language=self.language)} B"),
                (tr(N_("SHA-256")), item.sha256),
                (
                    tr(N_("Inside this file")),
                    tr(N_("yes, as an embedded file")) if item.embedded else tr(N_("no")),
                ),
            ]
            if item.description:
                rows.append((tr(N_("Description")), item.description))
            self.table(rows)
        if view.media_withheld and view.media_reason:
            self.withheld(
                view.media_reason,
                f"{tr(N_('Photographs and recordings'))}: "
                f"{format_number(view.media_withheld, language=self.language)}",
            )

    def custody(self) -> None:
        custody, tr = self.view.custody, self.tr
        self.story.append(PageBreak())
        self.heading(N_("Chain of custody"))
        self.add(
            tr(
                N_(
                    "The time below was claimed by the exporting device's clock; it is not a "
                    "trusted timestamp. The audit chain head identifies the state of the "
                    "exporter's tamper-evident log when this file was made."
                )
            ),
            self.styles.small,
        )
        protection = (
            tr(N_("encrypted to the recipient's certificate (AES-256)"))
            if custody.protection == "certificate"
            else tr(N_("encrypted with a password (AES-256)"))
        )
        rows = [
            (tr(N_("Export id")), custody.export_id),
            (tr(N_("Exported by")), custody.exporter),
            (tr(N_("Signing certificate (SHA-256)")), custody.signer_fingerprint),
            (
                tr(N_("Recipient")),
                f"{self.view.recipient_name} — {self.view.recipient_organisation}",
            ),
            (tr(N_("Recipient's certificate (SHA-256)")), custody.recipient_fingerprint or "—"),
            (tr(N_("Purpose")), tr(self.view.purpose)),
            (tr(N_("Protection")), protection),
            (tr(N_("Time claimed by the exporting device")), self.when(custody.claimed_time)),
            (tr(N_("Audit chain: last event")), str(custody.audit_seq)),
            (tr(N_("Audit chain head (SHA-256)")), custody.audit_head),
            (tr(N_("Software")), f"intake_app {custody.app_version}"),
        ]
        if custody.override_justification:
            rows.append((tr(N_("Shared on another legal basis")), custody.override_justification))
        self.table(rows)
        self.add(tr(N_("Decisions of the export policy")), self.styles.h2)
        self.table([(tr(what), tr(reason)) for what, _ok, reason in custody.decisions])

    def build(self) -> list[Flowable]:
        self.cover()
        self.story.append(PageBreak())
        self.survivor()
        self.people()
        self.consents()
        self.statements()
        self.answers()
        self.referrals()
        self.attachments()
        self.custody()
        return self.story


DEFAULT_TITLE = N_("Statement")  # the title a statement gets when none is typed


@functools.cache
def _default_titles() -> frozenset[str]:
    """The default title as stored: in the language of the user who created the statement; shown
    in the reader's language, so a heading is never half in one language and half in another."""
    return frozenset(translator(code)(DEFAULT_TITLE) for code in SHIPPED_LANGUAGES)


def render(view: ExportView) -> RenderedPdf:
    """The unsealed PDF of ``view`` (it never touches the disk; sealing encrypts it)."""
    typeset.register_fonts()
    document = _Document(view)
    story = document.build()
    footer = Footer(document.view, document.tr, document.coverage, document.rtl)
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 8 * mm,
        title=document.tr(N_("Sealed case summary")),
        author="",
        subject="",
        creator="intake_app",
        producer="intake_app",
        invariant=True,  # no creation time or random id from this machine in the metadata
        lang=view.language,
    )
    template.build(story, canvasmaker=footer.canvas_class())
    return RenderedPdf(buffer.getvalue(), footer.pages, document.coverage.missing)
