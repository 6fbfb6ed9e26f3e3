"""`intake-app consent list|record`: each decision names whose it is (issue 16 item 8)."""

from __future__ import annotations

from support import Cli, cheap_options, create_vault, unlock

from intake_app.core.records import Decision, PersonRole, Purpose


def test_consent_record_takes_the_person_and_list_shows_whose(tmp_path):
    options = cheap_options()
    services, _key = create_vault(tmp_path / "vault", options)
    ref = services.cases.open(languages=["ar"]).reference
    survivor = services.cases.add_person(ref, role=PersonRole.SURVIVOR, pseudonym="Survivor A")
    child = services.cases.add_person(
        ref, role=PersonRole.SURVIVOR, pseudonym="Child B", is_minor=True
    )
    services.consent.record(  # no person given: the survivor
        ref, purpose=Purpose.RECORD_TESTIMONY, decision=Decision.GRANTED, explained_language="ar"
    )
    services.lock()
    cli = Cli(tmp_path / "vault")
    cli.options = options
    vault = ["--vault", str(cli.vault), "--user", "coord"]
    listed = cli.json("consent", "list", ref, *vault)
    assert [(r["person"], r["purpose"]) for r in listed] == [("Survivor A", "record_testimony")]
    recorded = cli.json(
        "consent", "record", ref, *vault, "--person", "Child B", "--purpose",
        "disclose_identity", "--decision", "granted", "--given-by", "guardian",
        "--child-assent", "given", "--explained-in", "ar",
    )  # fmt: skip
    assert ("Child B", "disclose_identity", "guardian") in [
        (r["person"], r["purpose"], r["given_by"]) for r in recorded
    ]
    code, _out, err = cli(
        "consent", "record", ref, *vault, "--person", "Nobody", "--purpose", "contact",
        "--decision", "refused", "--explained-in", "ar",
    )  # fmt: skip
    assert code == 2 and "Survivor A" in err and "Child B" in err
    code, _out, err = cli(  # a child's consent needs the guardian
        "consent", "record", ref, *vault, "--person", child.id, "--purpose", "contact",
        "--decision", "granted", "--explained-in", "ar",
    )  # fmt: skip
    assert code == 2 and "guardian" in err
    services = unlock(tmp_path / "vault", options)
    owners = {c.person_id for c in services.consent.ledger(ref)}
    assert owners == {survivor.id, child.id}
    services.lock()
