"""Loading ``courses.yml``: strict YAML, validation, and errors that name the file, course, field and line."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.courses.catalogue import Catalogue
from bot.courses.model import Course, code_key


class CatalogueError(ValueError):
    """The catalogue file cannot be used; the message says where and why.

    ``problems`` holds one line per problem (all are reported at once);
    ``course``, ``field`` and ``line`` describe the first.
    """

    def __init__(
        self,
        problems: Sequence[str],
        *,
        path: str,
        course: str | None = None,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)
        self.path = path
        self.course = course
        self.field = field
        self.line = line


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The first line of the sample file; the real catalogue goes in without it.
_SAMPLE_MARK = re.compile(r"\A\s*#[^\n]*\bSAMPLE\b")


class _CatalogueLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML with two changes: dates stay strings (so a bad date is
    reported against its course and field, not as a crash inside the YAML
    library), and a key repeated in one mapping is recorded, to be reported
    as an error instead of silently keeping the last value."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.repeated_keys: list[tuple[str, yaml.Mark]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                self.repeated_keys.append((str(key), key_node.start_mark))
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_CatalogueLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse_yaml(text: str, path: str) -> tuple[Any, yaml.Node | None, list[tuple[str, yaml.Mark]]]:
    loader = _CatalogueLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        message = f"{path}: {where}invalid YAML: {error.problem or error.context}"
        if error.context and error.problem and error.context_mark is not None:
            # The unclosed bracket or quote is usually on the line the context names.
            message += f" ({error.context} that starts on line {error.context_mark.line + 1})"
        raise CatalogueError([message], path=path, line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as error:
        raise CatalogueError([f"{path}: invalid YAML: {error}"], path=path) from None
    finally:
        loader.dispose()
    return data, node, loader.repeated_keys


def _child(node: yaml.Node | None, step: Any) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        return next((value for key, value in node.value if key.value == step), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return node.value[step]
    return None


def _line_of(node: yaml.Node | None, loc: Iterable[Any]) -> int | None:
    """The line of the deepest node on ``loc`` that exists (a missing field points at its course)."""
    best = node
    for step in loc:
        node = _child(node, step)
        if node is None:
            break
        best = node
    return best.start_mark.line + 1 if best is not None else None


def _path_to(node: yaml.Node | None, mark: yaml.Mark) -> tuple[Any, ...]:
    """The keys and indexes leading from ``node`` to the mapping that holds ``mark``."""
    path: list[Any] = []
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if isinstance(node, yaml.MappingNode):
            items = [(key.value, value) for key, value in node.value]
        else:
            items = list(enumerate(node.value))
        inside = [(step, child) for step, child in items if child.start_mark.index <= mark.index < child.end_mark.index]
        if not inside:
            break
        step, node = inside[0]
        path.append(step)
    return tuple(path)


def load_catalogue(path: str | os.PathLike[str]) -> Catalogue:
    """Read and validate a catalogue file, or raise CatalogueError saying what to fix."""
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError([f"{shown}: cannot read the catalogue: {error}"], path=shown) from None
    data, root, repeated_keys = _parse_yaml(text, shown)

    def fail(message: str, field: str | None = None, line: int | None = None) -> CatalogueError:
        suffix = f" (line {line})" if line else ""
        return CatalogueError([f"{shown}: {message}{suffix}"], path=shown, field=field, line=line)

    if data is None:
        raise fail("the file is empty; it needs a top-level 'courses:' list")
    if not isinstance(data, dict):
        raise fail("the top level must be a mapping with a 'courses:' list", line=_line_of(root, ()))
    extra = [key for key in data if key != "courses"]
    if extra:
        raise fail(
            f"unknown top-level key {extra[0]!r}: this file holds only 'courses:'",
            field=str(extra[0]),
            line=_line_of(root, (extra[0],)),
        )
    if "courses" not in data:
        raise fail("courses: field required", field="courses")
    raw_courses = data["courses"]
    courses_node = _child(root, "courses")
    if not isinstance(raw_courses, list) or not raw_courses:
        raise fail("courses: must be a non-empty list of courses", field="courses", line=_line_of(courses_node, ()))

    def label_of(number: int) -> str:
        raw = raw_courses[number - 1]
        code = raw.get("code") if isinstance(raw, dict) else None
        return f"course #{number} ({code})" if isinstance(code, str) and code.strip() else f"course #{number}"

    problems: list[tuple[str, str | None, str | None, int | None]] = []  # (message, course label, field, line)
    for key, mark in repeated_keys:
        where = _path_to(root, mark)
        if len(where) >= 2 and where[0] == "courses" and isinstance(where[1], int):
            owner = label_of(where[1] + 1)
            field = " -> ".join(str(step) for step in (*where[2:], key))
            problems.append((f"{owner}: {field}: the key {key!r} appears twice", owner, field, mark.line + 1))
        else:
            field = " -> ".join(str(step) for step in (*where, key))
            problems.append((f"{field}: the key {key!r} appears twice", None, field, mark.line + 1))

    parsed: list[Course] = []
    first_with_code: dict[str, int] = {}
    for number, raw in enumerate(raw_courses, start=1):
        label = label_of(number)
        course_node = _child(courses_node, number - 1)
        if not isinstance(raw, dict):
            line = _line_of(course_node, ())
            problems.append((f"{label}: must be a mapping of fields, got {type(raw).__name__}", label, None, line))
            continue
        try:
            course = Course.parse_obj(raw)
        except ValidationError as error:
            for detail in error.errors():
                loc = tuple(step for step in detail["loc"] if step != "__root__")
                where = " -> ".join(str(step) for step in loc) or "course"
                line = _line_of(course_node, loc)
                message = detail["msg"]
                if detail["type"] == "type_error.str":  # e.g. country: NO, which YAML reads as false
                    message += " (YAML read this as a number or yes/no: put the value in quotes)"
                problems.append((f"{label}: {where}: {message}", label, where, line))
            continue
        key = code_key(course.code)
        if key in first_with_code:
            line = _line_of(course_node, ("code",))
            message = f"{label}: code: duplicate code, already used by course #{first_with_code[key]}"
            problems.append((message, label, "code", line))
            continue
        first_with_code[key] = number
        parsed.append(course)

    if problems:
        lines = [f"{shown}: {message}" + (f" (line {line})" if line else "") for message, _, _, line in problems]
        _, label, field, line = problems[0]
        raise CatalogueError(lines, path=shown, course=label, field=field, line=line)
    return Catalogue(courses=tuple(parsed), sample=bool(_SAMPLE_MARK.match(text)))
