"""``forms check`` locates every problem; forms in the vault are checked, versioned and immutable."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_cli import Cli

from intake_app.core.errors import InvalidInput, PermissionDenied
from intake_app.core.forms.check import check_bytes, check_path, errors
from intake_app.core.forms.loader import FormError, load_form_bytes
from intake_app.core.records import Role
from intake_app.core.vault.db import DatabaseError

FORMS = Path(__file__).parent / "forms"
SHIPPED = Path(__file__).resolve().parents[1] / "forms"


@pytest.mark.parametrize(
    ("name", "sheet", "row", "column", "words"),
    [
        ("bad_reference.md", "survey", 3, "relevant", "agee"),
        ("unknown_list.md", "survey", 2, None, "nosuch"),
        ("bad_expression.md", "survey", 2, "constraint", "not a valid expression"),
        ("unknown_sensitivity.md", "survey", 2, "sensitivity", "secret"),
        ("bad_choice_filter.md", "survey", 2, "choice_filter", "nothing"),
        ("needs_media.md", "survey", 2, "type", "places.csv"),
        ("empty.md", None, None, None, "empty"),
        ("not_a_form.txt", None, None, None, ".xlsx, .xls, .csv or .md"),
    ],
)
def test_each_broken_form_is_reported_at_the_right_place(name, sheet, row, column, words):
    spec, problems = check_path(FORMS / "broken" / name)
    found = errors(problems)
    assert len(found) == 1, [str(p) for p in problems]
    problem = found[0]
    assert (problem.file, problem.sheet, problem.row, problem.column) == (name, sheet, row, column)
    assert words in problem.message
    assert name in str(problem) and (row is None or f"row {row}" in str(problem))


@pytest.mark.parametrize(
    ("name", "sheet", "row", "column", "words"),
    [
        ("missing_translation.md", "survey", 3, "label::French (fr)", "no label in fr"),
        ("missing_choice_translation.md", "choices", 3, "label::French (fr)", "'no'"),
    ],
)
def test_a_missing_translation_is_a_warning_naming_the_cell(name, sheet, row, column, words):
    """ODK shows the default language's text where a translation is missing: so does the form
    session, and ``forms check`` names each empty cell without refusing the form."""
    spec, problems = check_path(FORMS / "degraded" / name)
    assert spec is not None and errors(problems) == []
    found = [p for p in problems if p.column == column]
    assert len(found) == 1 and found[0].warning
    assert (found[0].sheet, found[0].row) == (sheet, row) and words in found[0].message
    assert "shown instead" in found[0].message


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.md")), ids=lambda p: p.name)
def test_shipped_forms_are_clean_and_fully_translated(path):
    spec, problems = check_path(path)
    assert spec is not None and problems == []
    assert spec.languages == ("en", "fr", "es", "ar", "uk")
    inputs = [q for q in spec.questions() if q.is_input]
    assert inputs and all(q.sensitivity.value != "unclassified" for q in spec.questions())
    assert all(q.required is None for q in inputs), "every question may be skipped"


def test_shipped_forms_distinguish_prefer_not_to_say_from_dont_know():
    for path in sorted(SHIPPED.glob("*.md")):
        spec = load_form_bytes(path.name, path.read_bytes())
        names = {c.name for choices in spec.choices.values() for c in choices}
        if path.stem in ("survivor_profile", "incident"):
            assert {"prefer_not", "dont_know"} <= names


def test_a_form_without_sensitivity_is_a_warning_not_an_error(tmp_path):
    form = tmp_path / "plain.md"
    form.write_text("| survey |\n| | type | name | label |\n| | text | q | Q |\n", encoding="utf-8")
    spec, problems = check_path(form)
    assert spec is not None and errors(problems) == [] and problems[0].warning


def test_zip_bombs_and_damaged_workbooks_are_refused():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    with pytest.raises(FormError, match="far more than a form"):
        load_form_bytes("bomb.xlsx", bomb.getvalue())
    with pytest.raises(FormError, match="not a readable"):
        load_form_bytes("broken.xlsx", b"PK\x03\x04 not really")
    with pytest.raises(FormError, match="10 MB"):
        load_form_bytes("huge.md", b"x" * (11 * 1024 * 1024))


@given(st.binary(max_size=3000))
@settings(max_examples=120, deadline=None)
def test_random_bytes_as_a_form_give_problems_never_a_crash(data):
    for name in ("f.md", "f.csv", "f.xlsx", "f.xls"):
        spec, problems = check_bytes(name, data)
        assert spec is not None or problems


@given(
    st.text(
        alphabet=st.characters(blacklist_characters="|\n\r", blacklist_categories=("Cs",)),
        max_size=40,
    )
)
@example("*")  # once crashed: ODK's arithmetic took the wildcard for a product
@example("* * *")
@settings(max_examples=120, deadline=None)
def test_any_expression_text_is_checked_without_crashing(expression):
    form = (
        f"| survey |\n| | type | name | label | relevant | sensitivity |\n| | integer | a | A | | admin |\n"
        f"| | text | b | B | {expression} | admin |\n"
    )
    spec, problems = check_bytes("fuzz.md", form.encode())
    assert spec is not None or problems


# -- forms in the vault ----------------------------------------------------------------------------


def test_new_vaults_carry_the_shipped_forms(coordinator):
    installed = {(d.form_id, d.version) for d in coordinator.form_definitions.list()}
    shipped = {
        (s.form_id, s.version)
        for s in (load_form_bytes(p.name, p.read_bytes()) for p in SHIPPED.glob("*.md"))
    }
    assert installed == shipped and len(shipped) == 5
    assert all(d.shipped for d in coordinator.form_definitions.list())


def test_versions_are_immutable_and_old_answers_keep_their_version(coordinator, case_ref, tmp_path):
    v1 = tmp_path / "survey.md"
    v1.write_text(
        (FORMS / "realworld" / "displacement_survey.md").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    coordinator.form_definitions.add_file(v1)
    assert (
        coordinator.form_definitions.add_file(v1).version == "3"
    )  # the same file again: nothing new
    response, form = coordinator.forms.start(case_ref, "displacement_survey")
    form.set("country", "sy")
    coordinator.forms.save_session(response.id, form)
    changed = v1.read_text(encoding="utf-8").replace(
        "| Country | Pays |", "| Country of origin | Pays d'origine |"
    )
    v1.write_text(changed, encoding="utf-8")
    with pytest.raises(InvalidInput, match="already exists with different content"):
        coordinator.form_definitions.add_file(v1)
    v1.write_text(
        changed.replace(
            "| Displacement survey | displacement_survey | 3 |",
            "| Displacement survey | displacement_survey | 4 |",
        ),
        encoding="utf-8",
    )
    assert coordinator.form_definitions.add_file(v1).version == "4"
    assert coordinator.form_definitions.spec("displacement_survey").version == "4"
    old = coordinator.forms.session(response.id)
    assert (
        old.spec.version == "3"
        and old.label("country") == "Country"
        and old.value("country") == "sy"
    )
    with pytest.raises(DatabaseError, match="immutable"):
        coordinator.ctx.db.conn.execute("UPDATE form_definition SET source = x'00'")


def test_a_form_with_errors_is_not_added_and_only_coordinators_add(team, tmp_path):
    coordinator = team.as_(Role.COORDINATOR)
    with pytest.raises(InvalidInput, match="row 3"):
        coordinator.form_definitions.add_file(FORMS / "broken" / "bad_reference.md")
    advocate = team.as_(Role.ADVOCATE)
    with pytest.raises(PermissionDenied):
        advocate.form_definitions.add_file(FORMS / "all_types.md")


def test_completing_a_response_requires_valid_answers(coordinator, case_ref):
    response, form = coordinator.forms.start(case_ref, "contact_plan", language="es")
    form.set("safe_channels", ["phone"])
    form.set("phone", "llámame")
    with pytest.raises(InvalidInput, match="1 answer still needs attention"):
        coordinator.forms.save_session(response.id, form, complete=True)
    form.set("phone", "+963 11 555 0100")
    done = coordinator.forms.save_session(response.id, form, complete=True)
    assert done.status == "complete" and done.languages == ("es",)


def test_cli_forms_check_add_list(tmp_path):
    cli = Cli(tmp_path / "vault")
    cli("init", "--vault", str(cli.vault), "--user", "coord")
    code, out, _err = cli(
        "forms",
        "check",
        str(FORMS / "all_types.md"),
        str(FORMS / "broken" / "bad_expression.md"),
        "--json",
    )
    report = json.loads(out)
    assert code == 2
    assert [r["ok"] for r in report] == [True, False]
    assert (
        report[1]["problems"][0]["row"] == 2 and report[1]["problems"][0]["column"] == "constraint"
    )
    code, out, _err = cli("forms", "check", str(FORMS / "broken" / "bad_expression.md"))
    assert code == 2 and "row 2, column constraint" in out
    added = cli.json(
        "forms", "add", str(FORMS / "all_types.md"), "--vault", str(cli.vault), "--user", "coord"
    )
    assert added["form_id"] == "all_types" and added["languages"] == ["en", "fr"]
    listed = {
        f["form_id"]
        for f in cli.json("forms", "list", "--vault", str(cli.vault), "--user", "coord")
    }
    assert {
        "all_types",
        "incident",
        "informed_consent",
        "survivor_profile",
        "safety_needs",
        "contact_plan",
    } <= listed
    code, _out, err = cli(
        "forms",
        "add",
        str(FORMS / "broken" / "unknown_list.md"),
        "--vault",
        str(cli.vault),
        "--user",
        "coord",
    )
    assert code == 2 and "nosuch" in err and err.count("\n") == 1


def test_completing_the_consent_form_writes_the_ledger_once(coordinator):
    from intake_app.core.records import Decision, GivenBy, PersonRole, Purpose

    reference = coordinator.cases.open(languages=["ar"]).reference
    coordinator.cases.add_person(
        reference, role=PersonRole.SURVIVOR, pseudonym="Nour 2", is_minor=True
    )
    response, form = coordinator.forms.start(reference, "informed_consent", language="ar")
    answers = {
        "explained_language": "ar",
        "interpreter_present": "yes",
        "interpreter_name": "Interpreter A",
        "given_by": "guardian",
        "child_assent": "given",
        "c_record": "granted",
        "c_share_investigators": "granted",
        "c_disclose_identity": "refused",
        "c_contact": "not_asked",
        "consent_until": "2031-06-30",
        "readback": "confirmed",
    }
    for name, value in answers.items():
        form.set(name, value)
    coordinator.forms.save_session(response.id, form, complete=True)
    ledger = {c.purpose: c for c in coordinator.consent.ledger(reference)}
    assert set(ledger) == {
        Purpose.RECORD_TESTIMONY,
        Purpose.SHARE_INVESTIGATORS,
        Purpose.DISCLOSE_IDENTITY,
        Purpose.CONTACT,
    }
    share = ledger[Purpose.SHARE_INVESTIGATORS]
    assert (share.scope, share.decision, share.given_by, share.child_assent, share.interpreter) == (
        "category:investigators",
        Decision.GRANTED,
        GivenBy.GUARDIAN,
        "given",
        "Interpreter A",
    )
    assert share.explained_language == "ar" and share.expires_at == "2031-06-30T23:59:59.999999Z"
    assert ledger[Purpose.DISCLOSE_IDENTITY].decision is Decision.REFUSED
    assert coordinator.consent.status(
        reference, Purpose.SHARE_INVESTIGATORS, ["category:investigators"]
    ).live
    coordinator.forms.save_session(response.id, form, complete=True)  # saving again adds nothing
    assert len(coordinator.consent.ledger(reference)) == 4


def test_a_form_whose_consent_answers_break_the_rules_records_nothing(coordinator):
    reference = coordinator.cases.open().reference
    from intake_app.core.records import PersonRole

    coordinator.cases.add_person(
        reference, role=PersonRole.SURVIVOR, pseudonym="Star", is_minor=True
    )
    response, form = coordinator.forms.start(reference, "informed_consent")
    form.set("explained_language", "en")
    form.set("given_by", "survivor")  # a child cannot consent alone
    form.set("c_record", "granted")
    with pytest.raises(InvalidInput, match="guardian"):
        coordinator.forms.save_session(response.id, form, complete=True)
    assert coordinator.consent.ledger(reference) == []
    assert coordinator.forms.get(response.id).status == "draft"  # the whole completion rolled back


def test_bad_consent_bindings_are_reported_at_their_cell(tmp_path):
    form = tmp_path / "c.md"
    form.write_text(
        "| survey |\n| | type | name | label | consent_purpose | consent_scope | consent_field | sensitivity |\n"
        "| | select_one d | a | A | publish_online | any | | admin |\n"
        "| | select_one d | b | B | statistics | everyone | | admin |\n"
        "| | text | c | C | | | signature | admin |\n"
        "| choices |\n| | list_name | name | label |\n| | d | granted | Yes |\n",
        encoding="utf-8",
    )
    _spec, problems = check_path(form)
    assert [(p.row, p.column) for p in errors(problems)] == [
        (2, "consent_purpose"),
        (3, "consent_scope"),
        (4, "consent_field"),
    ]
