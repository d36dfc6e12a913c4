"""What visitors ask that the bot cannot answer, and conversations, leads and conversion over a period.

Read from Rasa's tracker store and the leads database; a tracker store that
cannot be reached shows as a notice on the page, not an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sanic import Request
from sanic.response import HTTPResponse

from bot.staff.analytics import Funnel, UnansweredQuestion, funnel, unanswered_questions
from bot.staff.conversations import ConversationStoreUnavailable
from bot.storage.transactions import DatabaseUnavailable
from bot.web.back_office import blocking
from bot.web.console.blueprint import console
from bot.web.console.context import Console, console_of
from bot.web.console.guard import database_unavailable
from bot.web.console.lead_filters import ListQuery, usable_day
from bot.web.console.templates import render

DEFAULT_DAYS = 30


@dataclass(frozen=True)
class InsightsPage:
    date_from: date
    date_to: date
    funnel: Funnel | None
    questions: list[UnansweredQuestion]
    problem: str


def _day(text: str | None) -> date | None:
    try:
        return usable_day(date.fromisoformat((text or "").strip()))
    except ValueError:
        return None


def load_insights(console: Console, date_from: date, date_to: date) -> InsightsPage:
    start, end = ListQuery(date_from=date_from, date_to=date_to).date_range(console.now(), console.time_zone)
    try:
        counts = funnel(console.conversations, console.leads(), start, end)
        questions = unanswered_questions(console.conversations, start, end)
    except ConversationStoreUnavailable as error:
        return InsightsPage(date_from, date_to, None, [], f"Conversations cannot be read right now ({error}).")
    return InsightsPage(date_from, date_to, counts, questions, "")


@console.get("/insights")
async def insights(request: Request) -> HTTPResponse:
    console = console_of(request)
    today = console.now().astimezone(console.time_zone).date()
    date_from = _day(request.args.get("from")) or today - timedelta(days=DEFAULT_DAYS - 1)
    date_to = _day(request.args.get("to")) or today
    if date_to < date_from:
        date_from, date_to = date_to, date_from
    try:
        page = await blocking(load_insights, console, date_from, date_to)
    except DatabaseUnavailable:
        return database_unavailable(request)
    return render(request, "insights.html", page=page)
