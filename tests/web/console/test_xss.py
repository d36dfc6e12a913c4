"""Visitor-typed text is shown to staff as text: every field, on every page, rendered inert.

Pages are parsed as HTML and checked for what an injected payload would add:
script elements other than the console's own, event-handler attributes,
javascript: links, or elements a payload could smuggle in.
"""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pytest

from bot.leads.submission import Consent, CourseChoice
from tests.leads.builders import submission
from tests.staff.fixtures import NOW

SCRIPT = '<script>alert("xss")</script>'
IMG = '"><img src=x onerror=alert(1)>'
SVG = "'><svg onload=alert(1)>"
TEMPLATE = "{{ 7*7 }}{% raw %}"
PAYLOADS = (SCRIPT, IMG, SVG, TEMPLATE)
OWN_SCRIPTS = ("/static/console/console.js", "/console/inbox/static/inbox.js")
SMUGGLED_TAGS = {"img", "svg", "iframe", "object", "embed", "math", "style", "base", "meta", "link"}


class MarkupAudit(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script" and values.get("src") not in OWN_SCRIPTS:
            self.problems.append(f"script element {values}")
        if tag in SMUGGLED_TAGS and not (tag in ("link", "meta") and _own_head_tag(values)):
            self.problems.append(f"<{tag}> element {values}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            is_url = name in ("href", "src", "action", "formaction")
            if is_url and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL in {name} on <{tag}>")


def _own_head_tag(values: dict) -> bool:
    return (
        values.get("href") in ("/static/console/console.css", "/console/inbox/static/inbox.css", "data:,")
        or values.get("charset")
        or values.get("name") in ("viewport", "robots")
    )


def assert_inert(page: str) -> None:
    audit = MarkupAudit()
    audit.feed(page)
    assert audit.problems == []


def hostile_submission(key: str, at=NOW, **overrides):
    values = {
        "name": f"Eve {SCRIPT}",
        "email": "o'neil+x=1&y@example.org",
        "organisation": f"Org {IMG}",
        "interest_field": f"medical administration {SVG}",
        "location": f"London {IMG}",
        "delivery": f"online {SCRIPT}",
        "message": f"Hello {SCRIPT}\n{IMG}\n{TEMPLATE}",
        "courses": [CourseChoice("MA-201", f"Billing {SVG}")],
        "transcript": [
            {"sender": "visitor", "text": f"hi {SCRIPT}", "at": at.isoformat()},
            {"sender": "bot", "text": f"hello {IMG}", "at": at.isoformat()},
        ],
        "consent": Consent(at, f"v1 {SVG}", "javascript:alert(1)", f"I agree {SCRIPT}"),
    }
    values.update(overrides)
    return submission(key=key, **values)


@pytest.fixture
def hostile_lead(leads, clock, tracker):
    first = leads.submit(hostile_submission("first", conversation_id="web-hostile-1"))
    clock.advance(minutes=10)
    second = leads.submit(hostile_submission("second", conversation_id="web-hostile-2"))
    leads.add_note(second.lead_id, "sam@example.org", f"note {SCRIPT} {IMG}")
    leads.assign(second.lead_id, f"someone {SVG}", "sam@example.org")
    for payload in PAYLOADS:
        tracker.user("web-hostile-2", f"what about {payload}", NOW + timedelta(minutes=5), intent="nlu_fallback")
    return leads.get(second.lead_id), first


def test_the_hostile_lead_really_holds_the_payloads(hostile_lead):
    lead, _ = hostile_lead
    assert SCRIPT in lead.name and IMG in lead.organisation and SCRIPT in lead.transcript[0]["text"]


@pytest.mark.parametrize(
    "path",
    [
        "/console/leads",
        "/console/leads?place=London",
        "/console/leads/{id}",
        "/console/leads/{first}",
        "/console/insights?from=2026-11-01&to=2026-11-30",
        "/console/audit",
        "/console/people?lead={id}",
    ],
)
def test_pages_show_visitor_text_as_text(admin, hostile_lead, path):
    lead, first = hostile_lead
    response = admin.get(path.format(id=lead.id, first=first.lead_id))
    assert response.status == 200
    assert_inert(response.text)


def test_the_detail_page_shows_every_payload_escaped(admin, hostile_lead):
    lead, _ = hostile_lead
    page = admin.get(f"/console/leads/{lead.id}").text
    assert "Eve &lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&#39;&gt;&lt;svg onload=alert(1)&gt;" in page
    assert "{{ 7*7 }}{% raw %}" in page
    assert 'href="mailto:o&#39;neil+x=1&amp;y@example.org"' in page


@pytest.mark.parametrize(
    "query",
    [
        f"q={IMG}",
        f"interest={SVG}",
        f"place={IMG}",
        f"course={SCRIPT}",
        f"from={IMG}",
        f"received={SCRIPT}",
        f"status={SCRIPT}",
    ],
)
def test_filter_values_are_not_reflected_as_markup(admin, hostile_lead, query):
    response = admin.get(f"/console/leads?{query}")
    assert response.status == 200
    assert_inert(response.text)


def test_the_sign_in_page_does_not_reflect_markup(anonymous):
    page = anonymous.get(f"/console/login?next=/console/leads{IMG}").text
    assert_inert(page)
    failed = anonymous.login(f"x{IMG}@example.org", "wrong password!!")
    assert_inert(failed.text)


def test_csv_keeps_the_text_and_neutralises_formulas(admin, leads):
    formula = '=HYPERLINK("http://evil","x")'
    leads.submit(submission(key="formula", name=formula, organisation="+1+1", message="@SUM(A1)"))
    text = admin.get("/console/leads.csv").body.decode("utf-8")
    assert "'=HYPERLINK" in text and "'+1+1" in text and "'@SUM(A1)" in text
