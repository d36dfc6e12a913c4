"""The typed-enquiry corpus and its player, without servers (the e2e run is tests/e2e/test_typed_enquiries.py)."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
import yaml

from bot.leads.validation import validate_email, validate_phone
from tests.e2e.typed_enquiries import generator as g
from tests.e2e.typed_enquiries.contract_bot import ADMISSIONS_EMAIL, ContractBot
from tests.e2e.typed_enquiries.player import (
    MAX_TURNS,
    PlayResult,
    parse_summary,
    play,
    recognise,
    summary_differences,
)
from tests.e2e.typed_enquiries.verdict import judge, leads_by_conversation


@pytest.fixture(scope="module")
def corpus() -> list[g.Conversation]:
    return g.generate()


def _play_all(conversations, bot_class=ContractBot):
    leads: list[dict] = []
    results = []
    for conversation in conversations:
        sender = f"unit-{conversation.id}"
        results.append(play(conversation, bot_class(sender, leads), sender, ADMISSIONS_EMAIL))
    by_conversation = leads_by_conversation(leads)
    return [(c, r, judge(c, r, by_conversation.get(r.sender, []))) for c, r in zip(conversations, results, strict=True)]


# --- the corpus ------------------------------------------------------------------------


def test_at_least_300_complete_conversations(corpus):
    assert len(corpus) >= 300
    assert len({c.id for c in corpus}) == len(corpus)
    for conversation in corpus:
        assert conversation.outcome in g.OUTCOMES
        assert (conversation.expected is None) == (conversation.outcome != g.SENT)


def test_same_seed_same_corpus_other_seed_other_corpus():
    assert g.corpus_json(g.generate(7, 50)) == g.corpus_json(g.generate(7, 50))
    assert g.corpus_json(g.generate()) == g.corpus_json(g.generate())
    assert g.corpus_json(g.generate(8, 50)) != g.corpus_json(g.generate(7, 50))


def test_conversations_survive_json(corpus):
    for conversation in corpus:
        data = json.loads(json.dumps(conversation.to_dict()))
        assert g.Conversation.from_dict(data) == conversation


def _all_names_and_emails(corpus) -> tuple[set[str], set[str]]:
    names, emails = set(), set()
    for conversation in corpus:
        names.add(conversation.persona.name)
        emails.add(conversation.persona.email_answer.lower())
        if conversation.expected:
            names.add(conversation.expected.name)
            emails.add(conversation.expected.email)
        for text in conversation.user_texts():
            emails.update(word.lower() for word in re.findall(r"\S+@\S+", text) if validate_email(word).ok)
    return names, emails


def test_no_generated_name_or_email_appears_in_the_training_data(corpus, project_root):
    data = "\n".join(path.read_text(encoding="utf-8") for path in sorted((project_root / "data").glob("*.yml")))
    data = data.lower()
    names, emails = _all_names_and_emails(corpus)
    assert len(names) > 100 and len(emails) > 100
    in_data = [name for name in names if re.search(rf"(?<!\w){re.escape(name.lower())}(?!\w)", data)]
    assert not in_data, f"generated names found in data/: {sorted(in_data)}"
    in_data = [email for email in emails if email in data]
    assert not in_data, f"generated emails found in data/: {sorted(in_data)}"


def _nlu_examples(project_root) -> set[str]:
    nlu = yaml.safe_load((project_root / "data" / "nlu.yml").read_text(encoding="utf-8"))
    examples = set()
    for block in nlu.get("nlu", []):
        for line in str(block.get("examples", "")).splitlines():
            plain = re.sub(r"\[([^\]]*)\](\([^)]*\)|\{[^}]*\})", r"\1", line.strip().removeprefix("- "))
            examples.add(" ".join(plain.lower().split()))
    return examples


def test_openers_and_side_questions_are_not_training_examples(corpus, project_root):
    examples = _nlu_examples(project_root)
    assert len(examples) > 100
    typed = {c.opener for c in corpus} | {g.SIDE_DIFFERENCE, g.SIDE_DURATION, g.SIDE_MADRID}
    typed |= {s.text for c in corpus for d in c.deviations if d.kind.startswith(("name_", "email_")) for s in d.steps}
    leaked = sorted(t for t in typed if " ".join(t.lower().split()) in examples)
    assert not leaked, f"texts that are NLU training examples: {leaked}"


def test_course_titles_match_the_catalogue(project_root):
    catalogue = yaml.safe_load((project_root / "data" / "courses.yml").read_text(encoding="utf-8"))["courses"]
    titles = {course["code"]: course["title"] for course in catalogue}
    assert {code: titles.get(code) for code in g.COURSES} == g.COURSES


def test_every_phone_is_valid_and_expected_in_e164(corpus):
    checked = 0
    for conversation in corpus:
        typed = [conversation.persona.phone_answer]
        phone_kinds = ("bad_phone", "change_phone_summary", "change_button_summary:phone")
        typed += [s.text for d in conversation.deviations if d.kind in phone_kinds for s in d.steps if s.at == g.PHONE]
        for text in typed:
            if text in g.PHONE_SKIPS:
                continue
            result = validate_phone(text)
            if text in g.TOO_SHORT_PHONES:
                assert not result.ok, text
                continue
            assert result.ok, text
            assert result.value == g.e164(text)
            checked += 1
        if conversation.expected and conversation.expected.phone:
            assert validate_phone(conversation.expected.phone).ok
    assert checked > 200


def test_every_email_is_valid_and_every_bad_one_is_not(corpus):
    for conversation in corpus:
        assert validate_email(conversation.persona.email_answer).value == conversation.persona.email_answer.lower()
        for deviation in conversation.deviations:
            if deviation.kind in ("bad_email", "three_bad_emails"):
                for step in deviation.steps:
                    assert not validate_email(step.text).ok, step.text
        if conversation.expected:
            assert validate_email(conversation.expected.email).value == conversation.expected.email


def test_the_corpus_has_the_variety_the_issue_asks_for(corpus):
    mix = g.case_mix(corpus)
    kinds = [k for k in g.PRIMARY_KINDS if k != "change_button_summary"] + ["change_button_summary:email"]
    for kind in kinds:
        assert mix[f"kind:{kind}"] >= 3, kind
    for outcome in g.OUTCOMES:
        assert mix[f"outcome:{outcome}"] >= 10, outcome
    for feature in ("name:word_first", "name:word_last", "name:apostrophe", "name:hyphen", "name:accent"):
        assert mix[feature] >= 20, feature
    assert mix["name:one_word"] >= 20 and mix["opener:all_in_one"] >= 20 and mix["opener:generic"] >= 20
    assert mix["phone:international"] >= 20 and mix["phone:skip"] >= 20 and mix["message:none"] >= 20

    tokens = Counter(token for c in corpus for token in c.persona.name.split())
    for word in g.WORD_FIRST_NAMES:
        assert tokens[word] >= 2, word
    openers = {c.opener for c in corpus}
    for opener in (
        "can I leave my details?",
        "I want to apply",
        "I'd like to enquire about your medical billing course",
    ):
        assert opener in openers
    assert "please ask admissions to contact me about healthcare management" in openers
    assert any(o.startswith("I'm ") and "CMOM" in o for o in openers)

    answers = [c.persona.name_answer for c in corpus]
    for form in ("my name is ", "I'm ", "it's "):
        assert any(a.startswith(form) for a in answers), form
    locals_ = Counter(c.persona.email_answer.split("@")[0].lower() for c in corpus)
    for word in g.WORD_LOCALS:
        assert locals_[word] >= 2, word
    assert any(c.persona.email_answer.split("@")[0].isupper() for c in corpus)

    typed = Counter(text for c in corpus for text in c.user_texts())
    phrases = (*g.PHONE_SKIPS, *g.CONSENTS, *g.REFUSALS, *g.CONFIRMATIONS, *g.MESSAGE_SKIPS, *g.STOPS)
    for phrase in (*phrases, g.SIDE_DIFFERENCE, g.SIDE_DURATION, g.SIDE_MADRID, "change my phone", "Change email"):
        assert typed[phrase] >= 1, phrase
    phones = [c.persona.phone_answer for c in corpus]
    for start in ("07", "+44 7", "020 ", "+33 ", "+353 "):
        assert any(p.startswith(start) for p in phones), start


def test_user_texts_for_the_leak_check(tmp_path, corpus):
    texts = g.user_texts()
    assert texts == sorted(set(texts))
    assert {c.opener for c in corpus} <= set(texts)
    path = g.write_user_texts(tmp_path / "typed.txt")
    assert path.read_text(encoding="utf-8").splitlines() == texts


# --- the player --------------------------------------------------------------------------


def test_the_whole_corpus_passes_against_a_bot_that_keeps_the_contract(corpus):
    failures = [(c.id, problems) for c, _, problems in _play_all(corpus) if problems]
    assert not failures, failures[:5]


def test_recognises_the_last_question_asked():
    assert recognise("Courses run for five days.\nWhat\u2019s your name?", None, ADMISSIONS_EMAIL) == g.NAME
    assert recognise("That email address doesn't look right.", g.EMAIL, ADMISSIONS_EMAIL) == g.EMAIL
    assert recognise("Thanks! Your reference is BA-7KQ2MZ.", g.SUMMARY, ADMISSIONS_EMAIL) == g.SENT
    assert recognise("Okay.", g.NAME, ADMISSIONS_EMAIL) == "unknown"
    shown = parse_summary("This is what I'll send to admissions:\nName: Will O'Neill\nEmail: no@example.org\n[Send it]")
    assert shown == {"name": "Will O'Neill", "email": "no@example.org"}


def test_summary_phone_is_compared_as_a_number():
    expected = g.ExpectedLead("Ffion", "a@example.org", "+447400123456", [], None, None, None)
    assert summary_differences({"name": "Ffion", "email": "a@example.org", "phone": "07400 123456"}, expected) == []
    assert summary_differences({"name": "Ffion", "email": "a@example.org"}, expected)


class _ForgetsTheMessage(ContractBot):
    def send(self):
        self.values.pop(g.MESSAGE, None)
        return super().send()


class _AsksTheNameForever(ContractBot):
    def answer(self, state, text):
        return ["What's your name?"] if state == g.NAME else super().answer(state, text)


class _AlwaysStores(ContractBot):
    def reply(self, text):
        if self.state == g.STOP_CONFIRM and text.lower() == "yes":
            self.values.setdefault(g.NAME, "x")
            self.values.setdefault(g.EMAIL, "x@example.org")
            return self.send()
        return super().reply(text)


@pytest.mark.parametrize(
    ("bot_class", "symptom"),
    [
        (_ForgetsTheMessage, "lead message"),
        (_AsksTheNameForever, "asked for name again"),
        (_AlwaysStores, "no lead may be made"),
    ],
)
def test_the_player_and_verdict_catch_a_broken_form(corpus, bot_class, symptom):
    played = _play_all(corpus[:60], bot_class)
    problems = [p for _, _, problems in played for p in problems]
    assert any(symptom in p for p in problems), problems[:5]


def test_a_bot_that_never_ends_fails_after_the_turn_limit(corpus):
    conversation = next(c for c in corpus if c.outcome == g.SENT and not c.deviations)

    def summary_forever(text: str) -> list[dict]:
        return [{"text": "This is what I'll send to admissions:\nName: someone"}]

    result = play(conversation, summary_forever, "loop", ADMISSIONS_EMAIL)
    assert isinstance(result, PlayResult) and not result.ok
    assert f"no outcome after {MAX_TURNS} turns" in result.problems
    assert len(result.transcript) == 2 * (MAX_TURNS + 1)


class _OffersFirst(ContractBot):
    """Answers the opener like a request for a person: the enquiry is offered, not started."""

    def reply(self, text):
        if self.state is None and not getattr(self, "offered", False):
            self.offered = True
            self.opener(text)
            return [
                f"You can email admissions at {ADMISSIONS_EMAIL}, or leave your enquiry here. "
                "Shall I take your enquiry now?"
            ]
        if self.state is None and text == "Yes, make an enquiry":
            return self.ask(g.CONSENT)
        return super().reply(text)

    def __call__(self, text):
        messages = super().__call__(text)
        if self.state is None and getattr(self, "offered", False) and "Shall I" in messages[0]["text"]:
            messages[0]["buttons"] = [{"title": "Yes, make an enquiry", "payload": "/enquire"}]
        return messages


def test_the_player_takes_the_offered_enquiry_as_a_visitor_would(corpus):
    played = _play_all([c for c in corpus if c.outcome != g.REFUSED][:40], _OffersFirst)
    assert [problems for _, _, problems in played if problems] == []
    assert {result.entered_by for _, result, _ in played} == {"Yes, make an enquiry"}


def test_an_offer_mentioning_the_admissions_email_is_not_the_form_left():
    offer = f"You can email them at {ADMISSIONS_EMAIL}, or leave your enquiry here. Shall I take your enquiry now?"
    assert recognise(offer, None, ADMISSIONS_EMAIL) == "offer"
    left = f"You can email admissions at {ADMISSIONS_EMAIL}. I've stopped the enquiry here."
    assert recognise(left, g.EMAIL, ADMISSIONS_EMAIL) == g.LEFT
    assert recognise(left, g.STOP_CONFIRM, ADMISSIONS_EMAIL) == g.STOPPED


def test_only_control_answers_are_also_training_examples(project_root):
    examples = _nlu_examples(project_root)
    shared = [t for t in g.user_texts(control_answers=False) if " ".join(t.lower().split()) in examples]
    assert shared == []
    assert set(g.user_texts()) - set(g.user_texts(control_answers=False)) <= g.CONTROL_ANSWERS
