"""The referral form a service provider receives (docs/design.md §7): the minimum the consent allows.

The pseudonym always; the name and date of birth only with a live consent to disclose identity to
service providers (or this kind of provider); what the survivor needs, with names replaced when
identity is withheld; how to reach the survivor only through channels the plan and the contact
consent allow, never the code word. Laid out in the provider's language, in memory.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from intake_app.core.i18n import N_, format_day, format_list, language_name


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
    # reportlab is imported here, not with the module: the services import this module, and the
    # unlock window should not wait for a PDF library it does not use (cold start).
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Spacer

    from intake_app.core.export import typeset
    from intake_app.core.export.layout import Page
    from intake_app.core.export.page_frame import MARGIN

    typeset.register_fonts()
    page = Page(view.language)
    tr, styles = page.tr, page.styles

    def day(iso: str | None) -> str:
        return format_day(iso, language=view.language)

    page.add(tr(N_("Referral to {service}")).format(service=tr(view.service)), styles.title)
    page.add(tr(N_("Confidential: for the service named here only.")), styles.small)
    page.story.append(Spacer(1, 8))
    page.table(
        [
            (tr(N_("Provider")), view.provider),
            (tr(N_("Referred on")), day(view.referred_on)),
            (tr(N_("Answer due")), day(view.answer_due)),
            (tr(N_("Referred by")), view.referred_by),
            (tr(N_("Referral id")), view.referral_id),
            (tr(N_("Basis")), tr(view.basis)),
        ]
    )
    page.heading(N_("The person referred"))
    if view.identity_withheld:
        page.withheld(view.identity_withheld)
    person = [(tr(N_("Pseudonym")), view.pseudonym)]
    if view.legal_name:
        person.append((tr(N_("Name")), view.legal_name))
    if view.date_of_birth:
        person.append((tr(N_("Date of birth")), day(view.date_of_birth)))
    languages = [language_name(c, language=view.language) for c in view.languages]
    person += [
        (tr(N_("Age range")), view.age_range or "—"),
        (tr(N_("Languages")), format_list(languages, language=view.language) or "—"),
        (tr(N_("Child")), tr(N_("yes")) if view.is_minor else tr(N_("no"))),
    ]
    page.table(person)
    page.heading(N_("What the survivor needs"))
    page.add(view.needs or "—")
    page.heading(N_("How to reach the survivor safely"))
    if view.contact_withheld:
        page.withheld(view.contact_withheld)
    else:
        channels = format_list([tr(c) for c in view.contact_channels], language=view.language)
        page.table([(tr(N_("Channels")), channels), (tr(N_("Safe times")), view.safe_times or "—")])
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=tr(N_("Referral")), author="", subject="", creator="intake_app",
        producer="intake_app", invariant=True, lang=view.language,
    ).build(page.story)  # fmt: skip
    return buffer.getvalue()
