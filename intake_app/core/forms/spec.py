"""The typed form: what the session, the renderer and the export policy work from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class QuestionType(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    TIME = "time"
    DATETIME = "dateTime"
    SELECT_ONE = "select one"
    SELECT_MULTIPLE = "select all that apply"
    NOTE = "note"
    ACKNOWLEDGE = "acknowledge"
    CALCULATE = "calculate"
    HIDDEN = "hidden"
    AUDIO = "audio"
    IMAGE = "photo"
    FILE = "file"
    VIDEO = "video"
    GEOPOINT = "geopoint"
    GEOTRACE = "geotrace"  # a line: two points or more, typed or pasted
    GEOSHAPE = "geoshape"  # a closed shape: four points or more, the last one the first
    BARCODE = "barcode"  # typed: a desktop does not scan
    RANGE = "range"  # a number from start to end in steps (``parameters``)
    RANK = "odk:rank"  # every choice, in the order given
    # What a phone fills in itself (ODK metadata: start, today, username, deviceid, …): never
    # asked; ``metadata`` says which, and what a desktop cannot know stays empty.
    METADATA = "metadata"


INPUT_TYPES = frozenset(QuestionType) - {
    QuestionType.NOTE,
    QuestionType.CALCULATE,
    QuestionType.HIDDEN,
    QuestionType.METADATA,
}
ATTACHMENT_TYPES = frozenset(
    {QuestionType.AUDIO, QuestionType.IMAGE, QuestionType.FILE, QuestionType.VIDEO}
)
SELECT_TYPES = frozenset({QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE, QuestionType.RANK})


class Sensitivity(StrEnum):
    """What a question's answer reveals; the export policy decides per class (docs/design.md §4)."""

    IDENTIFYING = "identifying"
    CONTACT = "contact"
    NARRATIVE = "narrative"
    HEALTH = "health"
    SAFETY = "safety"
    INCIDENT = "incident"
    ADMIN = "admin"
    # A form that does not classify a question: treated as the most protected class.
    UNCLASSIFIED = "unclassified"


Texts = dict[str, str]  # language code → text


@dataclass(frozen=True)
class Choice:
    name: str
    labels: Texts
    columns: dict[str, str] = field(default_factory=dict)  # extra columns, for choice_filter
    row: int | None = None


@dataclass(frozen=True)
class Question:
    name: str  # the XLSForm name, or where the form repeats it in another group, group/name
    type: QuestionType
    path: tuple[str, ...]  # enclosing groups/repeats, outermost first
    row: int
    labels: Texts = field(default_factory=dict)
    hints: Texts = field(default_factory=dict)
    guidance: Texts = field(default_factory=dict)
    constraint_messages: Texts = field(default_factory=dict)
    required_messages: Texts = field(default_factory=dict)
    relevant: str | None = None
    constraint: str | None = None
    required: str | None = None  # an expression; "true()" when simply required
    calculate: str | None = None
    default: str | None = None
    read_only: str | None = None
    trigger: str | None = None
    choice_list: str | None = None
    choice_filter: str | None = None
    appearance: str | None = None
    sensitivity: Sensitivity = Sensitivity.UNCLASSIFIED
    generated: bool = False  # made by pyxform (e.g. "specify other"), not written by the author
    # Binding to the consent ledger (custom columns): the decision for a purpose and scope, or one
    # of the decision's details (given_by, child_assent, explained_language, interpreter, expires).
    consent_purpose: str | None = None
    consent_scope: str | None = None
    consent_field: str | None = None
    parameters: dict[str, str] = field(default_factory=dict)  # range: start, end, step
    metadata: str | None = None  # METADATA: start, end, today, username, deviceid, …
    # What this question cannot do here and how it degrades, in a sentence for the form view
    # (a barcode typed, a start position left empty); ``forms check`` warns with the same.
    degraded: str | None = None
    # The element name ODK gives it, where it differs (the copies a loop makes): "people" in
    # the group "shelter", named "shelter_people" here.
    xml_name: str | None = None

    @property
    def is_input(self) -> bool:
        return self.type in INPUT_TYPES


@dataclass(frozen=True)
class Group:
    name: str
    repeat: bool
    path: tuple[str, ...]
    row: int
    children: tuple[Question | Group, ...]
    labels: Texts = field(default_factory=dict)
    relevant: str | None = None
    repeat_count: str | None = None
    appearance: str | None = None
    xml_name: str | None = None  # as Question.xml_name: a loop's group per choice


@dataclass(frozen=True)
class FormSpec:
    form_id: str
    version: str
    title: str
    languages: tuple[str, ...]  # codes, in the order the form declares them
    default_language: str
    children: tuple[Question | Group, ...]
    choices: dict[str, tuple[Choice, ...]]
    language_names: dict[str, str] = field(default_factory=dict)  # code → "Arabic (ar)"
    # Cells accepted with a warning (an appearance that only styles, an ODK audit log): sheet,
    # row, column, message, for ``forms check``.
    warnings: tuple[tuple[str, int | None, str | None, str], ...] = ()
    # Tables read from the form's media files, by the name the form gives them: csv-external
    # and xml-external instances, and what pulldata() looks up.
    tables: dict[str, tuple[dict[str, str], ...]] = field(default_factory=dict)

    def references(self) -> dict[str, Question | Group]:
        """What ``${name}`` means: the node with that XLSForm name, for every name that is unique
        in the form (pyxform refuses a reference to one that is not). A node's own ``name`` is
        its key here, unique even where the form repeats a name in another group."""
        counts: dict[str, int] = {}
        for node in self.walk():
            written = node.xml_name or node.name
            counts[written] = counts.get(written, 0) + 1
        found: dict[str, Question | Group] = {}
        for node in self.walk():
            written = node.xml_name or node.name
            if counts[written] == 1:
                found[written] = node
            found.setdefault(node.name, node)
        return found

    def walk(self) -> Iterator[Question | Group]:
        def visit(nodes: tuple[Question | Group, ...]) -> Iterator[Question | Group]:
            for node in nodes:
                yield node
                if isinstance(node, Group):
                    yield from visit(node.children)

        return visit(self.children)

    def questions(self) -> Iterator[Question]:
        return (n for n in self.walk() if isinstance(n, Question))

    def node(self, name: str) -> Question | Group:
        for node in self.walk():
            if node.name == name:
                return node
        raise KeyError(name)

    def question(self, name: str) -> Question:
        node = self.node(name)
        if not isinstance(node, Question):
            raise KeyError(name)
        return node

    def repeat_of(self, node: Question | Group) -> Group | None:
        """The innermost repeat that contains ``node`` (None at the top level)."""
        for name in reversed(node.path):
            group = self.node(name)
            if isinstance(group, Group) and group.repeat:
                return group
        return None
