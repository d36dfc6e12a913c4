"""What the actions share in one action-server process: settings, the
course catalogue, the back office (``bot.staff.back_office``: the lead repository
with its notification outbox, on one engine) and the live-handoff store on that
same engine. Built on first use, not at import, so importing an action module
never touches files or databases."""

from __future__ import annotations

from functools import lru_cache

from bot.courses.store import CatalogueStore
from bot.handoff.store import HandoffStore
from bot.leads.repository import LeadRepository
from bot.settings import Settings
from bot.staff.back_office import BackOffice


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.from_env()


@lru_cache(maxsize=1)
def catalogue() -> CatalogueStore:
    fixed_day = settings().today
    path = settings().project_root / "data" / "courses.yml"
    return CatalogueStore(path, clock=lambda: fixed_day) if fixed_day else CatalogueStore(path)


@lru_cache(maxsize=1)
def back_office() -> BackOffice:
    return BackOffice.from_settings(settings())


@lru_cache(maxsize=1)
def lead_repository() -> LeadRepository:
    return back_office().leads()


@lru_cache(maxsize=1)
def handoff_store() -> HandoffStore:
    return HandoffStore(back_office().sessions)
