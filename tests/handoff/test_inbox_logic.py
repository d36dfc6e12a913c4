"""What the inbox derives from a conversation: a lead draft, the lead's transcript, waiting time in words."""

from __future__ import annotations

from bot.handoff.inbox import draft_lead, lead_transcript, waiting_in_words
from bot.handoff.transcript import Turn


def turns() -> list[Turn]:
    return [
        Turn(1, "visitor", "/request_human", 1.0),
        Turn(2, "bot", "A person will join this chat shortly.", 2.0),
        Turn(3, "visitor", "Do you offer evening classes for coders?", 3.0),
        Turn(4, "staff", "Some, yes. May I take your details?", 4.0, staff_name="Sam"),
        Turn(5, "visitor", "Sure, I'm Ola Nowak, ola@example.org", 5.0),
        Turn(6, "visitor", "actually use ola.nowak@example.net and 07911 123456", 6.0),
    ]


def test_draft_takes_the_newest_details_and_the_first_question():
    draft = draft_lead(turns())
    assert draft.name == "Ola Nowak"
    assert draft.email == "ola.nowak@example.net"  # the newest address the visitor gave
    assert draft.phone.replace(" ", "").endswith("7911123456")
    assert draft.message == "Do you offer evening classes for coders?"  # a button payload is not a message


def test_draft_of_a_conversation_without_details_is_empty():
    draft = draft_lead([Turn(1, "visitor", "hello", 1.0), Turn(2, "staff", "Hi, ola@example.org", 2.0, "Sam")])
    assert (draft.name, draft.email, draft.phone, draft.message) == ("", "", "", "hello")


def test_lead_transcript_names_staff():
    rows = lead_transcript(turns())
    assert rows[3] == {"sender": "bot", "text": "Some, yes. May I take your details?", "at": 4.0, "staff": "Sam"}
    assert rows[1] == {"sender": "bot", "text": "A person will join this chat shortly.", "at": 2.0}
    assert rows[0]["sender"] == "visitor"


def test_waiting_in_words():
    assert [waiting_in_words(s) for s in (5, 60, 59 * 60, 3 * 3600 + 120)] == [
        "under a minute",
        "1 min",
        "59 min",
        "3 h 2 min",
    ]
