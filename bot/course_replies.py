"""What the assistant says about courses: short texts with buttons, built
from catalogue matches. Plain text only (the widget renders text, never
HTML), dates and fees written the British way."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from bot.catalogue import TOPICS, Alternatives, Course, CourseQuery, Match, Session, normalise_words, topics_in_words

MAX_SHOWN = 3


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[dict, ...] = field(default=())

    def as_message(self) -> dict:
        return {"text": self.text, "buttons": [dict(b) for b in self.buttons]}


def payload(intent: str, **entities: str) -> str:
    """A button payload Rasa parses without NLU: /intent{"entity": "value"}."""
    return f"/{intent}{json.dumps(entities, separators=(',', ':'))}" if entities else f"/{intent}"


def button(title: str, intent: str, **entities: str) -> dict:
    return {"title": title, "payload": payload(intent, **entities)}


def format_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def format_fee(fee: int) -> str:
    return f"£{fee:,}"


def describe_session(session: Session) -> str:
    place = "online" if session.is_online else f"{session.city}, {session.country}"
    return f"{format_date(session.start)}, {place}, {format_fee(session.fee_gbp)}"


def course_card(match: Match, cheapest: bool = False) -> Reply:
    """``cheapest``: show the lowest-fee session (the one a price-sorted list is ordered by), not the next one."""
    course = match.course
    if cheapest and match.cheapest_session is not None and match.cheapest_session != match.next_session:
        when = f"Most affordable: {describe_session(match.cheapest_session)}."
    elif match.next_session is not None:
        when = f"Next: {describe_session(match.next_session)}."
    elif "in-house" in course.delivery:
        when = "Run in-house on dates agreed with your organisation."
    else:
        when = "No dates scheduled at the moment; admissions can tell you when it runs next."
    return Reply(
        text=f"{course.title} ({course.code}): {course.summary} {when}",
        buttons=(
            button("More about this", "ask_course_details", course=course.code),
            button("Enquire about this", "enquire", course=course.code),
        ),
    )


def _subject(query: CourseQuery) -> str:
    """What the visitor asked about: topics (named, or understood from their words) or a field."""
    topics = query.topics or tuple(t for t in TOPICS if t in topics_in_words(normalise_words(query.text or "")))
    if topics:
        return " and ".join(topics)
    return query.field or ""


def _filters(query: CourseQuery) -> str:
    parts = []
    if query.delivery == "online":
        parts.append("online")
    elif query.delivery == "in-house":
        parts.append("in-house")
    if query.location:
        parts.append(f"in {query.location.title()}")
    if query.month:
        parts.append(f"in {date(2000, query.month, 1):%B}")
    if query.max_fee:
        parts.append(f"under {format_fee(query.max_fee)}")
    return " ".join(parts)


def _describe_query(query: CourseQuery) -> str:
    """'leadership in Spain in March', 'courses online', or '' when the query names nothing."""
    subject, filters = _subject(query), _filters(query)
    if subject and filters:
        return f"{subject} {filters}"
    return subject or (f"courses {filters}" if filters else "")


def recommendations(matches: list[Match], query: CourseQuery) -> list[Reply]:
    shown = matches[:MAX_SHOWN]
    described = _describe_query(query)
    about = f" for {described}" if described else ""
    if query.sort == "price" and shown:
        intro = f"The most affordable option{'s' if len(shown) > 1 else ''}{about}:"
    elif query.sort == "date" and shown:
        intro = f"Starting soonest{about}:"
    else:
        intro = f"Here {'are' if len(shown) > 1 else 'is'} the best match{'es' if len(shown) > 1 else ''}" \
            f"{about or ' for that'}:"  # fmt: skip
    return [Reply(intro), *(course_card(m, cheapest=query.sort == "price") for m in shown)]


_RELAXED_WORDS = {
    "month": "that month",
    "location": "that place",
    "delivery": "that format",
    "max_fee": "that budget",
    "topic": "that topic",
}


def no_match(query: CourseQuery, alternatives: Alternatives) -> list[Reply]:
    subject, filters = _subject(query), _filters(query)
    asked = " ".join(filter(None, [f"for {subject}" if subject else "", filters])) or "for that"
    if not alternatives.found:
        return [
            Reply(
                f"I couldn't find a course {asked}. Admissions can tell you about anything not listed here, "
                "or I can show you what we do offer.",
                buttons=(
                    button("Healthcare management", "recommend_course", field="healthcare management"),
                    button("Medical administration", "recommend_course", field="medical administration"),
                    button("Make an enquiry", "enquire"),
                ),
            )
        ]
    dropped = " or ".join(_RELAXED_WORDS[name] for name in alternatives.relaxed)
    intro = Reply(
        f"I couldn't find a course {asked}. The nearest I have, without {dropped}:",
    )
    closing = Reply(
        "If none of these fits, admissions can advise on other dates or a tailored in-house option.",
        buttons=(button("Make an enquiry", "enquire"), button("Talk to admissions", "request_human")),
    )
    return [intro, *(course_card(m) for m in alternatives.matches[:MAX_SHOWN]), closing]


def clarifying_question() -> Reply:
    return Reply(
        "Happy to help you find a course. Which area are you interested in?",
        buttons=(
            button("Healthcare management", "recommend_course", field="healthcare management"),
            button("Medical administration", "recommend_course", field="medical administration"),
            button("Online courses", "recommend_course", delivery="online"),
            button("Training for my team", "ask_inhouse"),
            button("Help me decide", "start_guided_advice"),
        ),
    )


def course_details(course: Course, today: date) -> list[Reply]:
    upcoming = course.upcoming_sessions(today)
    lines = [
        f"{course.title} ({course.code}), {course.field}, {course.level} level, {course.duration}.",
        course.summary,
        f"Who it's for: {course.audience}",
        f"Delivery: {', '.join(course.delivery)}.",
        f"Certificate: {course.certificate}",
    ]
    if upcoming:
        dates = "; ".join(describe_session(s) for s in upcoming[:4])
        more = f" (and {len(upcoming) - 4} more)" if len(upcoming) > 4 else ""
        lines.append(f"Upcoming: {dates}{more}.")
    elif "in-house" in course.delivery:
        lines.append("It runs in-house, on dates agreed with your organisation.")
    else:
        lines.append(
            "No dates are scheduled at the moment; leave an enquiry and admissions will tell you when it runs."
        )
    return [
        Reply(
            "\n".join(lines),
            buttons=(
                button("Enquire about this", "enquire", course=course.code),
                button("Similar courses", "recommend_course", topic=course.topics[0]),
                button("Talk to admissions", "request_human"),
            ),
        )
    ]


def course_not_found(reference: str | None) -> Reply:
    asked = f' "{reference}"' if reference else ""
    return Reply(
        f"I couldn't tell which course you mean{asked}. You can give its code (like MA-201) or its name, "
        "or I can suggest some.",
        buttons=(button("Recommend a course", "recommend_course"), button("Talk to admissions", "request_human")),
    )


def codes(matches: Iterable[Match]) -> list[str]:
    return [m.course.code for m in matches]
