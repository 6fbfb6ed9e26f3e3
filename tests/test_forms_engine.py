"""The XLSForm engine: types, ODK functions, empty values, repeats, choice filters, languages."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
from elementpath import XPath1Parser, select
from elementpath.exceptions import ElementPathError
from support import FakeClock

from intake_app.core.errors import InvalidInput
from intake_app.core.forms.loader import load_form
from intake_app.core.forms.odk_xpath import OdkParser
from intake_app.core.forms.session import FormSession
from intake_app.core.forms.spec import QuestionType, Sensitivity

FORMS = Path(__file__).parent / "forms"
SHIPPED = Path(__file__).resolve().parents[1] / "forms"


def session(name: str, **kwargs) -> FormSession:
    return FormSession(load_form(FORMS / name), clock=FakeClock(), **kwargs)


# -- the expression language -----------------------------------------------------------------


class Env:
    language = "fr"

    def now(self):
        return datetime(2026, 3, 1, 9, 30, tzinfo=UTC)

    def choice_label(self, path, value):
        return {"/data/s": {"a": "Alpha"}}.get(path, {}).get(value, "")


class Parser(OdkParser):
    environment = Env()


INSTANCE = ElementTree.fromstring(
    "<data><empty/><n>5</n><s>a b</s><dob>2000-02-29</dob><r><x>1</x></r><r><x>2</x></r></data>"
)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # ODK's empty-value semantics: an empty answer is NaN for numbers, never an error
        ("/data/empty < 18", False),
        ("/data/empty > 18", False),
        ("not(/data/empty < 18)", True),
        ("/data/empty = ''", True),
        ("/data/empty = 0", False),
        ("/data/empty + 1", "nan"),
        ("/data/n < 18", True),
        ("/data/n = 5", True),
        ("/data/n = '5'", True),
        ("/data/n mod 2", 1.0),
        ("-/data/n", -5.0),
        ("10 div 4", 2.5),
        ("true() = 1", True),
        # ODK functions
        ("selected(/data/s, 'b')", True),
        ("selected(/data/s, 'c')", False),
        ("count-selected(/data/s)", 2),
        ("selected-at(/data/s, 0)", "a"),
        ("selected-at(/data/s, 5)", ""),
        ("jr:choice-name('a', '/data/s')", "Alpha"),
        ("if(/data/n > 3, 'big', 'small')", "big"),
        ("coalesce(/data/empty, 'none')", "none"),
        ("coalesce(/data/n, 'none')", "5"),
        ("concat('a', /data/n, 'b')", "a5b"),
        ("substr('hello', 1, 3)", "el"),
        ("substr('hello', 2)", "llo"),
        ("string-length(/data/s)", 3),
        ("regex('abc123', '[0-9]+$')", True),
        ("regex('abc', '^[0-9]+$')", False),
        ("int(-3.7)", -3.0),
        ("int('')", "nan"),
        ("number('4.5')", 4.5),
        ("round(2.345, 2)", 2.35),
        ("round(2.5)", 3.0),
        ("sum(/data/r/x)", 3.0),
        ("count(/data/r)", 2),
        ("position(/data/r[2])", 2),
        ("today()", "2026-03-01"),
        ("now()", "2026-03-01T09:30:00.000Z"),
        ("date(0)", "1970-01-01"),
        ("date('2026-03-01T10:00:00Z')", "2026-03-01"),
        ("format-date(/data/dob, '%e %b %Y')", "29 févr. 2000"),
        ("format-date(/data/empty, '%Y')", ""),
        ("(today() - /data/dob) div 365.25 >= 26", True),
        ("boolean-from-string('true')", True),
        ("min(3, 1, 2)", 1.0),
        ("max(3, 1, 2)", 3.0),
        ("pow(2, 10)", 1024.0),
        ("string-length(uuid())", 36),
        ("string-length(uuid(8))", 8),
        ("once('x')", "5a b2000-02-2912"),
    ],
)
def test_odk_functions_and_empty_values(expression, expected):
    result = select(INSTANCE, expression, parser=Parser)
    if expected == "nan":
        assert result != result
    else:
        assert result == expected


def test_the_stock_xpath_parser_is_left_untouched():
    with pytest.raises(ElementPathError):
        select(INSTANCE, "'' < 18", parser=XPath1Parser)
    with pytest.raises(ElementPathError):
        select(INSTANCE, "round(1.25, 1)", parser=XPath1Parser)


# -- every question type -----------------------------------------------------------------------


def test_every_question_type_is_typed():
    spec = load_form(FORMS / "all_types.md")
    types = {q.name: q.type for q in spec.questions()}
    assert types == {
        "name": QuestionType.TEXT,
        "age": QuestionType.INTEGER,
        "weight": QuestionType.DECIMAL,
        "when": QuestionType.DATE,
        "at": QuestionType.TIME,
        "moment": QuestionType.DATETIME,
        "consent": QuestionType.SELECT_ONE,
        "fruits": QuestionType.SELECT_MULTIPLE,
        "summary": QuestionType.NOTE,
        "ack": QuestionType.ACKNOWLEDGE,
        "adult": QuestionType.CALCULATE,
        "secret": QuestionType.HIDDEN,
        "voice": QuestionType.AUDIO,
        "photo": QuestionType.IMAGE,
        "doc": QuestionType.FILE,
        "where": QuestionType.GEOPOINT,
        "locked": QuestionType.TEXT,
        "stamp": QuestionType.CALCULATE,
    }
    name = spec.question("name")
    assert name.required == "true()" and name.hints == {"en": "Full name", "fr": "Nom complet"}
    assert (
        name.guidance["fr"] == "Demandez avec tact"
        and name.required_messages["fr"] == "Un nom est nécessaire"
    )
    assert (
        name.sensitivity is Sensitivity.IDENTIFYING
        and spec.question("voice").sensitivity is Sensitivity.NARRATIVE
    )
    assert (
        spec.question("fruits").appearance == "minimal"
        and spec.question("stamp").trigger == "${age}"
    )


@pytest.mark.parametrize(
    ("name", "typed", "stored"),
    [
        ("name", "  Amal  ", "  Amal  "),  # verbatim
        ("age", " 42 ", "42"),
        ("weight", "61,5", "61.5"),
        ("weight", "70", "70.0"),  # as ODK stores a decimal
        ("when", "2026-02-28", "2026-02-28"),
        ("at", "14:30", "14:30:00"),
        ("moment", "2026-02-28T14:30:00Z", "2026-02-28T14:30:00+00:00"),
        ("consent", "yes", "yes"),
        ("fruits", ["apple", "fig", "apple"], "apple fig"),
        ("fruits", "pear", "pear"),
        ("ack", "OK", "OK"),
        ("where", "48.85 2.35", "48.85 2.35"),
        ("voice", "attachment-id-1", "attachment-id-1"),
    ],
)
def test_answers_are_checked_and_stored_as_text(name, typed, stored):
    form = session("all_types.md")
    form.set(name, typed)
    assert form.value(name) == stored


@pytest.mark.parametrize(
    ("name", "typed", "words"),
    [
        ("age", "forty", "whole number"),
        ("age", "4.5", "whole number"),
        ("weight", "heavy", "number"),
        ("when", "28/02/2026", "year-month-day"),
        ("at", "25:00", "hours:minutes"),
        ("moment", "yesterday", "date and time"),
        ("consent", "maybe", "unknown value .maybe. — use one of: "),
        ("fruits", ["apple", "kiwi"], "unknown value .kiwi. — use one of: apple"),
        ("where", "north", "latitude"),
        ("where", "95 10", "latitude"),
        ("summary", "x", "calculated"),
        ("adult", "yes", "calculated"),
        ("locked", "other", "read-only"),
    ],
)
def test_bad_answers_are_refused_with_a_clear_message_and_change_nothing(name, typed, words):
    form = session("all_types.md")
    before = form.answers()
    with pytest.raises(InvalidInput, match=words):
        form.set(name, typed)
    assert form.answers() == before


def test_defaults_calculations_triggers_and_label_interpolation():
    form = session("all_types.md")
    assert form.value("weight") == "60.5" and form.value("locked") == "fixed value"
    form.set("age", "17")
    assert form.value("adult") == "no" and form.value("stamp") == "age:17"
    form.set("age", "30")
    assert form.value("adult") == "yes" and form.value("stamp") == "age:30"
    form.set("name", "Amal")
    form.set("consent", "yes")
    assert form.label("summary") == "Hello Amal, you chose Yes"
    form.set_language("fr")
    assert form.label("summary") == "Bonjour Amal, vous avez choisi Oui"


def test_required_and_constraint_messages_in_the_form_language():
    form = session("all_types.md", language="fr")
    form.set("age", "130")
    form.set("when", "2099-01-01")
    issues = {i.name: i.message for i in form.validate()}
    assert issues == {
        "name": "Un nom est nécessaire",
        "age": "Entre 0 et 120",
        "when": "Pas dans le futur",
    }
    form.set("consent", "yes")
    form.set("fruits", ["apple", "pear", "fig"])
    assert {i.name: i.message for i in form.validate(["fruits"])} == {"fruits": "Deux au plus"}


# -- relevance -----------------------------------------------------------------------------------


def test_irrelevant_answers_are_kept_but_blank_to_logic_and_validation():
    form = session("all_types.md")
    form.set("consent", "yes")
    form.set("fruits", ["apple", "pear", "fig"])
    assert form.validate(["fruits"])
    form.set("consent", "no")
    assert not form.is_relevant("fruits") and form.validate(["fruits"]) == []
    assert form.value("fruits") == "apple pear fig"  # nothing typed is lost
    form.set("consent", "yes")
    assert form.is_relevant("fruits") and form.value("fruits") == "apple pear fig"


def test_shipped_profile_age_logic_and_child_safeguards():
    form = FormSession(load_form(SHIPPED / "survivor_profile.md"), language="uk", clock=FakeClock())
    form.set("age_known", "exact")
    form.set("dob", "2012-05-01")
    assert (form.value("age"), form.value("is_minor")) == ("13", "yes")
    assert form.is_relevant("minor_note") and form.is_relevant("guardian_name")
    form.set("age_known", "approximate")
    assert form.value("age") == "" and form.value("dob") == "2012-05-01"
    form.set("age_years", "34")
    assert form.value("is_minor") == "no" and not form.is_relevant("guardian_name")


# -- repeats and choice filters ------------------------------------------------------------------


def test_repeat_count_nested_repeats_relative_references_and_sums():
    form = session("realworld/displacement_survey.md")
    form.set("household_size", "3")
    assert form.repeat_count("members") == 3
    ages = {0: "34", 1: "9", 2: "15"}
    for index, age in ages.items():
        form.set("member_age", age, at=(("members", index),))
    assert (
        form.value("member_child", at=(("members", 1),)) == "1"
    )  # ${member_age} means this member's age
    assert form.value("children") == "2"
    form.set("member_missing", "yes", at=(("members", 2),))
    assert form.value("missing_count") == "1"
    third = (("members", 2),)
    assert form.is_relevant("sightings", at=third) and form.repeat_count("sightings", third) == 0
    assert not form.is_relevant(
        "sightings", at=(("members", 0),)
    )  # not missing: no sightings section
    index = form.add_repeat("sightings", at=third)
    form.set("seen_place", "Checkpoint north of town", at=(*third, ("sightings", index)))
    assert form.answers()["members"][2]["sightings"] == [{"seen_place": "Checkpoint north of town"}]
    with pytest.raises(InvalidInput, match="set by an earlier answer"):
        form.add_repeat("members")
    with pytest.raises(InvalidInput, match="which entry"):
        form.set("member_age", "3")
    form.set("household_size", "2")  # never drops the member who was answered
    assert form.repeat_count("members") == 3


def test_cascading_selects_three_levels():
    form = session("realworld/displacement_survey.md", language="ar")
    assert form.choices("region") == []
    form.set("country", "sy")
    assert [c.name for c in form.choices("region")] == ["idlib", "aleppo"]
    form.set("region", "idlib")
    assert [form.choice_text(c) for c in form.choices("district")] == ["أريحا", "جسر الشغور"]
    form.set("district", "jisr")
    form.set("country", "ua")
    messages = {i.name for i in form.validate()}
    assert {"region", "district"} <= messages  # earlier answers no longer fit
    assert form.label("country_note") == "البلد: أوكرانيا"


def test_removing_a_repeat_instance():
    form = session("realworld/displacement_survey.md")
    form.set("household_size", "1")
    at = (("members", 0),)
    form.set("member_age", "40", at=at)
    form.set("member_missing", "yes", at=at)
    first = 0  # the first member opens with one sighting, as in ODK
    assert form.repeat_count("sightings", at=at) == 1
    second = form.add_repeat("sightings", at=at)
    form.set("seen_place", "A", at=(*at, ("sightings", first)))
    form.set("seen_place", "B", at=(*at, ("sightings", second)))
    form.remove_repeat("sightings", 0, at=at)
    assert form.answers()["members"][0]["sightings"] == [{"seen_place": "B"}]
    with pytest.raises(InvalidInput):
        form.remove_repeat("sightings", 5, at=at)


# -- languages and serialisation -------------------------------------------------------------------


def test_language_switch_mid_interview_keeps_answers_and_records_languages():
    form = FormSession(load_form(SHIPPED / "incident.md"), language="ar", clock=FakeClock())
    form.set("what_happened", ["detention", "threats"])
    form.set("place", "قرب الجسر")
    form.set_language("en")
    assert form.display("what_happened") == "Detention or abduction, Threats or intimidation"
    form.set("date_known", "approximate")
    form.set_language("uk")
    assert form.label("incident_period") == "Коли приблизно, наскільки ви пам'ятаєте?"
    assert form.value("place") == "قرب الجسر" and form.languages_used == ["ar", "en", "uk"]
    with pytest.raises(InvalidInput):
        form.set_language("de")


def test_answers_round_trip_through_json():
    form = session("realworld/displacement_survey.md", language="fr")
    form.set("country", "ua")
    form.set("household_size", "2")
    form.set("member_name", "Олена", at=(("members", 0),))
    data = json.loads(json.dumps(form.to_json(), ensure_ascii=False))
    again = FormSession.from_json(
        load_form(FORMS / "realworld" / "displacement_survey.md"), data, clock=FakeClock()
    )
    assert again.answers() == form.answers() and again.language == "fr"
    assert again.value("member_name", at=(("members", 0),)) == "Олена"
    other = dict(data, version="99")
    with pytest.raises(InvalidInput):
        FormSession.from_json(load_form(FORMS / "realworld" / "displacement_survey.md"), other)


def test_pages_group_top_level_questions_and_skip_irrelevant_groups():
    form = FormSession(load_form(SHIPPED / "incident.md"), clock=FakeClock())
    titles = [p.title for p in form.pages()]
    assert titles == [None, "Perpetrators (one entry per person or group)", None, None]
    assert "witnesses" not in [n.name for p in form.pages() for n in p.nodes]
    form.set("witnesses_present", "yes")
    assert "Witnesses" in [p.title for p in form.pages()]


# -- file formats -------------------------------------------------------------------------------------


def _as_xlsx(markdown: Path, target: Path) -> Path:
    from pyxform.xls2json_backends import md_table_to_workbook

    md_table_to_workbook(markdown.read_text(encoding="utf-8")).save(target)
    return target


def _as_csv(xlsx: Path, target: Path) -> Path:
    from openpyxl import load_workbook

    out = io.StringIO()
    writer = csv.writer(out)
    for sheet in load_workbook(xlsx).worksheets:
        writer.writerow([sheet.title])
        for row in sheet.iter_rows(values_only=True):
            writer.writerow(["", *("" if c is None else c for c in row)])
    target.write_text(out.getvalue(), encoding="utf-8")
    return target


@pytest.mark.parametrize(
    "name",
    [
        "realworld/displacement_survey.md",
        "all_types.md",
        *[f"../../forms/{p.name}" for p in sorted(SHIPPED.glob("*.md"))],
    ],
)
def test_the_same_form_loads_identically_from_md_xlsx_and_csv(tmp_path, name):
    source = (FORMS / name).resolve()
    from_md = load_form(source)
    xlsx = _as_xlsx(source, tmp_path / (source.stem + ".xlsx"))
    csv_file = _as_csv(xlsx, tmp_path / (source.stem + ".csv"))
    for other in (load_form(xlsx), load_form(csv_file)):
        assert other.form_id == from_md.form_id and other.languages == from_md.languages
        assert [(q.name, q.type, q.row, q.relevant, q.labels) for q in other.questions()] == [
            (q.name, q.type, q.row, q.relevant, q.labels) for q in from_md.questions()
        ]
        assert other.choices == from_md.choices


def test_kobo_style_form_with_bare_language_names_deep_groups_and_or_other():
    spec = load_form(FORMS / "realworld" / "kobo_style.md")
    assert spec.languages == ("en", "sw", "fr") and spec.language_names["sw"] == "Swahili"
    other = spec.question("cause_other")
    assert other.generated and other.path == ("household", "dwelling", "damage")
    assert other.sensitivity is Sensitivity.INCIDENT  # as sensitive as the question it completes
    form = FormSession(spec, language="sw", clock=FakeClock())
    assert not form.is_relevant("cause")  # the group's relevance reaches down
    form.set("damaged", "yes")
    assert form.label("cause") == "Chanzo cha uharibifu"
    form.set("cause", "other")
    form.set("items_lost", ["documents", "other"])
    assert form.is_relevant("cause_other") and form.is_relevant("items_lost_other")
    form.set("cause_other", "A drone strike on the roof")
    form.set("damaged", "no")
    assert (
        not form.is_relevant("cause_other")
        and form.value("cause_other") == "A drone strike on the roof"
    )


def test_validate_one_page_or_the_whole_form():
    form = session("realworld/displacement_survey.md")
    form.set("household_size", "2")
    form.set("member_age", "140", at=(("members", 1),))
    pages = form.pages()
    members_page = next(p for p in pages if p.title == "Household member")
    assert [(i.name, i.at) for i in form.validate_page(members_page)] == [
        ("member_age", (("members", 1),))
    ]
    first_page = pages[0]
    assert form.validate_page(first_page) == []
    assert len(form.validate()) == 1
