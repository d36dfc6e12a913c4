"""Handoffs in the database: availability, the state machine, one open handoff per conversation."""

from __future__ import annotations

import re

import pytest

from bot.handoff.availability import CLOSED_NOW, NOBODY_FREE, Notice, check_availability, visitor_notice
from bot.handoff.states import CLOSED, HAND_BACK, LIVE, REPLY, WAITING, HandoffClosed, next_state, widget_state
from bot.handoff.transcript import staff_display_name
from bot.office_hours import parse_office_hours
from tests.handoff.conftest import NOW


def test_state_machine():
    assert next_state(WAITING, REPLY) == LIVE
    assert next_state(LIVE, REPLY) == LIVE
    assert next_state(WAITING, HAND_BACK) == CLOSED
    assert next_state(LIVE, HAND_BACK) == CLOSED
    for move in (REPLY, HAND_BACK):
        with pytest.raises(HandoffClosed):
            next_state(CLOSED, move)
    assert [widget_state(state) for state in (WAITING, LIVE, CLOSED)] == ["waiting", "live", "bot"]


def test_availability_counts_only_active_members_marked_available(store, staff_ids, sessions):
    assert store.available_staff() == 0
    store.set_available(staff_ids["sam@example.org"], True)
    assert store.available_staff() == 1 and store.is_available(staff_ids["sam@example.org"])
    from bot.staff.models import StaffUser

    with sessions() as session:
        session.get(StaffUser, staff_ids["sam@example.org"]).active = False
        session.commit()
    assert store.available_staff() == 0
    store.set_available(staff_ids["kim@example.org"], True)
    store.set_available(staff_ids["kim@example.org"], False)
    assert store.available_staff() == 0


def test_one_open_handoff_per_conversation_through_its_states(store):
    first = store.start("web-abc")
    assert first.state == WAITING and first.requested_at == NOW
    assert store.start("web-abc").id == first.id  # asking again joins the same handoff
    assert store.count_waiting() == 1 and [h.id for h in store.open_handoffs()] == [first.id]
    live = store.replied(first.id, "sam@example.org")
    assert (live.state, live.accepted_by) == (LIVE, "sam@example.org")
    assert store.replied(first.id, "kim@example.org").accepted_by == "sam@example.org"  # the first to answer
    assert store.count_waiting() == 0
    closed = store.hand_back(first.id, "kim@example.org")
    assert closed.state == CLOSED and store.current("web-abc") is None and store.open_handoffs() == []
    with pytest.raises(HandoffClosed):
        store.replied(first.id, "sam@example.org")
    with pytest.raises(HandoffClosed):
        store.check_open(first.id)
    second = store.start("web-abc")  # a later request is a new handoff
    assert second.id != first.id and store.latest("web-abc").id == second.id


def test_seen_marker_never_moves_back_and_erasure(store):
    handoff = store.start("web-abc")
    store.mark_seen(handoff.id, 12)
    store.mark_seen(handoff.id, 7)
    assert store.get(handoff.id).seen_event_id == 12
    store.start("web-other")
    assert store.erase(["web-abc"]) == 1
    assert store.latest("web-abc") is None and store.latest("web-other") is not None


def test_availability_and_what_the_visitor_is_told():
    hours = parse_office_hours("Mon-Fri 09:00-17:30")
    assert check_availability(hours, NOW, 2).open
    nobody = check_availability(hours, NOW, 0)
    assert nobody.status == NOBODY_FREE
    assert visitor_notice(nobody) == Notice("utter_handoff_nobody_free", {"hours": nobody.hours})
    evening = NOW.replace(hour=19)
    closed = check_availability(hours, evening, 3)
    assert closed.status == CLOSED_NOW and closed.opens == "tomorrow at 09:00"
    assert visitor_notice(closed) == Notice(
        "utter_handoff_closed", {"hours": "Monday to Friday, 09:00 to 17:30 (UK time)", "opens": "tomorrow at 09:00"}
    )
    assert visitor_notice(check_availability(hours, NOW, 1)) == Notice("utter_handoff_joining")
    assert visitor_notice(check_availability(parse_office_hours("never"), NOW, 1)).response == (
        "utter_handoff_not_taking_chats"
    )


@pytest.mark.parametrize(
    ("email", "name"),
    [
        ("sam@example.org", "Sam"),
        ("sam.jones@example.org", "Sam"),
        ("kim_lee@x.org", "Kim"),
        ("a1@x.org", "Admissions"),
    ],
)
def test_staff_display_name(email, name):
    assert staff_display_name(email) == name


def test_every_notice_fills_its_response_exactly(project_root):
    import yaml

    responses = yaml.safe_load((project_root / "data" / "responses.yml").read_text())["responses"]
    hours = parse_office_hours("Mon-Fri 09:00-17:30")
    evening, never = NOW.replace(hour=19), parse_office_hours("never")
    for availability in (
        check_availability(hours, NOW, 1),
        check_availability(hours, NOW, 0),
        check_availability(hours, evening, 1),
        check_availability(never, NOW, 1),
    ):
        notice = visitor_notice(availability)
        text = responses[notice.response][0]["text"]
        assert set(re.findall(r"\{(\w+)\}", text)) == set(notice.values), notice.response
        assert "{" not in text.format(**notice.values)
