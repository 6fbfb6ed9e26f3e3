"""Differential test against ODK's own engine (@getodk/xforms-engine, installed by scripts/setup).

Each test form is converted by pyxform to an XForm; both engines get the same seeded random
answers, and after every answer (and every added repeat entry) relevance, required, constraint
validity, every value (calculations included) and every repeat count must agree.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from pyxform.xls2xform import convert
from support import FakeClock

from intake_app.core.errors import InvalidInput
from intake_app.core.forms.expressions import to_text
from intake_app.core.forms.loader import load_form
from intake_app.core.forms.session import FormSession
from intake_app.core.forms.spec import FormSpec, Group, Question, QuestionType

HERE = Path(__file__).parent
FORMS = HERE / "forms"
ENGINE = HERE / "odk_engine"
DIFFERENTIAL_FORMS = [
    *sorted((FORMS / "realworld").glob("*.md")),
    FORMS / "all_types.md",
    *sorted((FORMS / "odk_parity").glob("*.md")),
    # every corpus form but those that read media files (ODK's engine would need them attached)
    *sorted(
        p
        for p in (FORMS / "corpus").glob("*.md")
        # label_filter: ODK cannot parse label::English (en) in a filter, nothing to compare
        if p.stem not in ("external_choices", "searched_lists", "label_filter")
    ),
]
RUNS_PER_FORM = 3
STEPS_PER_RUN = 14
TEXTS = ["", "a", "Amina", "0", "12", "x y", "héllo"]
# ODK metadata our desktop session has no question for.
SKIPPED = ("/data/meta/",)

State = dict[str, list[Any]]


def reference(node: Question | Group, at: tuple[tuple[str, int], ...], spec: FormSpec) -> str:
    """The node's path in ODK's instance; a loop's copies by the names ODK gives them."""
    indices = dict(at)
    parts = ["", "data"]
    for name in (*node.path, node.name):
        own = spec.node(name) if name != node.name else node
        element = own.xml_name or name
        parts.append(
            f"{element}[{indices[name] + 1}]" if name in indices and name != node.name else element
        )
    return "/".join(parts)


def our_state(session: FormSession) -> State:
    state: State = {}
    for question, at in session.iter_questions():
        if question.type is QuestionType.METADATA:
            continue  # a phone's own values (times, device): compared by neither side
        relevant = session.is_relevant(question.name, at)
        # ODK reads a non-relevant answer as blank; ours keeps it (nothing typed is lost) unseen
        value = session.value(question.name, at) if relevant else ""
        required = bool(question.required) and session.tree.true(question.required, question, at)
        valid = True
        if relevant and value and question.constraint:
            valid = session.tree.true(question.constraint, question, at)
        state[reference(question, at, session.spec)] = [relevant, required, valid, value]
    for group, at in repeats(session):
        count = session.repeat_count(group.name, at)
        state[reference(group, at, session.spec) + "#count"] = [True, False, True, str(count)]
    return state


def repeats(session: FormSession) -> list[tuple[Group, tuple[tuple[str, int], ...]]]:
    found: list[tuple[Group, tuple[tuple[str, int], ...]]] = []

    def visit(nodes: tuple[Question | Group, ...], scope: dict[str, Any], at: Any) -> None:
        for node in nodes:
            if isinstance(node, Group) and node.repeat:
                found.append((node, at))
                for index, instance in enumerate(scope.get(node.name, [])):
                    visit(node.children, instance, (*at, (node.name, index)))
            elif isinstance(node, Group):
                visit(node.children, scope, at)

    visit(session.spec.children, session.tree.values, ())
    return found


def random_answer(rng: random.Random, session: FormSession, question: Question, at: Any) -> str:
    kind = question.type
    if kind is QuestionType.INTEGER:
        return str(rng.choice([rng.randint(-3, 130), 0, 1, 2, 3, 17, 18]))
    if kind is QuestionType.DECIMAL:
        return rng.choice(["0.5", "2", "-1.25", "3.75", "100"])
    if kind is QuestionType.DATE:
        return (date(2026, 1, 1) - timedelta(days=rng.randint(0, 40000))).isoformat()
    if kind is QuestionType.SELECT_ONE:
        return rng.choice([c.name for c in session.choices(question.name, at)] or [""])
    if kind is QuestionType.SELECT_MULTIPLE:
        names = [c.name for c in session.choices(question.name, at) if rng.random() < 0.5]
        rng.shuffle(names)  # picked in any order; stored in choice order, as ODK stores it
        return " ".join(names)
    return rng.choice(TEXTS)


ANSWERABLE = {
    QuestionType.TEXT,
    QuestionType.INTEGER,
    QuestionType.DECIMAL,
    QuestionType.DATE,
    QuestionType.SELECT_ONE,
    QuestionType.SELECT_MULTIPLE,
}


def keeps_answered_entries(session: FormSession) -> bool:
    for group, at in repeats(session):
        if group.repeat_count:
            wanted = to_text(session.tree.evaluate(group.repeat_count, group, at))
            try:
                count = max(0, int(float(wanted or "0")))
            except ValueError:
                count = 0
            if session.repeat_count(group.name, at) > count:
                return True
    return False


def drive_ours(form: Path, seed: int) -> tuple[list[dict[str, Any]], list[State]]:
    """Answer the form at random with our engine; the steps taken, and the state after each."""
    rng = random.Random(seed)
    session = FormSession(load_form(form), clock=FakeClock())
    steps: list[dict[str, Any]] = []
    states = [our_state(session)]
    for _ in range(STEPS_PER_RUN):
        targets: list[tuple[Question | Group, Any]] = [
            (q, at)
            for q, at in session.iter_questions()
            if q.type in ANSWERABLE and q.is_input and session.is_relevant(q.name, at)
        ]
        targets += [(g, at) for g, at in repeats(session) if not g.repeat_count]
        if not targets:
            break
        node, at = rng.choice(targets)
        if isinstance(node, Group):
            session.add_repeat(node.name, at)
            steps.append({"add": reference(node, at, session.spec)})
        else:
            value = random_answer(rng, session, node, at)
            before = session.value(node.name, at)
            try:
                session.set(node.name, value, at)
            except InvalidInput:
                continue
            if keeps_answered_entries(session):
                # Deliberate difference: a lowered count never drops an answered entry here
                # (ODK drops it); that answer is not given.
                session.set(node.name, before, at)
                continue
            steps.append({"set": reference(node, at, session.spec), "value": value})
        states.append(our_state(session))
    return steps, states


def drive_odk(xform: str, steps: list[dict[str, Any]]) -> list[State]:
    node = shutil.which("node")
    if node is None or not (ENGINE / "node_modules" / "@getodk" / "xforms-engine").is_dir():
        pytest.fail("ODK's engine is not installed: run scripts/setup (Node.js and npm ci)")
    done = subprocess.run(
        [node, str(ENGINE / "driver.mjs")],
        input=json.dumps({"xform": xform, "steps": steps}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


FIELDS = ("relevant", "required", "constraint valid", "value")


def test_our_engine_agrees_with_odk_engine() -> None:
    comparisons = 0
    disagreements: list[str] = []
    for form in DIFFERENTIAL_FORMS:
        xform = convert(xlsform=form.read_text(), file_type=".md", form_name="data").xform
        spec = load_form(form)
        metadata = {
            reference(q, (), spec) for q in spec.questions() if q.type is QuestionType.METADATA
        }
        for seed in range(RUNS_PER_FORM):
            steps, ours = drive_ours(form, seed)
            theirs = drive_odk(xform, steps)
            assert len(theirs) == len(ours)
            for number, (mine, odk) in enumerate(zip(ours, theirs, strict=True)):
                keys = set(mine) | {
                    k for k in odk if not k.startswith(SKIPPED) and k not in metadata
                }
                for key in sorted(keys):
                    if key not in mine or key not in odk:
                        disagreements.append(
                            f"{form.name} seed {seed} step {number}: {key} "
                            f"only in {'ours' if key in mine else 'ODK'}"
                        )
                        continue
                    for field, a, b in zip(FIELDS, mine[key], odk[key], strict=True):
                        comparisons += 1
                        if a != b:
                            disagreements.append(
                                f"{form.name} seed {seed} step {number} "
                                f"(after {steps[number - 1] if number else 'opening'}): "
                                f"{key} {field}: ours {a!r}, ODK {b!r}"
                            )
    print(f"{comparisons} comparisons, {len(disagreements)} disagreements")
    assert not disagreements, (
        f"{len(disagreements)} disagreements in {comparisons} comparisons:\n"
        + "\n".join(disagreements[:40])
    )
