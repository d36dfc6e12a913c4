"""The catalogue's words: fields, topics and their synonyms, place spellings, and the
small deterministic normaliser that matches visitors' words against them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

FIELDS = ("healthcare management", "medical administration")
DELIVERY_MODES = ("classroom", "online", "in-house")
LEVELS = ("introductory", "intermediate", "advanced")
SORT_ORDERS = ("relevance", "price", "date")
ONLINE = "Online"

# Canonical topic names: the same values as the ``topic`` lookup table in
# data/entities.yml, so an NLU entity can be passed straight to CourseQuery.
TOPICS = (
    "policy development",
    "financial planning",
    "leadership",
    "strategic planning",
    "regulatory compliance",
    "workforce management",
    "quality and patient safety",
    "medical billing and coding",
    "patient records",
    "office administration",
    "scheduling and patient flow",
    "health information management",
    "patient communication",
)

# Words visitors use for each topic. A phrase may point at several topics
# ("records" is both patient records and health information management).
TOPIC_SYNONYMS: dict[str, tuple[str, ...]] = {
    "policy development": ("policy", "policies", "policy making", "policymaking", "health policy", "procedures"),
    "financial planning": (
        "finance", "finances", "financial", "financial management", "budget", "budgets", "budgeting",
        "money", "costs", "cost control", "funding", "accounting",
    ),
    "leadership": ("leader", "leaders", "leading", "lead", "leading teams", "team leadership", "executive"),
    "strategic planning": ("strategy", "strategic", "strategies", "long term planning", "business planning"),
    "regulatory compliance": (
        "compliance", "compliant", "governance", "regulation", "regulations", "regulatory", "regulator",
        "inspection", "accreditation", "cqc",
    ),
    "workforce management": (
        "hr", "human resources", "staffing", "staff", "people", "people management", "workforce",
        "recruitment", "retention", "personnel",
    ),
    "quality and patient safety": (
        "quality", "safety", "patient safety", "quality improvement", "risk management", "clinical risk", "incidents",
    ),
    "medical billing and coding": (
        "billing", "coding", "coding and billing", "billing and coding", "medical billing", "medical coding",
        "clinical coding", "coder", "claims", "invoicing", "reimbursement", "icd",
    ),
    "patient records": ("records", "record", "medical records", "record keeping", "ehr", "emr", "patient files"),
    "office administration": (
        "office", "reception", "receptionist", "front desk", "front office", "secretary", "medical secretary",
        "clerical",
    ),
    "scheduling and patient flow": (
        "scheduling", "schedule", "appointments", "booking", "patient flow", "waiting lists", "bed management",
    ),
    "health information management": (
        "records", "record", "ehr", "emr", "electronic health records", "health information", "informatics",
        "health data", "data",
    ),
    "patient communication": (
        "communication", "customer service", "complaints", "patient experience", "patient relations",
    ),
}  # fmt: skip

# Other spellings of places visitors type; values are normalised place names.
PLACE_ALIASES: dict[str, str] = {
    "uk": "united kingdom",
    "u k": "united kingdom",
    "great britain": "united kingdom",
    "britain": "united kingdom",
    "gb": "united kingdom",
    "england": "united kingdom",
    "central london": "london",
    "londres": "london",
    "ireland": "ireland",
    "eire": "ireland",
    "lisboa": "lisbon",
    "wien": "vienna",
    "geneve": "geneva",
    "genf": "geneva",
    "roma": "rome",
    "milano": "milan",
    "praha": "prague",
    "bruxelles": "brussels",
    "brussel": "brussels",
    "barca": "barcelona",
    "espana": "spain",
    "holland": "netherlands",
    "the netherlands": "netherlands",
    "czechia": "czech republic",
    "deutschland": "germany",
    "osterreich": "austria",
    "schweiz": "switzerland",
    "suisse": "switzerland",
    "italia": "italy",
    "virtual": "online",
    "remote": "online",
    "live online": "online",
    "web": "online",
    "mainland europe": "europe",
    "continental europe": "europe",
}
# "europe" matches classroom sessions outside the UK ("in London and across Europe").
HOME_COUNTRY = "united kingdom"


WORD_RE = re.compile(r"[a-z0-9]+")
_IZ_RE = re.compile(r"iz(?=[aei])")
_STOPWORDS = frozenset(
    """a an the and or of for in on at to with about from by into as is are be was were am do does did
    can could would should will shall may might i im me my we our us you your they their it its this that these
    those there here what which who how when where want wants wanted need needs looking look like interested
    please thanks thank hi hello any some all course courses training trainings class classes programme
    programmes program programs session sessions available offer offers offered run runs running have has had
    get find show tell more info information something anything also just only very really next upcoming""".split()
)
# Word families the suffix rules cannot join (manager/management, UK/US spelling).
_IRREGULAR = {
    **dict.fromkeys(("manage", "manages", "managed", "managing", "manager", "managers", "management"), "manag"),
    **dict.fromkeys(
        ("admin", "admins", "administration", "administrations", "administrator", "administrators", "administrative"),
        "admin",
    ),
    **dict.fromkeys(("finance", "finances", "financial", "financing"), "financ"),
    **dict.fromkeys(("strategy", "strategies", "strategic"), "strateg"),
    **dict.fromkeys(("regulation", "regulations", "regulatory", "regulator", "regulators", "regulated"), "regul"),
    **dict.fromkeys(("communication", "communications", "communicate", "communicating"), "communic"),
    **dict.fromkeys(("leader", "leaders", "leading", "leads", "lead"), "lead"),
    **dict.fromkeys(("coder", "coders"), "cod"),
    **dict.fromkeys(("centre", "center", "centres", "centers"), "centr"),
    **dict.fromkeys(("practise", "practice", "practices", "practises"), "practic"),
    "people": "people",
    "data": "data",
}


def fold_text(text: str) -> str:
    """Lower-case ASCII: 'Genève' and 'geneve' must compare equal."""
    text = unicodedata.normalize("NFKD", text.lower().replace("&", " and "))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@lru_cache(maxsize=8192)
def _lemma(word: str) -> str:
    """A deterministic stem: plurals, -ing and -ed, silent e, -ize/-ise."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.isdigit() or len(word) <= 3:
        return word
    word = _IZ_RE.sub("is", word)
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith("sses"):
        word = word[:-2]
    elif len(word) > 4 and word.endswith(("xes", "ches", "shes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    stripped = False
    if len(word) > 5 and word.endswith("ing"):
        word, stripped = word[:-3], True
    elif len(word) > 5 and word.endswith("ied"):
        word = word[:-3] + "y"
    elif len(word) > 5 and word.endswith("ed"):
        word, stripped = word[:-2], True
    if stripped and len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "lsfz":
        word = word[:-1]  # planning -> plann -> plan
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]  # code / coding -> cod
    return word


def normalise_words(text: str) -> tuple[str, ...]:
    """The searchable words of ``text``: folded, stop words dropped, stemmed.

    Applied to course text at load and to the visitor's words at query time,
    so both sides meet in the same form ("Budgets" and "budgeting" -> "budget").
    """
    raw = WORD_RE.findall(fold_text(text))
    words: list[str] = []
    i = 0
    while i < len(raw):
        word = raw[i]
        if word == "health" and i + 1 < len(raw) and raw[i + 1] == "care":
            word, i = "healthcare", i + 1
        i += 1
        if word not in _STOPWORDS:
            words.append(_lemma(word))
    return tuple(words)


def normalise_place(text: str) -> str:
    """A city or country as the location filter compares it."""
    place = " ".join(WORD_RE.findall(fold_text(text)))
    if place.startswith("the ") and place not in PLACE_ALIASES:
        place = place[4:]
    return PLACE_ALIASES.get(place, place)


def _build_phrase_table() -> dict[tuple[str, ...], frozenset[str]]:
    table: dict[tuple[str, ...], set[str]] = {}
    for topic in TOPICS:
        for phrase in (topic, *TOPIC_SYNONYMS.get(topic, ())):
            key = normalise_words(phrase)
            if key:
                table.setdefault(key, set()).add(topic)
    return {key: frozenset(topics) for key, topics in table.items()}


# Title and keyword words that say nothing about a subject ("new manager", "no-show", "first line").
GENERIC_WORDS = frozenset(
    normalise_words(
        """new no show first long small keep list wait time term site making basic essential essentials fundamental
        fundamentals introduction overview advanced senior experienced change growth difficult conversation report
        writing filing control house 10"""
    )
)
_PHRASE_TOPICS = _build_phrase_table()
_LONGEST_PHRASE = max(len(key) for key in _PHRASE_TOPICS)
SYNONYM_WORDS = frozenset(word for key in _PHRASE_TOPICS for word in key)


def topics_in_words(words: Sequence[str]) -> frozenset[str]:
    """Canonical topics named in already-normalised words, longest phrase first."""
    found: set[str] = set()
    i = 0
    while i < len(words):
        for size in range(min(_LONGEST_PHRASE, len(words) - i), 0, -1):
            topics = _PHRASE_TOPICS.get(tuple(words[i : i + size]))
            if topics:
                found |= topics
                i += size
                break
        else:
            i += 1
    return frozenset(found)


def resolve_topic(name: str) -> frozenset[str]:
    """Canonical topics for a topic name or synonym ('budgets' -> financial planning); empty if unknown."""
    folded = " ".join(WORD_RE.findall(fold_text(name)))
    if folded in TOPICS:
        return frozenset((folded,))
    return _PHRASE_TOPICS.get(normalise_words(name), frozenset())
