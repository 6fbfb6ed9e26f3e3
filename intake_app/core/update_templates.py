"""Case updates to survivors, drafted in the survivor's language (docs/design.md §7).

Each kind of update has a template, written here in English and translated in the catalogs like
every message, but filled in the *survivor's* language whatever the officer's interface language
is: the name (or pseudonym), the date as that language writes it (CLDR), and the officer's own
details. The officer adapts the draft before it is prepared; nothing is sent from here.
"""

from __future__ import annotations

import re
from datetime import date

from intake_app.core.i18n import N_, format_date, translator
from intake_app.core.records import UpdateKind

TEMPLATES = {
    UpdateKind.HEARING: N_(
        "Dear {name}, a hearing in your case is scheduled for {date}. {details} We will contact "
        "you as agreed to explain what it means and what you may choose to do."
    ),
    UpdateKind.ARREST: N_(
        "Dear {name}, there is news in your case: on {date} a person connected with what happened "
        "to you was arrested. {details} We will contact you as agreed to explain what this means "
        "for you and for your safety."
    ),
    UpdateKind.EXTRADITION_REQUEST: N_(
        "Dear {name}, on {date} a request was filed to extradite a person connected with your "
        "case. {details} These procedures can take a long time; we will keep you informed as "
        "agreed."
    ),
    UpdateKind.DECISION: N_(
        "Dear {name}, on {date} a decision was taken in your case. {details} We will contact you "
        "as agreed to explain it and what can happen next."
    ),
    UpdateKind.REFERRAL_OUTCOME: N_(
        "Dear {name}, we have news about the service we referred you to, as of {date}. {details} "
        "If you need anything else, contact us as agreed."
    ),
    UpdateKind.GENERAL: N_(
        "Dear {name}, we would like to give you news about your case as of {date}. {details}"
    ),
}
SIGN_OFF = N_("With our respect, the team following your case.")


def draft(kind: UpdateKind, language: str, *, name: str, when: date, details: str = "") -> str:
    """The update's text in ``language``: template, name, localised date, details, sign-off."""
    tr = translator(language)
    written = format_date(when, language=language, width="long")
    body = tr(TEMPLATES[kind]).format(name=name.strip(), date=written, details=details.strip())
    if written.endswith("."):  # "1 березня 2026 р." ends a sentence by itself
        body = body.replace(f"{written}.", written)
    body = re.sub(r"[ \t]{2,}", " ", body).strip()
    return f"{body}\n\n{tr(SIGN_OFF)}"
