"""Users and their key slots."""

from __future__ import annotations

import re
from dataclasses import replace

from intake_app.core.errors import InvalidInput, NotFound, PermissionDenied
from intake_app.core.i18n import _
from intake_app.core.labels import ROLE_NAMES
from intake_app.core.permissions import Permission
from intake_app.core.records import Role, User
from intake_app.core.services.base import ServiceContext, new_id
from intake_app.core.services.identities import insert_self_signed
from intake_app.core.vault import repositories as repo

_USERNAME = re.compile(r"^[\w.\-]{2,40}$")


def check_username(username: str) -> None:
    if not _USERNAME.match(username):
        raise InvalidInput(
            _(
                "A user name has 2 to 40 letters, digits, dots, dashes or underscores, without spaces."
            )
        )


def retired_name(user: User) -> str:
    """What a removed user's name becomes when it is given to someone new: their own name with
    their id, which no new name can be (``~`` is not allowed in one)."""
    return f"{user.username}~{user.id[:8]}"


class UserService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def list(self) -> list[User]:
        return repo.users(self._ctx.db)

    def add(
        self, username: str, display_name: str, role: Role, passphrase: str
    ) -> tuple[User, bool]:
        """A new user with a key slot; returns the user and whether the slot is device-bound."""
        ctx = self._ctx
        ctx.require(Permission.USER_MANAGE)
        check_username(username)
        earlier = repo.user_by_username(ctx.db, username)
        if earlier is not None and not earlier.removed_at:
            raise InvalidInput(_("There is already a user with this name."))
        user = User(
            id=new_id(),
            username=username,
            display_name=display_name.strip() or username,
            role=role,
            created_at=ctx.now(),
        )
        with ctx.write("user.added", "app_user", user.id) as w:
            if earlier is not None:  # a removed user's name is free again: theirs is retired
                retired = retired_name(earlier)
                w.update("app_user", earlier.id, {"username": retired})
                w.details["retired"] = {"user": earlier.id, "as": retired}
            w.insert(
                "app_user",
                {
                    "id": user.id,
                    "username": username,
                    "display_name": user.display_name,
                    "role": role.value,
                    "created_at": user.created_at,
                },
            )
            w.details.update({"username": username, "role": role.value})
            insert_self_signed(w, user, user.created_at)
            # failure rolls the insert back; the event names the new user's audit key (S37)
            bound, w.details["audit_key"] = ctx.vault.add_user_slot(username, passphrase)
        return user, bound

    def remove(self, username: str) -> None:
        ctx = self._ctx
        ctx.require(Permission.USER_MANAGE)
        user = self._get(username)
        if user.id == ctx.actor.id:
            raise PermissionDenied(_("You cannot remove yourself; ask another coordinator."))
        with ctx.write("user.removed", "app_user", user.id) as w:
            w.update("app_user", user.id, {"removed_at": ctx.now()})
            w.details["username"] = username
            ctx.vault.remove_user_slot(username)

    def set_role(self, username: str, role: Role) -> User:
        """A coordinator changes another user's role (audited with the role before and after).
        Nobody changes their own, and the last coordinator stays one: the vault would otherwise
        have nobody to manage its users."""
        ctx = self._ctx
        ctx.require(Permission.USER_MANAGE)
        user = self._get(username)
        if user.id == ctx.actor.id:
            raise PermissionDenied(_("You cannot change your own role; ask another coordinator."))
        if user.role == role:
            raise InvalidInput(
                _("{user} is already {role}; nothing was changed.").format(
                    user=username, role=_(ROLE_NAMES[role])
                )
            )
        active = [u for u in repo.users(ctx.db) if not u.removed_at]
        if user.role is Role.COORDINATOR and sum(u.role is Role.COORDINATOR for u in active) < 2:
            raise InvalidInput(_("The vault needs at least one coordinator; add another first."))
        with ctx.write("user.role_changed", "app_user", user.id) as w:
            w.update("app_user", user.id, {"role": role.value})
            w.details.update({"username": username, "from": user.role.value, "role": role.value})
        return replace(user, role=role)

    def change_own_passphrase(self, old: str, new: str) -> None:
        ctx = self._ctx
        ctx.vault.change_passphrase(ctx.actor.username, old, new)
        with ctx.write("user.passphrase_changed", "app_user", ctx.actor.id):
            pass

    def reset_passphrase(self, username: str, new: str) -> None:
        """A coordinator (or a recovery-key session) gives a user a fresh slot and passphrase."""
        ctx = self._ctx
        if ctx.vault.username is not None:
            ctx.require(Permission.USER_MANAGE)
        user = self._get(username)
        action = (
            "user.passphrase_reset" if ctx.vault.username else "user.passphrase_reset_by_recovery"
        )
        audit_key = ctx.vault.reset_passphrase(username, new)
        with ctx.write(action, "app_user", user.id) as w:
            w.details.update({"username": username, "audit_key": audit_key})

    def _get(self, username: str) -> User:
        # A name no user can have (not UTF-8, control characters) is looked up nowhere: SQLite
        # cannot even take it as a parameter.
        user = repo.user_by_username(self._ctx.db, username) if _USERNAME.match(username) else None
        if user is None or user.removed_at:
            raise NotFound(_("There is no user called {name}.").format(name=username))
        return user
