"""ActionAnswerQuestion with recorded trackers (tests/data/trackers/)."""

import pytest

from actions.answers import ActionAnswerQuestion
from tests.conftest import load_tracker


@pytest.mark.parametrize(
    ("tracker_name", "response"),
    [
        ("skills_for_a_role", "utter_skills_hm"),
        ("skills_follow_up", "utter_skills_ma"),
        ("qualification_letters", "utter_qualification_chap"),
        ("workplaces_both_fields", "utter_workplaces_both"),
        ("unknown_intent", "utter_fallback"),
    ],
)
async def test_answer_question_utters_the_fitting_response(dispatcher, domain, tracker_name, response):
    events = await ActionAnswerQuestion().run(dispatcher, load_tracker(tracker_name), domain)

    assert events == []
    assert [message["response"] for message in dispatcher.messages] == [response]
    assert response in domain["responses"]
