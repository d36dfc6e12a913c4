"""What the assistant says about courses: short texts with buttons, built
from catalogue matches. Plain text only (the widget renders text, never
HTML), dates and fees written the British way.

Every sentence states only what the catalogue (or the academy's own text)
supports. ``sample`` marks dates and fees from the sample catalogue, so a
visitor never takes them for real ones."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from bot.courses.model import Alternatives, Course, CourseQuery, Match, NoMatch, Session, Venues
from bot.courses.vocabulary import TOPICS, normalise_words, topics_in_words

MAX_SHOWN = 3
MAX_CITIES_NAMED = 5
SAMPLE_NOTE = "Dates and fees are sample data for now; admissions can confirm the real ones."


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


def course_card(match: Match, cheapest: bool = False, sample: bool = False, around: date | None = None) -> Reply:
    """``cheapest``: show the lowest-fee session (the one a price-sorted list is ordered by), not the next one.

    ``around``: show the session closest to that day (the month the visitor asked for had none).
    """
    course = match.course
    closest = min(match.sessions, key=lambda s: abs((s.start - around).days)) if around and match.sessions else None
    mark = " (sample date and fee)" if sample else ""
    if closest is not None and closest != match.next_session:
        when = f"Closest date: {describe_session(closest)}{mark}."
    elif cheapest and match.cheapest_session is not None and match.cheapest_session != match.next_session:
        when = f"Most affordable: {describe_session(match.cheapest_session)}{mark}."
    elif match.next_session is not None:
        when = f"Next: {describe_session(match.next_session)}{mark}."
    elif "in-house" in course.delivery:
        when = "Run in-house on dates agreed with your organisation."
    else:
        when = "No upcoming dates are listed; admissions can answer questions about it."
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
        parts.append(f"in {_place(query.location)}")
    if query.month:
        parts.append(f"in {_month(query)}")
    if query.max_fee:
        parts.append(f"under {format_fee(query.max_fee)}")
    return " ".join(parts)


def _month(query: CourseQuery) -> str:
    """'March', or 'December 2028' when the visitor gave the year."""
    name = f"{date(2000, query.month or 1, 1):%B}"
    return f"{name} {query.year}" if query.year else name


def _place(name: str) -> str:
    """A place as the visitor typed it, capitalised when they did not ('tokyo' -> 'Tokyo')."""
    return name if any(ch.isupper() for ch in name) else name.title()


def _describe_query(query: CourseQuery) -> str:
    """'leadership in Spain in March', 'courses online', or '' when the query names nothing."""
    subject, filters = _subject(query), _filters(query)
    if subject and filters:
        return f"{subject} {filters}"
    return subject or (f"courses {filters}" if filters else "")


def recommendations(matches: list[Match], query: CourseQuery, sample: bool = False) -> list[Reply]:
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
    return [Reply(intro), *(course_card(m, cheapest=query.sort == "price", sample=sample) for m in shown)]


def _asked(query: CourseQuery) -> str:
    """'leadership courses in Lisbon in March', 'courses online', 'courses'."""
    subject, filters = _subject(query), _filters(query)
    return " ".join(filter(None, [subject, "courses", filters]))


def _cities(cities: tuple[str, ...]) -> str:
    if len(cities) <= MAX_CITIES_NAMED:
        return _and(list(cities))
    named, rest = cities[: MAX_CITIES_NAMED - 1], len(cities) - MAX_CITIES_NAMED + 1
    return f"{', '.join(named)} and {rest} other cities"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


# What the alternatives differ by, for each filter dropped to find them.
_DIFFERENT = {
    "month": "on other dates",
    "location": "in other places",
    "delivery": "in another format",
    "max_fee": "at a higher fee",
    "topic": "on other topics",
}
_INSTEAD = {
    "online": "Classroom dates instead",
    "classroom": "Online dates instead",
    "in-house": "Open courses instead",
}
_WANTED = {"online": "online", "classroom": "in a classroom", "in-house": "in-house"}


def _failed_filter(query: CourseQuery, alternatives: Alternatives) -> str:
    """Say what was not found, naming the filter that failed, and what the cards below are instead."""
    relaxed = alternatives.relaxed
    subject = _subject(query)
    courses = f"{subject} courses" if subject else "courses"
    if len(relaxed) == 1 and relaxed[0] != "topic":
        rest = _filters(query.relaxed(relaxed[0]))
        have = f"I have {courses}{' ' + rest if rest else ''}, but none"
        if relaxed == ("month",):
            return f"{have} starting in {_month(query)}. The closest dates:"
        if relaxed == ("delivery",) and query.delivery:
            return f"{have} {_WANTED[query.delivery]}. {_INSTEAD[query.delivery]}:"
        if relaxed == ("max_fee",) and query.max_fee:
            return f"{have} under {format_fee(query.max_fee)}. The most affordable:"
        if relaxed == ("location",) and query.location:
            return f"{have} in {_place(query.location)}. The same courses elsewhere:"
    if relaxed == ("topic",):
        rest = _filters(query.relaxed("topic"))
        return f"I have no {_asked(query)}. Other courses{' ' + rest if rest else ''}, on different topics:"
    return f"I have no {_asked(query)}. The nearest I have, {_and([_DIFFERENT[name] for name in relaxed])}:"


def _venues_sentence(courses: str, venues: Venues, month: str) -> str:
    """Where the same subject runs instead: 'Leadership courses run in London, ... and online.'"""
    where = []
    if venues.cities:
        where.append(f"in {_cities(venues.cities)}")
    if venues.online:
        where.append("online")
    if not where:
        return ""
    return f"{courses[0].upper()}{courses[1:]}{month} run {_and(where)}."


def no_match(query: CourseQuery, result: NoMatch, sample: bool = False) -> list[Reply]:
    """A search that found nothing: say so, name the filter that failed, offer the nearest real alternative.

    Cards are shown only when they share the visitor's subject or place;
    never unrelated courses dressed up as "best matches".
    """
    alternatives = result.alternatives
    venues = result.venues
    enquire = button("Make an enquiry", "enquire")
    admissions = button("Talk to admissions", "request_human")
    in_house = button("Training at your site", "ask_inhouse")
    extra = (in_house,) if venues.in_house else ()
    if result.unknown_place and query.location:
        subject = _subject(query)
        courses = f"{subject} courses" if subject else "our courses"
        month = f" in {_month(query)}" if query.month else ""
        lines = [f"I have no {_asked(query)}.", _venues_sentence(courses, venues, month)]
        if venues.in_house:
            lines.append("We can also train a team in-house, at your own site.")
        buttons = (
            *((button("Online courses", "recommend_course", delivery="online"),) if venues.online else ()),
            *extra,
            enquire,
        )
        cards = alternatives.matches[:MAX_SHOWN] if subject and "topic" not in alternatives.relaxed else []
        cards = sorted(cards, key=lambda m: m.next_session.start if m.next_session else date.max)  # "next" ones
        if cards:
            lines.append("The next ones:")
        intro = Reply(" ".join(filter(None, lines)), buttons=() if cards else buttons)
        closing = [Reply("Anything else I can look for?", buttons=buttons)] if cards else []
        return [intro, *(course_card(m, sample=sample) for m in cards), *closing]
    if not alternatives.found:
        return [
            Reply(
                f"I have no {_asked(query)} in the catalogue. I can show you what there is, or you can ask admissions.",
                buttons=(
                    button("Healthcare management", "recommend_course", field="healthcare management"),
                    button("Medical administration", "recommend_course", field="medical administration"),
                    enquire,
                ),
            )
        ]
    intro = Reply(_failed_filter(query, alternatives))
    cheapest = "max_fee" in alternatives.relaxed
    cards = [
        course_card(m, cheapest=cheapest, sample=sample, around=alternatives.around)
        for m in alternatives.matches[:MAX_SHOWN]
    ]
    closing = Reply(
        "If none of these suits you, admissions can answer questions about dates and formats.",
        buttons=(enquire, *extra, admissions),
    )
    return [intro, *cards, closing]


def unknown_subject(subject: str) -> Reply:
    """A subject the academy does not teach (nursing): say so, and what it does teach."""
    return Reply(
        f"I have no courses on {subject}. The British Academy's courses are in healthcare management and "
        "medical administration. Would one of those help, or would you like to ask admissions?",
        buttons=(
            button("Healthcare management", "recommend_course", field="healthcare management"),
            button("Medical administration", "recommend_course", field="medical administration"),
            button("Talk to admissions", "request_human"),
        ),
    )


def in_house_courses(matches: list[Match], intro: str = "") -> Reply:
    """The catalogue's in-house programmes: only courses whose delivery includes in-house are named."""
    titles = ", ".join(f"{m.course.title} ({m.course.code})" for m in matches[:4])
    text = f"{intro}Courses in the catalogue that run in-house: {titles}." if titles else (
        f"{intro}There are no in-house courses in the catalogue at the moment; admissions can answer questions."
    )  # fmt: skip
    return Reply(
        text.strip(),
        buttons=(
            button("Enquire about in-house", "enquire", delivery="in-house"),
            button("Talk to admissions", "request_human"),
        ),
    )


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


def course_details(course: Course, today: date, sample: bool = False) -> list[Reply]:
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
        if sample:
            lines.append(SAMPLE_NOTE)
    elif "in-house" in course.delivery:
        lines.append("It runs in-house, on dates agreed with your organisation.")
    else:
        lines.append("No upcoming dates are listed; admissions can answer questions about it.")
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


def shown_codes(replies: Iterable[Reply]) -> list[str]:
    """The courses whose cards are among ``replies``, in order: what "the first one" refers to next."""
    shown = []
    for reply in replies:
        for b in reply.buttons:
            if b["payload"].startswith("/ask_course_details{"):
                code = json.loads(b["payload"].removeprefix("/ask_course_details"))["course"]
                if code not in shown:
                    shown.append(code)
    return shown
