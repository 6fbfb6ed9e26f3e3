"""The use cases. The GUI and the CLI are thin clients of these; they are the only writers."""

from __future__ import annotations

import contextlib
from dataclasses import replace

from intake_app.core.clock import Clock
from intake_app.core.errors import IntakeError, NotFound, PermissionDenied
from intake_app.core.i18n import _
from intake_app.core.records import Role, User
from intake_app.core.services.admin import AdminService
from intake_app.core.services.attachments import AttachmentService
from intake_app.core.services.base import ServiceContext, new_id
from intake_app.core.services.cases import CaseService
from intake_app.core.services.consent import ConsentService
from intake_app.core.services.exports import ExportService
from intake_app.core.services.followup import FollowUpService
from intake_app.core.services.form_definitions import FormDefinitionService
from intake_app.core.services.forms import FormResponseService
from intake_app.core.services.identities import IdentityService, insert_self_signed
from intake_app.core.services.interviews import InterviewService
from intake_app.core.services.liaison import LiaisonService
from intake_app.core.services.recipients import RecipientService
from intake_app.core.services.referral_forms import ReferralFormService
from intake_app.core.services.referrals import ReferralService
from intake_app.core.services.search import SearchService
from intake_app.core.services.statements import StatementService
from intake_app.core.services.users import UserService, check_username
from intake_app.core.vault import audit
from intake_app.core.vault import repositories as repo
from intake_app.core.vault.vault import Vault


class Services:
    """Every use case, for one acting user of one open vault."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.users = UserService(ctx)
        self.cases = CaseService(ctx)
        self.statements = StatementService(ctx)
        self.interviews = InterviewService(ctx)
        self.consent = ConsentService(ctx)
        self.attachments = AttachmentService(ctx)
        self.referrals = ReferralService(ctx)
        self.liaison = LiaisonService(ctx)
        self.recipients = RecipientService(ctx)
        self.identities = IdentityService(ctx)
        self.form_definitions = FormDefinitionService(ctx)
        self.forms = FormResponseService(ctx, self.form_definitions, self.consent)
        self.search = SearchService(ctx)
        self.admin = AdminService(ctx)
        self.exports = ExportService(self)
        self.followup = FollowUpService(ctx)
        self.referral_forms = ReferralFormService(self)

    @property
    def actor(self) -> User:
        return self.ctx.actor

    @classmethod
    def bootstrap(cls, vault: Vault, username: str, display_name: str, clock: Clock) -> Services:
        """The first user of a new vault: a coordinator."""
        check_username(username)
        name = display_name.strip() or username
        user = User(
            id=new_id(), username=username, display_name=name, role=Role.COORDINATOR, created_at=""
        )
        ctx = ServiceContext(vault, user, clock)
        now = ctx.now()
        user = ctx.actor = replace(user, created_at=now)
        with ctx.write("vault.created", "app_user", user.id) as w:
            w.insert(
                "app_user",
                {
                    "id": user.id,
                    "username": username,
                    "display_name": user.display_name,
                    "role": Role.COORDINATOR.value,
                    "created_at": now,
                },
            )
            w.details.update(
                {
                    "username": username,
                    "device_bound": vault.device_bound(username),
                    # S37: the keys that sign this vault's events from its first one on
                    "audit_key": vault.signer.public_hex if vault.signer else None,
                    "recovery_audit_key": vault.recovery_audit_key,
                }
            )
            insert_self_signed(w, user, now)
        services = cls(ctx)
        services.form_definitions.install_shipped()
        return services

    @classmethod
    def login(cls, vault: Vault, clock: Clock, username: str | None = None) -> Services:
        """Services for the user who unlocked (or, after a recovery unlock, for ``username``)."""
        name = vault.username or username
        user = repo.user_by_username(vault.db, name or "")
        if user is None:
            raise NotFound(_("There is no user called {name}.").format(name=name))
        if user.removed_at:
            raise PermissionDenied(_("This user has been removed from the vault."))
        services = cls(ServiceContext(vault, user, clock))
        services._register_signing_key()
        action = "session.unlocked" if vault.username else "session.recovery_unlocked"
        with services.ctx.write(action, "app_user", user.id) as w:
            w.details["failed_attempts_before"] = vault.failed_attempts
        services.form_definitions.install_shipped()
        return services

    def _register_signing_key(self) -> None:
        """S37: a user of a vault from before signed events (or the recovery key, the first
        time it opens one) names their own key once, in an event signed with it."""
        vault = self.ctx.vault
        if vault.signer is None or audit.key_registered(vault.db, vault.signer.public_hex):
            return
        with vault.db.transaction():
            audit.register_key(
                vault.db, vault.signer, self.actor.id if vault.username else None, self.ctx.now()
            )

    def lock(self) -> None:
        """Record the lock, then close the vault and zero its key. The lock always happens (S20,
        S44): a vault that cannot record it (a damaged page, a full disk) is closed all the same."""
        try:
            if self.ctx.vault.is_open:
                with (
                    contextlib.suppress(IntakeError),
                    self.ctx.write("session.locked", "app_user", self.actor.id),
                ):
                    pass
        finally:
            self.ctx.vault.close()
