"""S23: what each role may do is enforced in the services (and so in the CLI)."""

from __future__ import annotations

import io

import pytest

from intake_app.core.errors import PermissionDenied
from intake_app.core.permissions import ROLE_PERMISSIONS, Permission
from intake_app.core.records import Channel, PersonRole, Readback, Role
from intake_app.core.services.views import case_view

SECRET = "the words only investigators and advocates may read"


@pytest.fixture
def case_with_testimony(team):
    services = team.as_(Role.ADVOCATE)
    case = services.cases.open(languages=["en"])
    services.cases.add_person(
        case.reference, role=PersonRole.SURVIVOR, pseudonym="River 4", legal_name="Jane Doe"
    )
    statement = services.statements.create(case.reference, title="t", language="en", text=SECRET)
    services.statements.seal(statement.current.id, readback=Readback.CONFIRMED)
    services.attachments.add(
        case.reference, io.BytesIO(b"%PDF-1.4 medical report"), filename="report.pdf"
    )
    return case.reference, statement.id


def test_liaison_never_receives_testimony_text(team, case_with_testimony):
    reference, statement_id = case_with_testimony
    liaison = team.as_(Role.LIAISON)
    statement = liaison.statements.get(statement_id)
    assert statement.current.text is None and statement.current.sha256  # metadata, not content
    assert all(
        v.text is None and v.translation is None
        for v in liaison.statements.for_case(reference)[0].versions
    )
    view = case_view(liaison, reference)
    assert SECRET not in repr(view) and "attachments" not in view and "forms" not in view
    assert view["survivor"]["pseudonym"] == "River 4"  # liaison needs to know who to contact
    assert liaison.search.search("investigators") == []  # search does not reveal testimony words
    with pytest.raises(PermissionDenied):
        liaison.attachments.for_case(reference)
    with pytest.raises(PermissionDenied):
        liaison.statements.save_draft(liaison.statements.get(statement_id).current.id, text="x")


def test_liaison_can_do_its_own_work(team, case_with_testimony):
    reference, _ = case_with_testimony
    liaison = team.as_(Role.LIAISON)
    plan = liaison.liaison.set_contact_plan(
        reference, safe_channels=[Channel.PHONE], unsafe_channels=[Channel.SMS]
    )
    assert plan.safe_channels == (Channel.PHONE,)


@pytest.mark.parametrize("role", [Role.ADVOCATE, Role.INVESTIGATOR])
def test_testimony_roles_read_text_and_the_view_is_audited(team, case_with_testimony, role):
    reference, statement_id = case_with_testimony
    services = team.as_(role)
    assert services.statements.get(statement_id).current.text == SECRET
    assert services.admin.events([statement_id], limit=1)[0].action == "statement.viewed"
    assert SECRET in repr(case_view(services, reference))


@pytest.mark.parametrize("role", [Role.ADVOCATE, Role.INVESTIGATOR, Role.LIAISON])
def test_only_coordinators_manage_users_and_recipients(team, role):
    services = team.as_(role)
    with pytest.raises(PermissionDenied):
        services.users.add("mallory", "Mallory", Role.COORDINATOR, "a long winter road home")
    with pytest.raises(PermissionDenied):
        services.recipients.add(name="X", organisation="Y")
    with pytest.raises(PermissionDenied):
        services.admin.rotate_key()
    with pytest.raises(PermissionDenied):
        services.admin.events()


def test_permission_matrix_is_need_to_know():
    liaison = ROLE_PERMISSIONS[Role.LIAISON]
    assert not liaison & {
        Permission.TESTIMONY_READ,
        Permission.FORM_READ,
        Permission.ATTACHMENT_READ,
        Permission.EXPORT,
    }
    assert Permission.EXPORT not in ROLE_PERMISSIONS[Role.ADVOCATE]
    assert ROLE_PERMISSIONS[Role.COORDINATOR] == frozenset(Permission)


def test_a_removed_user_cannot_act(team, vault_dir, options):
    from support import unlock

    services = team.as_(Role.COORDINATOR)
    services.users.remove("advocate")
    with pytest.raises(PermissionDenied):
        services.users.remove("coord")  # not oneself
    services.lock()
    from intake_app.core.errors import WrongPassphrase

    with pytest.raises(WrongPassphrase):
        unlock(vault_dir, options, "advocate", "correct horse battery stapleadvocate")


@pytest.fixture
def liaison_case(team):
    services = team.as_(Role.ADVOCATE)
    case = services.cases.open(languages=["uk"])
    services.cases.add_person(
        case.reference, role=PersonRole.SURVIVOR, pseudonym="River 4", legal_name="Jane Doe",
        date_of_birth="1990-04-02",
    )  # fmt: skip
    services.cases.add_person(
        case.reference, role=PersonRole.WITNESS, pseudonym="Neighbour", legal_name="John Roe",
        date_of_birth="1970-01-01",
    )  # fmt: skip
    return case.reference


def _liaison_json(team, reference: str) -> dict:
    from support import Cli

    team.current.lock()
    cli = Cli(team.vault_dir)
    cli.options = team.options
    code, out, err = cli("--user", "liaison", "show", reference, "--json",
                         stdin="correct horse battery stapleliaison\n")  # fmt: skip
    assert code == 0, err
    import json

    return json.loads(out)


def test_s38_show_json_gives_a_liaison_officer_no_date_of_birth_and_no_legal_name(
    team, liaison_case
):
    """Plain `show` printed only the pseudonym; `show --json` carried every legal name and date of
    birth. The role's view now applies to the records themselves, so every output follows it."""
    view = _liaison_json(team, liaison_case)
    text = repr(view)
    for secret in ("Jane Doe", "John Roe", "1990-04-02", "1970-01-01"):
        assert secret not in text
    assert all("date_of_birth" not in p and "name" not in p for p in view["persons"])
    assert view["survivor"]["pseudonym"] == "River 4"
    # The same records reach the screens: the services give them without the fields.
    liaison = team.as_(Role.LIAISON)
    assert all(p.legal_name is None and p.date_of_birth is None
               for p in liaison.cases.persons(liaison_case))  # fmt: skip


def test_s38_the_legal_name_only_where_the_contact_plan_reaches_the_survivor_by_name(
    team, liaison_case
):
    liaison = team.as_(Role.LIAISON)
    liaison.liaison.set_contact_plan(
        liaison_case, safe_channels=[Channel.LETTER], unsafe_channels=[Channel.SMS]
    )
    view = _liaison_json(team, liaison_case)
    assert view["survivor"]["name"] == "Jane Doe"  # a letter must be addressed
    assert "date_of_birth" not in view["survivor"]
    witness = next(p for p in view["persons"] if p["role"] == "witness")
    assert "name" not in witness  # contact is with the survivor, never the witnesses
    advocate = team.as_(Role.ADVOCATE)  # the roles that take testimony see the identity
    assert advocate.cases.survivor(liaison_case).date_of_birth == "1990-04-02"
