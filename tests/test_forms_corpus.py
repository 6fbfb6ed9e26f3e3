"""Issue 17: the XLSForms organisations already have. A corpus of our own forms
(tests/forms/corpus, written here) covering what refused real forms: each is accepted or
refused as it should be, and runs as ODK runs it (the differential test compares the same forms
with ODK's own engine)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from support import FakeClock

from intake_app.core.errors import InvalidInput
from intake_app.core.forms.answers import MAX_COMPUTED_CHARS
from intake_app.core.forms.check import check_bytes, check_path, errors
from intake_app.core.forms.loader import FormError, load_form, load_form_bytes
from intake_app.core.forms.session import FormSession
from intake_app.core.forms.spec import QuestionType

FORMS = Path(__file__).parent / "forms"
CORPUS = FORMS / "corpus"
MEDIA = [CORPUS / "media" / "villages.csv", CORPUS / "media" / "clinics.csv"]


def session(name: str, **kwargs: object) -> FormSession:
    return FormSession(load_form(CORPUS / name), clock=FakeClock(), **kwargs)  # type: ignore[arg-type]


def test_acceptance_over_every_form_pyxform_converts():
    """The ratio the issue asks for, over our own forms, each with the media files it reads."""
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import get_xlsform

    forms = sorted([*CORPUS.glob("*.md"), *(FORMS / "realworld").glob("*.md")])
    media = {  # a form comes with the files it reads
        "external_choices.md": MEDIA,
        "searched_lists.md": [MEDIA[0], CORPUS / "media" / "itemsets.csv"],
    }
    forms += sorted((FORMS / "odk_parity").glob("*.md")) + [FORMS / "all_types.md"]
    converted, accepted, refused = 0, 0, []
    for form in forms:
        sheets = get_xlsform(io.BytesIO(form.read_bytes()), file_type=".md")
        workbook_to_json(
            workbook_dict=sheets,
            form_name="data",
            fallback_form_name="data",
            default_language="default",
        )  # pyxform converts it (raises otherwise)
        converted += 1
        spec, problems = check_path(form, media.get(form.name))
        if spec is not None and not errors(problems):
            accepted += 1
        else:
            refused.append((form.name, [p.message for p in errors(problems)]))
    print(f"accepted {accepted} of {converted} forms pyxform converts ({accepted / converted:.0%})")
    assert refused == [] and accepted == converted


def test_metadata_a_desktop_knows_is_recorded_and_the_rest_stays_empty_with_a_warning():
    spec, problems = check_path(CORPUS / "field_metadata.md")
    assert spec is not None and errors(problems) == []
    warned = {p.row: p.message for p in problems if p.warning and p.column == "type"}
    assert "device ID" in warned[6] and "SIM" in warned[7] and "phone number" in warned[9]
    assert "position" in warned[11] and "audit log" in warned[12]
    form = session("field_metadata.md", username="amina")
    assert form.value("interviewer") == "amina"  # username is the acting user
    assert form.value("taken_by") == "taken by amina"  # and ${username} may be referenced
    assert form.value("day") == "2026-03-01" and form.value("started").startswith("2026-03-01T")
    assert form.value("device") == form.value("where_started") == ""
    assert "amina" in form.label("intro") and "2026-03-01" in form.label("intro")
    with pytest.raises(InvalidInput):
        form.set("device", "phone-123")  # never asked, never typed
    # reopened by someone else, the record keeps who and when it was begun
    again = FormSession.from_json(spec, form.to_json(), clock=FakeClock(), username="other")
    assert again.value("interviewer") == "amina" and again.value("started") == form.value("started")
    page_names = [n.name for page in again.pages() for n in page.nodes]
    assert "interviewer" not in page_names and "device" not in page_names


def test_a_loop_asks_its_questions_once_per_choice_with_the_choice_in_the_label():
    form = session("household_loop.md", language="fr")
    assert form.label("medical_people") == "Personnes ayant besoin de : soins médicaux"
    assert form.label("need_legal") == "aide juridique"
    form.set("medical_people", "3")
    form.set("shelter_people", "1")
    assert form.value("medical_people") == "3" and form.value("legal_people") == ""
    form.set("legal_people", "-1")
    assert [i.name for i in form.validate()] == ["legal_people"]  # the constraint copied too


def test_a_missing_translation_falls_back_to_the_default_language_at_run_time():
    form = session("partial_translations.md", language="fr")
    assert form.label("where") == "Where are you staying?"
    assert form.hint("where") == "Only if they agree"
    assert form.label("safe_now") == "Êtes-vous en sécurité ?"
    labels = {c.name: form.choice_text(c) for c in form.choices("safe_now")}
    assert labels == {"yes": "Oui", "no": "Non", "unsure": "Not sure"}
    form.set_language("uk")
    assert form.label("children") == "How many children are with you?"


def test_field_types_are_accepted_and_each_degrades_plainly():
    spec, problems = check_path(CORPUS / "field_types.md")
    assert spec is not None and errors(problems) == []
    types = {q.name: q.type for q in spec.questions()}
    assert types["document_code"] is QuestionType.BARCODE
    assert types["place"] is QuestionType.GEOPOINT  # the alias "gps", by pyxform's own table
    assert types["alias_text"] is types["alias_string"] is QuestionType.TEXT
    assert types["alias_int"] is QuestionType.INTEGER
    assert types["clip"] is QuestionType.VIDEO and types["read_rights"] is QuestionType.ACKNOWLEDGE
    assert types["priorities"] is QuestionType.RANK
    warnings = [p for p in problems if p.warning]
    assert any("does not scan" in p.message and p.row == 2 for p in warnings)
    assert any("'rating'" in p.message and p.column == "appearance" for p in warnings)
    assert any("'horizontal-compact'" in p.message for p in warnings)
    assert not any("multiline" in p.message for p in warnings)  # honoured, not warned
    assert spec.question("document_code").degraded == "barcode"


@pytest.mark.parametrize(
    ("name", "value", "stored"),
    [
        ("route", "48.85 2.35; 48.86 2.36", "48.85 2.35; 48.86 2.36"),
        ("route", "48.85,2.35\n48.86,2.36", "48.85 2.35; 48.86 2.36"),  # pasted, one per line
        ("camp_area", "1 2; 1 3; 2 3; 1 2", "1 2; 1 3; 2 3; 1 2"),
        ("pain", "7", "7"),
        ("distance_km", "2.5", "2.5"),
        ("priorities", "legal shelter medical", "legal shelter medical"),
        ("document_code", " AB-123 ", "AB-123"),
        ("read_rights", "OK", "OK"),
    ],
)
def test_typed_coordinates_ranges_and_rankings_are_stored_as_odk_stores_them(name, value, stored):
    form = session("field_types.md")
    form.set(name, value)
    assert form.value(name) == stored


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("route", "48.85 2.35", "two points or more"),
        ("route", "200 2; 1 1", "two points or more"),
        ("camp_area", "1 2; 1 3; 2 3", "four points or more"),
        ("camp_area", "1 2; 1 3; 2 3; 2 4", "the same as the first"),
        ("pain", "11", "from 0 to 10, in steps of 1"),
        ("distance_km", "0.7", "from 0 to 5, in steps of 0.5"),
        ("priorities", "legal shelter", "every choice"),
        ("priorities", "legal legal shelter", "every choice"),
        ("priorities", "legal shelter nope", "nope"),
    ],
)
def test_bad_coordinates_ranges_and_rankings_are_refused_and_change_nothing(name, value, words):
    form = session("field_types.md")
    with pytest.raises(InvalidInput, match=words):
        form.set(name, value)
    assert form.value(name) == ""


def test_odk_functions_and_choice_names_compute_as_odk():
    spec, problems = check_path(CORPUS / "odk_functions.md")
    assert spec is not None and errors(problems) == []  # jr:choice-name no longer crashes
    form = session("odk_functions.md")
    form.set("side", "3")
    form.set("consent", "yes")
    form.set("needs", "legal shelter")
    assert form.value("diagonal") == "4.24" and form.value("growth") == "6.259"
    assert form.value("angle") == "0" and form.value("trig") == "3"
    assert form.value("consent_label") == "Yes"
    assert form.value("needs_count") == "2" and form.value("first_need") == "shelter"
    assert form.value("when_decimal") == "1"
    assert form.label("summary") == "Yes: 2 needs, diagonal 4.24"


def test_circular_calculations_and_a_relevant_naming_itself_are_refused_and_named():
    form = (
        "| survey |\n| | type | name | label | calculation | relevant | sensitivity |\n"
        "| | integer | n | N | | | admin |\n"
        "| | calculate | a | | ${b} + 1 | | admin |\n"
        "| | calculate | b | | ${c} + ${n} | | admin |\n"
        "| | calculate | c | | ${a} | | admin |\n"
        "| | text | t | T | | ${t} != '' | admin |\n"
        "| | calculate | fine | | ${n} * 2 | | admin |\n"
    )
    spec, problems = check_bytes("circle.md", form.encode())
    found = [(p.row, p.column, p.message) for p in errors(problems)]
    assert len(found) == 2, found
    assert found[0][:2] == (3, "calculation") and "${a} → ${b} → ${c} → ${a}" in found[0][2]
    assert found[1][:2] == (6, "relevant") and "${t} → ${t}" in found[1][2]


def test_a_chain_of_a_thousand_calculations_is_checked_without_recursing():
    rows = ["| survey |", "| | type | name | label | calculation | sensitivity |"]
    rows.append("| | text | c0 | Start | | admin |")
    rows += [
        f"| | calculate | c{i} | | concat(${{c{i - 1}}}, 'x') | admin |" for i in range(1, 1000)
    ]
    spec, problems = check_bytes("chain.md", "\n".join(rows).encode())
    assert spec is not None and errors(problems) == []


def test_a_calculation_that_would_grow_without_bound_is_refused_naming_it():
    rows = ["| survey |", "| | type | name | label | calculation | sensitivity |"]
    rows.append("| | text | seed | Seed | | admin |")
    rows.append("| | calculate | d1 | | concat(${seed}, ${seed}) | admin |")
    rows += [
        f"| | calculate | d{i} | | concat(${{d{i - 1}}}, ${{d{i - 1}}}) | admin |"
        for i in range(2, 41)
    ]
    spec = load_form_bytes("doubling.md", "\n".join(rows).encode())
    form = FormSession(spec, clock=FakeClock())
    with pytest.raises(InvalidInput, match="The calculation 'd17' would hold more than"):
        form.set("seed", "a")  # 2**40 characters at d40, were nothing capped
    assert form.value("seed") == "" and form.value("d16") == ""  # nothing was taken
    form.set("seed", "")  # the form goes on
    assert all(len(form.value(f"d{i}")) <= MAX_COMPUTED_CHARS for i in range(1, 41))


def _workbook(cells: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in cells:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_formula_cell_saved_without_its_result_is_refused_naming_the_cell():
    data = _workbook(
        [
            ["type", "name", "label", "relevant", "sensitivity"],
            ["integer", "age", "Age", None, "admin"],
            ["text", "why", "Why", '=CONCATENATE("${age}", " > 1")', "admin"],
        ]
    )
    with pytest.raises(FormError) as refused:
        load_form_bytes("formula.xlsx", data)
    problem = refused.value.problems[0]
    assert (problem.sheet, problem.row) == ("survey", 3) and "Cell D3" in problem.message


def test_a_zip_that_is_not_a_workbook_says_so():
    archive = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    with pytest.raises(FormError, match="not a readable .xlsx workbook"):
        load_form_bytes("letter.xlsx", archive.getvalue())


def test_a_choice_list_is_read_as_a_secondary_instance():
    form = session("lookups.md")
    assert form.value("districts_in_north") == "2"
    form.set("district", "d2")
    assert form.value("district_label") == "River district"
    assert form.value("district_region") == "south"
    assert form.label("where") == "You chose River district, in the south"


def test_a_translated_list_is_read_through_jr_itext_in_the_forms_language():
    form = session("lookups_translated.md")
    form.set("district", "d1")
    assert form.value("district_label") == "Hill district"
    form.set_language("ar")  # the lookup follows the language, as in ODK
    assert form.value("district_label") == "منطقة التلال"
    assert form.label("where") == "اخترت منطقة التلال"


def test_an_instance_that_names_no_choice_list_is_refused_at_its_cell():
    text = (
        "| survey |\n| | type | name | label | calculation | sensitivity |\n"
        "| | calculate | c | | instance('nolist')/root/item[1]/label | admin |\n"
    )
    _spec, problems = check_bytes("nolist.md", text.encode())
    (problem,) = errors(problems)
    assert (problem.row, problem.column) == (2, "calculation") and "'nolist'" in problem.message


def test_a_form_runs_with_its_media_lists_lookups_and_pulldata():
    spec, problems = check_path(CORPUS / "external_choices.md", MEDIA)
    assert spec is not None and problems == []
    form = FormSession(spec, clock=FakeClock())
    form.set("region", "north")
    assert [c.name for c in form.choices("village")] == ["v1", "v3"]  # the file's own column
    form.set("village", "v1")
    assert form.value("population") == "1200" and form.value("clinic") == "Hill clinic"
    assert form.label("summary") == "Hill village: 1200 people, clinic Hill clinic"
    with pytest.raises(InvalidInput):
        form.set("village", "v9")


def test_a_form_without_its_media_is_refused_naming_each_file_once():
    _spec, problems = check_path(CORPUS / "external_choices.md")
    named = [p.message for p in errors(problems)]
    assert len(named) == 2
    assert "'villages.csv'" in named[0] and "--media villages.csv" in named[0]
    assert "'clinics.csv'" in named[1]


def test_media_that_cannot_be_used_gets_one_sentence(tmp_path):
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    bad = tmp_path / "villages.csv"  # the list the form reads, but not text
    bad.write_bytes(b"\xff\xfe not text")
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:
        handle.truncate(11 * 1024 * 1024)
    for media, words in (
        ([fifo], "pipe"),
        ([bad, MEDIA[1]], "not UTF-8"),
        ([huge], "larger than 10 MB"),
        ([tmp_path / "notes.txt"], "neither .csv nor .xml"),
    ):
        spec, problems = check_path(CORPUS / "external_choices.md", media)
        assert spec is None and len(problems) == 1, problems
        assert words in problems[0].message or words in str(problems[0]), (words, problems[0])
    extra = tmp_path / "unused.csv"
    extra.write_text("name,label\na,A\n", encoding="utf-8")
    spec, problems = check_path(CORPUS / "external_choices.md", [*MEDIA, extra])
    assert spec is not None and errors(problems) == []
    assert any("'unused.csv' is not used" in p.message and p.warning for p in problems)


def test_media_stored_with_the_form_version_is_read_back_and_guarded(coordinator, tmp_path):
    added = coordinator.form_definitions.add_file(CORPUS / "external_choices.md", MEDIA)
    again = coordinator.form_definitions.add_file(CORPUS / "external_choices.md", MEDIA)
    assert again.id == added.id  # the same content: nothing new
    changed = tmp_path / "villages.csv"
    changed.write_text("name,label,region,population\nv1,Hill,north,1\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="already exists with different content"):
        coordinator.form_definitions.add_file(CORPUS / "external_choices.md", [changed, MEDIA[1]])
    coordinator.form_definitions._specs.clear()  # read from the vault, not from the cache
    spec = coordinator.form_definitions.spec("corpus_external")
    assert [c.name for c in spec.choices["villages.csv"]] == ["v1", "v2", "v3"]
    assert coordinator.admin.verify().ok
    db = coordinator.ctx.db  # a key holder swaps the stored list: the digest no longer matches
    db.execute("DROP TRIGGER form_definition_immutable")
    db.execute("UPDATE form_definition SET media = X'7B7D' WHERE id = ?", (added.id,))
    assert not coordinator.admin.verify().ok


def test_the_command_line_takes_media_with_the_form(tmp_path):
    from support import Cli

    cli = Cli(tmp_path / "vault")
    cli("init", "--vault", str(cli.vault), "--user", "coord")
    media = [str(m) for m in MEDIA]
    code, out, _err = cli("forms", "check", str(CORPUS / "external_choices.md"), "--media", *media)
    assert code == 0 and "OK" in out
    code, out, _err = cli("forms", "check", str(CORPUS / "external_choices.md"))
    assert code == 2 and "--media villages.csv" in out
    added = cli.json(
        "forms", "add", str(CORPUS / "external_choices.md"), "--media", *media,
        "--vault", str(cli.vault), "--user", "coord",
    )  # fmt: skip
    assert added["form_id"] == "corpus_external"
    code, _out, err = cli(
        "forms",
        "add",
        str(CORPUS / "external_choices.md"),
        "--vault",
        str(cli.vault),
        "--user",
        "coord",
    )
    assert code == 2 and "villages.csv" in err and "Traceback" not in err


def test_a_name_repeated_in_another_group_is_its_own_question():
    """Names need only be unique in their group: a repeat 'gps' holding a question 'gps', and a
    member's 'name' beside the interviewee's, each keep their own answer."""
    spec, problems = check_path(CORPUS / "household_roster.md")
    assert spec is not None and errors(problems) == []
    rows = {q.name: q.row for q in spec.walk()}
    assert rows["name"] == 2 and rows["member/name"] == 5 and rows["gps/gps"] == 11
    form = session("household_roster.md")
    member, place = (("member", 0),), (("gps", 0),)
    form.set("name", "Amal")
    form.set("member/name", "Bilal", member)
    form.set("gps/gps", "48.85 2.35", place)
    form.set("injured", "yes", member)
    assert form.value("name") == "Amal" and form.value("member/name", member) == "Bilal"
    assert form.value("gps/gps", place) == "48.85 2.35" and form.is_relevant("injury", member)
    again = FormSession.from_json(spec, form.to_json(), clock=FakeClock())
    assert (
        again.value("member/name", member) == "Bilal"
        and again.label("member/name") == "Member's name"
    )


def test_search_and_external_lists_read_their_choices_from_media():
    media = [MEDIA[0], CORPUS / "media" / "itemsets.csv"]
    spec, problems = check_path(CORPUS / "searched_lists.md", media)
    assert spec is not None and problems == []  # search() is not "only styling"
    form = FormSession(spec, clock=FakeClock())
    villages = [(c.name, form.choice_text(c)) for c in form.choices("village")]
    assert villages == [("v1", "Hill village"), ("v2", "River village"), ("v3", "Lake village")]
    assert [c.name for c in form.choices("district")] == ["d1", "d2"]  # its own list only
    form.set("district", "d2")
    assert form.display("district") == "River district"
    _spec, problems = check_path(CORPUS / "searched_lists.md")
    assert sorted(p.column for p in errors(problems)) == ["appearance", "type"]
    text = (
        "| survey |\n| | type | name | label | appearance |\n"
        "| | select_one villages | v | V | search('villages', 'matches', 'region', 'north') |\n"
        "| choices |\n| | list_name | name | label |\n| | villages | name | label |\n"
    )
    _spec, problems = check_bytes(
        "filtered.md", text.encode(), {"villages.csv": MEDIA[0].read_bytes()}
    )
    assert "choice_filter" in errors(problems)[0].message


def test_a_choice_filter_may_name_a_label_column_as_the_choices_sheet_writes_it():
    form = session("label_filter.md", language="fr")  # interviewing in French
    form.set("letter", "L")
    assert [form.choice_text(c) for c in form.choices("service")] == ["Aide juridique"]
    form.set("letter", "")
    assert len(form.choices("service")) == 3


def test_an_xml_bomb_as_media_is_refused_naming_it(tmp_path):
    bomb = tmp_path / "villages.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        "<root><item><name>&c;</name><label>x</label></item></root>",
        encoding="utf-8",
    )
    form = (
        "| survey |\n| | type | name | label |\n| | select_one_from_file villages.xml | v | V |\n"
    )
    spec, problems = check_bytes("bomb.md", form.encode(), {"villages.xml": bomb.read_bytes()})
    assert spec is None and "'villages.xml' is not readable XML" in problems[0].message


@pytest.mark.parametrize("value", ["1 2 nan", "1 2 3 inf", "nan 1", "1e309 1"])
def test_a_point_with_a_number_that_is_not_finite_is_refused(value):
    form = session("field_types.md")
    with pytest.raises(InvalidInput):
        form.set("place", value)
    with pytest.raises(InvalidInput):
        form.set("route", f"{value}; 1 1")


def _range_form(parameters: str) -> FormSession:
    text = (
        "| survey |\n| | type | name | label | parameters | sensitivity |\n"
        f"| | range | r | R | {parameters} | admin |\n"
    )
    return FormSession(load_form_bytes("range.md", text.encode()), clock=FakeClock())


def test_a_range_answer_near_a_step_is_refused_never_truncated():
    form = _range_form("start=1 end=10 step=1")
    for value in ("5.9999999999", "1.99999999999"):
        with pytest.raises(InvalidInput, match="in steps of 1"):
            form.set("r", value)
    assert form.value("r") == ""
    form.set("r", "6")
    assert form.value("r") == "6"


@pytest.mark.parametrize(
    ("parameters", "value", "stored"),
    [
        ("start=0 end=10 step=1e-308", "5", "5"),
        ("start=0 end=1e308 step=1e-300", "1e308", "1" + "0" * 308),
    ],
)
def test_a_range_with_a_tiny_step_takes_its_answers_without_an_internal_error(
    parameters, value, stored
):
    form = _range_form(parameters)
    form.set("r", value)
    assert form.value("r") == stored
    with pytest.raises(InvalidInput):
        form.set("r", "nan")


def test_points_are_stored_as_plain_ascii_numbers():
    form = session("field_types.md")
    form.set("place", "٤٨.٨٥ ٢.٣٥")  # Arabic-Indic digits
    assert form.value("place") == "48.85 2.35"
    with pytest.raises(InvalidInput):
        form.set("place", "1_0 2_0")  # Python would read 10 and 20
    assert form.value("place") == "48.85 2.35"


def test_a_shape_is_closed_by_the_same_point_however_written_and_must_have_an_area():
    form = session("field_types.md")
    form.set("camp_area", "0 0; 1 1; 2 0; 0 0.0")
    assert form.value("camp_area") == "0 0; 1 1; 2 0; 0 0.0"
    with pytest.raises(InvalidInput):
        form.set("camp_area", "0 0; 0 0; 0 0; 0 0")  # no area at all
    with pytest.raises(InvalidInput):
        form.set("camp_area", "0 0; 1 1; 2 2; 0 0")  # every point on one line


def test_a_repeat_count_above_the_cap_is_a_warning_at_its_cell():
    text = (
        "| survey |\n| | type | name | label | repeat_count | sensitivity |\n"
        "| | begin_repeat | r | R | 1000000000 | |\n| | text | t | T | | admin |\n"
        "| | end_repeat | | | | |\n"
    )
    _spec, problems = check_bytes("many.md", text.encode())
    (warned,) = [p for p in problems if p.column == "repeat_count"]
    assert warned.warning and warned.row == 2 and "200" in warned.message


@pytest.mark.parametrize(
    "appearance", ["search('villages'", "search(villages)", "search('vill'ages')"]
)
def test_a_mistyped_search_is_an_error_not_a_style(appearance):
    text = (
        "| survey |\n| | type | name | label | appearance |\n"
        f"| | select_one villages | v | V | {appearance} |\n"
        "| choices |\n| | list_name | name | label |\n| | villages | name | label |\n"
    )
    _spec, problems = check_bytes("s.md", text.encode(), {"villages.csv": MEDIA[0].read_bytes()})
    assert [p.column for p in errors(problems)] == ["appearance"]


def test_search_takes_double_quotes_too():
    text = (
        "| survey |\n| | type | name | label | appearance | sensitivity |\n"
        '| | select_one villages | v | V | search("villages") | contact |\n'
        "| choices |\n| | list_name | name | label |\n| | villages | name | label |\n"
    )
    spec, problems = check_bytes("s.md", text.encode(), {"villages.csv": MEDIA[0].read_bytes()})
    assert spec is not None and errors(problems) == []
    assert [c.name for c in spec.choices["villages"]] == ["v1", "v2", "v3"]
