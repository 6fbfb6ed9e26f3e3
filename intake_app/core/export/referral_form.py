"""The referral form a service provider receives (DESIGN §7): the minimum the consent allows.

The pseudonym always; the name and date of birth only with a live consent to disclose identity to
service providers (or this kind of provider); what the survivor needs, with names replaced when
identity is withheld; how to reach the survivor only through channels the plan and the contact
consent allow, never the code word. Laid out in the provider's language, in memory.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, Table, TableStyle

from intake_app.core.export import typeset
from intake_app.core.export.page_frame import FRAME_WIDTH, MARGIN, RULE, Styles
from intake_app.core.i18n import N_, format_date, format_list, is_rtl, language_name, translator


@dataclass(frozen=True)
class ReferralFormView:
    language: str
    referral_id: str
    service: str  # label key
    provider: str
    referred_on: str  # ISO date
    answer_due: str | None
    referred_by: str
    pseudonym: str
    legal_name: str | None
    date_of_birth: str | None
    identity_withheld: str | None  # reason key
    age_range: str | None
    languages: tuple[str, ...]
    is_minor: bool
    needs: str | None
    contact_channels: tuple[str, ...]  # label keys, only consented and safe
    safe_times: str | None
    contact_withheld: str | None  # reason key
    basis: str  # reason key: consent, or a coordinator's override


WITHHELD_CONTACT = N_("withheld: contact the survivor only through the referring organisation")


def render_referral_form(view: ReferralFormView) -> bytes:
    typeset.register_fonts()
    tr: Callable[[str], str] = translator(view.language)
    rtl = is_rtl(view.language)
    styles = Styles(rtl)
    coverage = typeset.Coverage()

    def text(value: str, style=None) -> list[Flowable]:  # type: ignore[no-untyped-def]
        return typeset.paragraphs(
            value, style or styles.body, FRAME_WIDTH, coverage, rtl_document=rtl
        )

    def table(rows: Sequence[tuple[str, str]]) -> Table:
        label_width = FRAME_WIDTH * 0.34
        value_width = FRAME_WIDTH - label_width
        data = []
        for label, value in rows:
            cells = [
                typeset.paragraphs(label, styles.label, label_width - 8, coverage, rtl_document=rtl),
                typeset.paragraphs(value or "—", styles.body, value_width - 8, coverage,
                                   rtl_document=rtl),
            ]  # fmt: skip
            data.append(cells[::-1] if rtl else cells)
        result = Table(
            data, colWidths=[value_width, label_width] if rtl else [label_width, value_width]
        )
        result.setStyle(
            TableStyle(
                [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE)]
            )
        )
        return result

    def day(iso: str | None) -> str:
        from datetime import date

        return format_date(date.fromisoformat(iso[:10]), language=view.language) if iso else "—"

    story: list[Flowable] = []
    story += text(tr(N_("Referral to {service}")).format(service=tr(view.service)), styles.title)
    story += text(tr(N_("Confidential: for the service named here only.")), styles.small)
    story.append(Spacer(1, 8))
    story.append(
        table(
            [
                (tr(N_("Provider")), view.provider),
                (tr(N_("Referred on")), day(view.referred_on)),
                (tr(N_("Answer due")), day(view.answer_due)),
                (tr(N_("Referred by")), view.referred_by),
                (tr(N_("Referral id")), view.referral_id),
                (tr(N_("Basis")), tr(view.basis)),
            ]
        )
    )
    story += text(tr(N_("The person referred")), styles.h1)
    if view.identity_withheld:
        story += text(tr(view.identity_withheld), styles.withheld)
    person = [(tr(N_("Pseudonym")), view.pseudonym)]
    if view.legal_name:
        person.append((tr(N_("Name")), view.legal_name))
    if view.date_of_birth:
        person.append((tr(N_("Date of birth")), day(view.date_of_birth)))
    person += [
        (tr(N_("Age range")), view.age_range or "—"),
        (
            tr(N_("Languages")),
            format_list(
                [language_name(c, language=view.language) for c in view.languages],
                language=view.language,
            )
            or "—",
        ),
        (tr(N_("Child")), tr(N_("yes")) if view.is_minor else tr(N_("no"))),
    ]
    story.append(table(person))
    story += text(tr(N_("What the survivor needs")), styles.h1)
    story += text(view.needs or "—")
    story += text(tr(N_("How to reach the survivor safely")), styles.h1)
    if view.contact_withheld:
        story += text(tr(view.contact_withheld), styles.withheld)
    else:
        story.append(
            table(
                [
                    (
                        tr(N_("Channels")),
                        format_list([tr(c) for c in view.contact_channels], language=view.language),
                    ),
                    (tr(N_("Safe times")), view.safe_times or "—"),
                ]
            )
        )
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=tr(N_("Referral")), author="", subject="", creator="intake_app",
        producer="intake_app", invariant=True, lang=view.language,
    ).build(story)  # fmt: skip
    return buffer.getvalue()
