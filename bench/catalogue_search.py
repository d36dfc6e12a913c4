"""How fast is a catalogue search? Generates 1,000 courses, writes them as
YAML, loads them the way the bot does, then times 10,000 searches drawn from
a mix of the queries visitors make.

Run: .venv/bin/python bench/catalogue_search.py [--courses N] [--searches N] [--seed N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.courses.loading import load_catalogue  # noqa: E402
from bot.courses.model import CourseQuery  # noqa: E402
from bot.courses.vocabulary import FIELDS, TOPICS  # noqa: E402

TODAY = date(2026, 11, 26)
CITIES = [
    ("London", "United Kingdom"),
    ("Manchester", "United Kingdom"),
    ("Dublin", "Ireland"),
    ("Paris", "France"),
    ("Madrid", "Spain"),
    ("Barcelona", "Spain"),
    ("Lisbon", "Portugal"),
    ("Amsterdam", "Netherlands"),
    ("Brussels", "Belgium"),
    ("Berlin", "Germany"),
    ("Vienna", "Austria"),
    ("Geneva", "Switzerland"),
    ("Rome", "Italy"),
    ("Milan", "Italy"),
    ("Prague", "Czech Republic"),
]
FIELD_TOPICS = {FIELDS[0]: TOPICS[:7], FIELDS[1]: TOPICS[7:]}
OPENERS = ["Essentials of", "Advanced", "Practical", "Modern", "Introduction to", "Mastering", "Applied"]
CLOSERS = ["in Hospitals", "for Clinics", "for Team Leaders", "in Primary Care", "for Health Systems", ""]
KEYWORDS = ["budgets", "HR", "EHR", "receptionist", "governance", "audit", "claims", "rota", "appointments", "strategy"]


def generate_courses(count: int, rng: random.Random) -> list[dict]:
    """Plausible, varied courses: every field, topic, city, month and delivery mode occurs."""
    courses = []
    for i in range(count):
        field = FIELDS[i % 2]
        topics = rng.sample(FIELD_TOPICS[field], k=rng.randint(1, 3))
        delivery = rng.choice([["classroom"], ["classroom", "online"], ["online"], ["in-house", "classroom"]])
        days = rng.choice([3, 4, 5, 10])
        sessions = []
        starts: set[tuple[str, date]] = set()
        for _ in range(rng.randint(0 if "in-house" in delivery else 2, 8)):
            city, country = rng.choice(CITIES)
            if "classroom" not in delivery or ("online" in delivery and rng.random() < 0.3):
                city, country = "Online", "Online"
            start = date(2026, 1, 5) + timedelta(weeks=rng.randint(0, 103))
            if (city, start) in starts:
                continue
            starts.add((city, start))
            fee = rng.randrange(1500, 6501, 50) if city != "Online" else rng.randrange(800, 2501, 50)
            sessions.append({"city": city, "country": country, "start": start.isoformat(), "fee_gbp": fee})
        if not sessions and "in-house" not in delivery:
            sessions.append({"city": "Online", "country": "Online", "start": "2027-05-03", "fee_gbp": 1500})
            delivery = sorted(set(delivery) | {"online"})
        title = " ".join(filter(None, [rng.choice(OPENERS), topics[0].title(), rng.choice(CLOSERS)]))
        courses.append(
            {
                "code": f"{'HM' if field == FIELDS[0] else 'MA'}-{100 + i // 2:03d}",
                "title": f"{title} {i}",
                "field": field,
                "topics": topics,
                "keywords": rng.sample(KEYWORDS, k=rng.randint(0, 3)),
                "summary": f"A {days}-day course on {' and '.join(topics)} with case studies and practical tools.",
                "audience": "Managers and administrators in hospitals and clinics.",
                "level": rng.choice(["introductory", "intermediate", "advanced"]),
                "duration": f"{days} days",
                "duration_days": days,
                "delivery": delivery,
                "sessions": sessions,
                "certificate": "Certificate of completion.",
            }
        )
    return courses


def visitor_queries() -> list[CourseQuery]:
    """The kinds of question the bot turns into searches, from vague to very specific."""
    specs = [
        {"text": "billing"},
        {"text": "coding and billing courses"},
        {"text": "finance"},
        {"text": "do you have anything on budgets?"},
        {"text": "leadership course for new managers"},
        {"text": "HR and staffing"},
        {"text": "EHR records"},
        {"text": "I want something about patient safety in London in March"},
        {"topics": ["leadership"]},
        {"topics": ["patient records", "health information management"]},
        {"location": "Madrid"},
        {"location": "Spain"},
        {"location": "London"},
        {"month": 3},
        {"delivery": "online"},
        {"delivery": "in-house"},
        {"topics": ["financial planning"], "location": "London", "month": 3},
        {"topics": ["medical billing and coding"], "delivery": "online", "sort": "price"},
        {"field": "medical administration", "sort": "price", "limit": 5},
        {"field": "healthcare management", "location": "Paris", "sort": "date"},
        {"max_fee": 2000, "sort": "price", "limit": 5},
        {"text": "governance", "location": "Brussels"},
        {"text": "receptionist training online", "delivery": "online"},
        {"topics": ["scheduling and patient flow"], "location": "Europe", "month": 6, "year": 2027},
    ]
    return [CourseQuery(**spec) for spec in specs]


def summarise(label: str, samples_ns: list[int]) -> None:
    micros = sorted(ns / 1000 for ns in samples_ns)
    p95 = micros[min(len(micros) - 1, int(len(micros) * 0.95))]
    print(
        f"{label:<34} n={len(micros):>6}  mean {statistics.fmean(micros):8.1f} us  "
        f"median {statistics.median(micros):8.1f} us  p95 {p95:8.1f} us  max {micros[-1]:8.1f} us"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=1000)
    parser.add_argument("--searches", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    courses = generate_courses(args.courses, rng)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "courses.yml"
        path.write_text(yaml.safe_dump({"courses": courses}, sort_keys=False, allow_unicode=True))
        started = time.perf_counter()
        catalogue = load_catalogue(path)
        load_seconds = time.perf_counter() - started
        size_kb = path.stat().st_size / 1024

    sessions = sum(len(c.sessions) for c in catalogue.courses)
    print(f"catalogue: {len(catalogue)} courses, {sessions} sessions, {size_kb:.0f} KiB of YAML")
    print(f"load (read + parse YAML + validate + build indexes): {load_seconds * 1000:.1f} ms")

    queries = visitor_queries()
    for query in queries:  # warm caches the way a running server would have them
        catalogue.search(query, TODAY)

    timings: list[int] = []
    found = 0
    clock = time.perf_counter_ns
    cpu_started = time.process_time_ns()
    for i in range(args.searches):
        query = queries[i % len(queries)]
        started = clock()
        matches = catalogue.search(query, TODAY)
        timings.append(clock() - started)
        found += len(matches)
    cpu_per_search = (time.process_time_ns() - cpu_started) / args.searches / 1000
    print(f"{args.searches} searches over {len(queries)} query shapes, {found / args.searches:.0f} matches on average")
    summarise("search(query, today)", timings)
    # On a shared machine wall-clock includes time the process was pre-empted; CPU time does not.
    print(f"{'  CPU time per search':<34} {cpu_per_search:8.1f} us (process_time over the whole loop)")
    top_five = [q.copy(update={"limit": 5}) for q in queries]
    summarise(
        "search, top 5 only (as the bot asks)", [_time(lambda q=q: catalogue.search(q, TODAY)) for q in top_five * 200]
    )

    texts = ["billing", "coding and billing courses", "I want something about patient safety in London in March"]
    summarise("build CourseQuery from text", [_time(lambda t=t: CourseQuery(text=t)) for t in texts * 300])
    summarise("find_course by code", [_time(lambda: catalogue.find_course("ma 345")) for _ in range(1000)])
    summarise(
        "find_course by fuzzy title", [_time(lambda: catalogue.find_course("practical leadrship")) for _ in range(100)]
    )
    stuck = CourseQuery(topics=["leadership"], location="Istanbul", month=2)
    summarise(
        "nearest_alternatives (2 retries)",
        [_time(lambda: catalogue.nearest_alternatives(stuck, TODAY)) for _ in range(300)],
    )


def _time(call) -> int:
    started = time.perf_counter_ns()
    call()
    return time.perf_counter_ns() - started


if __name__ == "__main__":
    main()
