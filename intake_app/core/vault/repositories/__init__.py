"""Reads: rows → frozen records, one module per entity. No writes here (services are the only
writers).

Services import the entity modules (``from intake_app.core.vault.repositories import people``);
the names below are the row builders and lookups the package had when it was one module, kept
so ``repo.xxx`` still works.
"""

from __future__ import annotations

from intake_app.core.vault.repositories.accounts import user, user_by_username, users
from intake_app.core.vault.repositories.attachments import attachment
from intake_app.core.vault.repositories.cases import case, case_summary
from intake_app.core.vault.repositories.exports import EXPORT_RECORD_SELECT, export_record
from intake_app.core.vault.repositories.forms import form_definition, form_response
from intake_app.core.vault.repositories.interviews import session
from intake_app.core.vault.repositories.ledger import consent, consents
from intake_app.core.vault.repositories.liaison import contact_plan, liaison_update, promise
from intake_app.core.vault.repositories.people import person
from intake_app.core.vault.repositories.recipients import recipient
from intake_app.core.vault.repositories.referrals import provider, referral
from intake_app.core.vault.repositories.statements import statement, statement_version

__all__ = [
    "EXPORT_RECORD_SELECT",
    "attachment",
    "case",
    "case_summary",
    "consent",
    "consents",
    "contact_plan",
    "export_record",
    "form_definition",
    "form_response",
    "liaison_update",
    "person",
    "promise",
    "provider",
    "recipient",
    "referral",
    "session",
    "statement",
    "statement_version",
    "user",
    "user_by_username",
    "users",
]
