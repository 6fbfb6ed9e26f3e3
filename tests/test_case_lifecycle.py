"""Issue 16: closing and reopening a case (audited, with a reason; the CLI too), the list's
pseudonym and members, and the case's languages following its people."""

from __future__ import annotations

import pytest
from support import Cli, cheap_options, create_vault

from intake_app.core.errors import InvalidInput
from intake_app.core.records import CaseStatus, PersonRole


@pytest.fixture
def services(tmp_path):
    services, _key = create_vault(tmp_path / "vault", cheap_options())
    yield services
    services.lock()


def test_a_case_is_closed_and_reopened_with_a_reason_in_its_history(services):
    case = services.cases.open(languages=["ar"])
    with pytest.raises(InvalidInput):
        services.cases.close(case.reference, "  ")
    assert services.cases.close(case.reference, "Moved abroad").status is CaseStatus.CLOSED
    with pytest.raises(InvalidInput):
        services.cases.close(case.reference, "again")
    assert services.cases.list(hide_closed=True) == []
    assert services.cases.count(None, hide_closed=True) == 0
    assert [c.reference for c in services.cases.list()] == [case.reference]
    assert services.cases.reopen(case.reference, "Came back").status is CaseStatus.OPEN
    events = sorted(
        (e for e in services.admin.events([case.id]) if e.action.startswith("case.")),
        key=lambda e: e.seq,
    )
    assert [(e.action, e.details.get("reason")) for e in events] == [
        ("case.opened", None),
        ("case.closed", "Moved abroad"),
        ("case.reopened", "Came back"),
    ]


def test_the_list_shows_the_survivors_pseudonym_the_people_and_the_members(services):
    case = services.cases.open(languages=["ar"])
    services.cases.add_person(case.reference, role=PersonRole.WITNESS, pseudonym="Neighbour")
    services.cases.add_person(
        case.reference, role=PersonRole.SURVIVOR, pseudonym="Amal 7", legal_name="Real Name"
    )
    (summary,) = services.cases.list()
    assert (summary.pseudonym, summary.people, summary.members) == ("Amal 7", 2, "coord")


def test_the_cases_languages_follow_its_people(services):
    case = services.cases.open(languages=["ar"])
    survivor = services.cases.add_person(
        case.reference, role=PersonRole.SURVIVOR, pseudonym="Amal 7"
    )
    assert survivor.languages == ("ar",)  # the language the case was opened in
    services.cases.add_person(
        case.reference, role=PersonRole.GUARDIAN, pseudonym="G", languages=["fr"]
    )
    assert services.cases.get(case.reference).languages == ("ar", "fr")
    services.cases.update_person(survivor.id, languages=["uk"])
    assert services.cases.get(case.reference).languages == ("uk", "fr")


def test_close_and_reopen_from_the_command_line(tmp_path):
    cli = Cli(tmp_path / "vault")
    assert cli("init", "--vault", str(cli.vault), "--user", "coord")[0] == 0
    (reference,) = cli.json("demo", "--vault", str(cli.vault), "--user", "coord", "--cases", "1")
    code, _out, err = cli("close", reference, "--vault", str(cli.vault), "--user", "coord")
    assert code != 0 and "--reason" in err
    closed = cli.json(
        "close", reference, "--reason", "Done", "--vault", str(cli.vault), "--user", "coord"
    )
    assert closed == {"reference": reference, "status": "closed"}
    assert cli.json("cases", "--vault", str(cli.vault), "--user", "coord") == []
    listed = cli.json("cases", "--all", "--vault", str(cli.vault), "--user", "coord")
    assert [c["reference"] for c in listed] == [reference]
    code, out, _err = cli(
        "reopen", reference, "--reason", "New facts", "--vault", str(cli.vault), "--user", "coord"
    )
    assert code == 0 and reference in out


def test_editing_a_persons_identity_needs_a_reason_and_is_audited(services):
    case = services.cases.open(languages=["ar"])
    person = services.cases.add_person(
        case.reference, role=PersonRole.SURVIVOR, pseudonym="Amal 7", legal_name="Amal Haddad"
    )
    assert services.cases.update_person(person.id, pseudonym="Amal 8").pseudonym == "Amal 8"
    with pytest.raises(InvalidInput):
        services.cases.update_person(person.id, legal_name="Amal Hadad")
    services.cases.update_person(person.id, legal_name="Amal Hadad", reason="Spelling, per ID")
    assert services.cases.person(person.id).legal_name == "Amal Hadad"
    (last, *_rest) = services.admin.events([person.id])
    assert last.action == "person.updated"
    assert last.details == {"fields": ["legal_name"], "reason": "Spelling, per ID"}
    assert "Amal" not in str(last.details)  # the audit log names the field, never the value


def test_the_demos_titles_and_reasons_are_in_the_interviews_language(services):
    from intake_app.core.demo import generate

    references = generate(services, 8, seed=3)
    seen = set()
    for reference in references:
        for statement in services.statements.for_case(reference):
            seen.add((statement.current.language, statement.title))
    expected = {"ar": "الشهادة الأولى", "uk": "Перші свідчення", "fr": "Premier témoignage"}
    assert not {title for lang, title in seen if lang != "en"} & {
        "Initial testimony",
        "Follow-up interview",
    }
    assert any(title in expected.values() for _lang, title in seen)
