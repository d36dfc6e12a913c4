"""bot.nlp.enquiry_intent: contact details or an explicit request make a message an enquiry."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlp.enquiry_intent import EnquiryIntentClassifier, is_enquiry


@pytest.mark.parametrize(
    "text",
    [
        "I'm Jo Bloggs, jo@example.com, 07400 123456, interested in the CMOM course",
        "my number is +33 1 42 68 53 00",
        "I'd like to enquire about quality improvement and patient safety in Madrid",
        "please ask admissions to contact me about healthcare management",
        "could you have a member of staff email me the dates",
        "let the team ring me tomorrow about fees",
        "could someone get in touch about the billing course?",
        "can I make an enquiry?",
        "happy to pass on my number if an adviser could ring",
        "is it possible to give you my email and hear from the team later",
        "could a member of staff come back to me tomorrow about fees",
        "would someone phone me back this afternoon",
        "fine, I'll drop an enquiry then",
        "ok let's submit my inquiry",
    ],
)
def test_enquiries(text):
    assert is_enquiry(text)


@pytest.mark.parametrize(
    "text",
    [
        "what do I need to apply for a job in healthcare management?",
        "how do enquiries work?",
        "what is the difference between the two fields?",
        "courses in London in March",
        "I'd rather not leave my number, just answer here",
        "I don't want anyone to call me back",
        "what happens to my details once I hand them over?",
        "can I talk to a real person right now",
        "I won't leave an enquiry, thanks",
        "how long does it take to make an enquiry?",
        "could you send the enquiry again please",
    ],
)
def test_not_enquiries(text):
    assert not is_enquiry(text)


def test_the_classifier_overrides_the_model_and_leaves_no_rival_reading():
    message = Message(
        data={
            "text": "call me on 07400 123456",
            "intent": {"name": "ask_course_details", "confidence": 0.99},
            "intent_ranking": [
                {"name": "ask_course_details", "confidence": 0.99},
                {"name": "enquire", "confidence": 0.01},
            ],
        }
    )

    (processed,) = EnquiryIntentClassifier({}).process([message])

    assert processed.get("intent") == {"name": "enquire", "confidence": 1.0}
    assert processed.get("intent_ranking") == [
        {"name": "enquire", "confidence": 1.0},
        {"name": "ask_course_details", "confidence": 0.0},
    ]


def test_button_payloads_are_left_alone():
    message = Message(data={"text": '/enquire{"course":"MA-201"}', "intent": {"name": "enquire", "confidence": 1.0}})
    assert EnquiryIntentClassifier({}).process([message])[0].get("intent")["confidence"] == 1.0
