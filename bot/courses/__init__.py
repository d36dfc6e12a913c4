"""The course catalogue: load ``data/courses.yml``, validate it, search it, and
talk about it (a visitor's words as a query, the course meant, the replies).

Modules: ``vocabulary`` (topics, synonyms, places, the normaliser), ``model``
(courses, sessions, queries, results), ``index`` and ``catalogue`` (search,
filters, ranking, alternatives), ``loading`` (the file and its errors), ``store``
(the current catalogue, reloaded on edit), ``requests`` (visitor words -> query),
``references`` (which course a visitor means) and ``replies`` (the messages).

Why it looks like this:

- Admissions staff edit the catalogue by hand, so a bad edit must fail with a
  message that names the file, the course (code, or position when the code is
  missing), the field and the line, never with a traceback from deep inside
  the bot. All problems in a file are reported at once.
- A search runs on every course question, so visitors' words are matched with
  a small deterministic normaliser, a synonym table and indexes built once at
  load, not with spaCy (which the NLU pipeline already ran upstream).
- "Today" is always passed in (``search(query, today)``) or comes from the
  store's injected clock, so date behaviour is testable.

Rules a catalogue file must follow (also summarised at the top of courses.yml):

- ``sessions`` may be empty only when ``delivery`` includes ``in-house``:
  in-house programmes run on dates agreed with each client. There is no
  self-paced / on-demand delivery; an online course lists its live online
  sessions, each with city and country ``Online``.
- A classroom session needs ``classroom`` in ``delivery``; an online session
  needs ``online``.
- Dates are ``YYYY-MM-DD``; fees are whole pounds above zero; codes look like
  ``HM-101`` and are unique; topics come from :data:`bot.courses.vocabulary.TOPICS`.
"""
