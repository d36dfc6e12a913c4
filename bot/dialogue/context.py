"""What a follow-up refers to: the conversation context kept in slots.

Three slots carry the context (see docs/conversation.md):

- ``current_field``: the field the last answer was about, one of the two
  fields or ``both``;
- ``current_topic``: what the last answer was about: a knowledge topic
  (``skills``, ``careers``, ...), ``difference``, ``choose`` or ``courses``;
- ``courses_shown``: the course codes of the last list, in the order shown.

Rasa fills some of them from the intent alone (``ask_difference`` sets the
topic to ``difference`` and the field to ``both``; see the slot mappings in
domain.yml). The functions here decide the rest and which response answers a
follow-up. They only pick response names: the words are in data/responses.yml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.dialogue.knowledge import FIELDS, TOPICS, choose_answer, fields_named

BOTH = "both"
COURSES = "courses"
# Topics answered by a fixed response for both fields (rules in data/rules.yml).
COMPARISONS = ("difference", "choose")

# "Tell me more" moves to the next topic about the same field.
NEXT_TOPIC = {
    "overview": "responsibilities",
    "responsibilities": "skills",
    "skills": "qualifications",
    "qualifications": "careers",
    "careers": "workplaces",
    "workplaces": "patient_interaction",
    "patient_interaction": "training",
    "difference": "responsibilities",
    "choose": "skills",
}

RECOMMEND_COURSES = "action_recommend_courses"
COURSE_DETAILS = "action_course_details"


@dataclass(frozen=True)
class Context:
    """The slots a follow-up is read against."""

    field: str | None = None
    topic: str | None = None
    interest: str | None = None  # the ``field`` slot: the field course searches use


@dataclass(frozen=True)
class Answer:
    """What answers a message: a response, or an action to run next, and the context after it.

    ``interest`` is the visitor's field of interest (the ``field`` slot that
    course searches and enquiries read), set when the answer is about one field.
    """

    context: Context
    response: str | None = None
    action: str | None = None
    interest: str | None = None


def other_field(field: str | None) -> str | None:
    """The other of the two fields, or None when ``field`` is not one of them."""
    if field not in FIELDS:
        return None
    return FIELDS[1] if field == FIELDS[0] else FIELDS[0]


def _single(field: str | None) -> str | None:
    return field if field in FIELDS else None


def _scope(fields: Sequence[str], context: Context) -> str:
    """The field an answer is about: named in the message, else the one in context, else both."""
    if len(fields) == 1:
        return fields[0]
    if len(fields) > 1:
        return BOTH
    return _single(context.field) or BOTH


def _topic_answer(topic: str, field: str, entities: Iterable[dict] = ()) -> Answer:
    response = choose_answer(f"ask_{topic}", list(entities), [field] if field in FIELDS else [])
    return Answer(Context(field, topic), response=response, interest=_single(field))


def answer_choice(entities: Iterable[dict]) -> Answer:
    """ "Which should I choose?": how to choose, and the field in focus after it.

    A visitor who names one field ("I want to move into medical
    administration, is it for me?") keeps that field in focus, so the next
    question ("what would the training cover?") is answered for it; naming
    both, or neither, keeps both in focus.
    """
    fields = fields_named(entities)
    field = fields[0] if len(set(fields)) == 1 else BOTH
    return Answer(Context(field, "choose"), response="utter_choose", interest=_single(field))


_OTHER_ONE = re.compile(r"\bthe other (?:one|path|field|side|role|job|area)\b", re.IGNORECASE)


def answer_topic_question(intent: str, entities: Iterable[dict], context: Context, text: str = "") -> Answer | None:
    """A knowledge question ("what skills do they need?"): the field named, else the field in context
    (or the other one: "what skills does the other field need?").

    None when ``intent`` is not a knowledge topic.
    """
    topic = intent.removeprefix("ask_")
    if topic not in TOPICS:
        return None
    entities = list(entities)
    fields = fields_named(entities)
    if not fields and _OTHER_ONE.search(text or "") and other_field(context.field):
        fields = [other_field(context.field)]
    field = _scope(fields, context)
    if topic == "training" and any(e.get("entity") == "topic" for e in entities):
        # "Which courses cover medical billing?": the catalogue answers that better than a summary.
        return Answer(Context(field, COURSES), action=RECOMMEND_COURSES, interest=_single(field))
    return _topic_answer(topic, field, entities)


_OTHER = re.compile(r"\bother\b", re.IGNORECASE)


def answer_field_follow_up(
    entities: Iterable[dict], context: Context, about_a_course: bool = False, text: str = ""
) -> Answer:
    """A message naming only a field ("and medical administrators?"), or "the other one".

    The topic in context is answered for the field named (or for the other
    field when none is named). After a course list, the search is run again
    for that field; a follow-up there that names no field is about a course
    ("and the fee?": ``about_a_course``) or changes the search ("and in
    Tokyo?"). With nothing in context, the field's overview.
    """
    entities = list(entities)
    fields = fields_named(entities)
    if not fields and context.topic == COURSES and not _OTHER.search(text or ""):
        return Answer(context, action=COURSE_DETAILS if about_a_course else RECOMMEND_COURSES)
    if fields:
        field = fields[0] if len(fields) == 1 else BOTH
    else:
        field = other_field(context.interest if context.topic == COURSES else context.field)
        if field is None:
            return Answer(context, response="utter_which_field")
    if context.topic == COURSES:
        return Answer(Context(field, COURSES), action=RECOMMEND_COURSES, interest=_single(field))
    topic = context.topic if context.topic in TOPICS else "overview"
    return _topic_answer(topic, field, entities)


# After a course list, a message that only names a place moves the search there: "and in Dubai?",
# "is there one in New York?", "what about Berlin?", "any near Lyon?".
_PLACE_ONLY = (
    re.compile(
        r"^\W*(?:and|so|ok|okay)?\W*(?:what about|how about|is there (?:one|any(?:thing)?)|are there (?:any|some)|"
        r"any(?:thing| of them| courses)?|and)?\s*(?:in|at|near|around)\s+[^\W\d_][\w .'-]{1,40}\W*$",
        re.IGNORECASE,
    ),
    # "what about Berlin?": a capitalised name, so "what about the fee?" is not a place.
    re.compile(r"^\W*(?i:and|so)?\W*(?i:what|how) about\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,2}\W*$"),
)


def moves_search_to_a_place(context: Context, text: str) -> bool:
    """After a course list, a message that names only a place: the same search, there."""
    text = (text or "").strip()
    return context.topic == COURSES and any(pattern.match(text) for pattern in _PLACE_ONLY)


def answer_tell_me_more(context: Context, text: str = "") -> Answer:
    """ "Tell me more": the next topic about the same field, or the details of the course in view."""
    if moves_search_to_a_place(context, text):
        return Answer(context, action=RECOMMEND_COURSES)
    if context.topic == COURSES:
        return Answer(context, action=COURSE_DETAILS)
    if context.topic is None:
        return _topic_answer("overview", _single(context.field) or BOTH)
    following = NEXT_TOPIC.get(context.topic)
    if following is None:
        return Answer(context, response="utter_no_more_on_topic")
    field = BOTH if context.topic in COMPARISONS else _single(context.field) or BOTH
    return _topic_answer(following, field)


# --- several questions in one message ------------------------------------------

# Words that ask about a topic; a clause is read for the first of these it contains.
TOPIC_CUES = (
    (
        "workplaces",
        re.compile(r"\b(?:where|places?)\b.*\b(?:work|based|employed)|\bemploy(?:s|ers?)?\b|\bworkplaces?\b"),
    ),
    ("patient_interaction", re.compile(r"\bpatients?\b(?!\W*records?)")),
    ("qualifications", re.compile(r"\b(?:qualifications?|qualified|degrees?|certifications?|study|education)\b")),
    ("skills", re.compile(r"\b(?:skills?|abilities|strengths|competenc\w*)\b")),
    (
        "responsibilities",
        re.compile(
            r"\b(?:duties|responsib\w*|day[- ]to[- ]day|tasks?|part of the)\b|\bwhat do(?:es)? \w+(?: \w+)? do\b"
        ),
    ),
    ("careers", re.compile(r"\b(?:jobs?|careers?|roles?|positions?)\b")),
)
# Patients named only through their records ("patient records", "patient files") are paperwork, not contact.
_PATIENT_RECORDS = re.compile(r"\bpatients?\W*(?:records?|files?|notes)\b")
_PATIENT_CONTACT = re.compile(r"\bpatients?\b(?!\W*(?:records?|files?|notes)\b)")
_CLAUSE = re.compile(r"\?|;|\balso\b|,? and (?=(?:what|where|which|how|do|does|is|are|who|would|can|could)\b)")


def topics_asked(intent: str, text: str) -> list[str]:
    """The knowledge topics a message asks about, in the order asked ("skills ... and where do they work?").

    The intent's own topic is always among them; a second clause adds the
    topic it names, so each part of a multi-part question gets its answer. A
    patient-contact reading of a message that names patients only through
    their records is read as a question about duties.
    """
    main = intent.removeprefix("ask_")
    lowered = (text or "").lower()
    if main == "patient_interaction" and _PATIENT_RECORDS.search(lowered) and not _PATIENT_CONTACT.search(lowered):
        main = "responsibilities"  # "is managing patient records part of the job?" asks about duties, not contact
    clauses = _clauses(lowered)
    found = _topics_by_clause(clauses) if len(clauses) > 1 else []
    if main not in found:
        found.insert(0, main)
    return found


def answer_topic_questions(intent: str, entities: Iterable[dict], context: Context, text: str) -> list[Answer]:
    """Every part of a knowledge question, in order; empty when ``intent`` is not a knowledge topic."""
    first = answer_topic_question(intent, entities, context, text)
    if first is None:
        return []
    entities = list(entities)
    answers = []
    for topic in topics_asked(intent, text):
        answer = answer_topic_question(f"ask_{topic}", entities, context, text)
        if answer is not None:
            answers.append(answer)
    return answers


def answers_for_unclear(
    entities: Iterable[dict], context: Context, text: str, about_a_course: bool = False
) -> list[Answer]:
    """A message NLU was unsure about, read in context; empty when it names nothing to go on.

    "And in what sort of places would they work?" names a topic, "medical
    administration, what does that cover?" a field: each is answered for the
    field named or in context. A message unclear because it asks two things
    ("what qualifications help, and what jobs could I get?") gets an answer
    for each part, in order. With courses in focus, a question about a
    course's fee, dates, place, length or format (``about_a_course``: "and
    the fee?") is about the course in focus. Anything else gets the usual
    "please rephrase".
    """
    if moves_search_to_a_place(context, text):
        return [Answer(context, action=RECOMMEND_COURSES)]
    entities = list(entities)
    fields = fields_named(entities)
    if about_a_course and context.topic == COURSES and not fields:
        return [Answer(context, action=COURSE_DETAILS)]
    topics = _topics_by_clause(_clauses((text or "").lower()))
    if topics and (fields or context.field or context.topic):
        scope = _scope(fields, context)
        return [_topic_answer(topic, scope, entities) for topic in topics]
    if fields:
        return [answer_field_follow_up(entities, context, text=text)]
    return []


def _clauses(lowered: str) -> list[str]:
    return [c for c in _CLAUSE.split(lowered) if c and c.strip()]


def _topics_by_clause(clauses: list[str]) -> list[str]:
    """The topic each clause names (the first of its cues), in the order asked, each once."""
    found: list[str] = []
    for clause in clauses:
        topic = next((name for name, cue in TOPIC_CUES if cue.search(clause)), None)
        if topic and topic not in found:
            found.append(topic)
    return found


# --- "can you repeat that?" -------------------------------------------------

_MESSAGE_KEYS = ("text", "buttons", "image", "attachment", "custom", "elements", "quick_replies")


def last_bot_turn(events: Sequence[dict]) -> list[dict]:
    """The bot's messages of the turn before the visitor's latest message, ready to send again.

    Empty when there is no earlier reply (a first message).
    """
    users = [i for i, event in enumerate(events) if event.get("event") == "user"]
    if len(users) < 2:
        return []
    previous, latest = users[-2], users[-1]
    messages = []
    for event in events[previous + 1 : latest]:
        if event.get("event") != "bot":
            continue
        data = event.get("data") or {}
        message = {key: data[key] for key in _MESSAGE_KEYS[1:] if data.get(key)}
        if event.get("text"):
            message["text"] = event["text"]
        if message:
            messages.append(message)
    return messages
