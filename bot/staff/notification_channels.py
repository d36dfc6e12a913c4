"""Sending one new-lead announcement: an email over SMTP, or a JSON POST to a webhook.

Blocking code (smtplib, urllib), run in a worker thread. The message says
that a lead arrived and links to it; contact details, the message and the
conversation stay in the console (the email names the person so admissions
can triage; the webhook, which may reach a chat tool, does not).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid
from zoneinfo import ZoneInfo

from bot.leads.views import LeadSummary
from bot.settings import Settings

TIMEOUT_SECONDS = 15
USER_AGENT = "british-academy-assistant/notifications"
SMTPS_PORT = 465


class DeliveryFailed(Exception):
    """This attempt did not deliver; the message says why (no secrets, no personal data)."""


@dataclass(frozen=True)
class LeadAnnouncement:
    lead_id: int
    reference: str
    received_at: datetime
    name: str
    interest: str | None
    courses: tuple[tuple[str, str], ...]
    location: str | None
    delivery: str | None
    console_url: str
    api_url: str


def announcement_for(lead: LeadSummary, settings: Settings) -> LeadAnnouncement:
    return LeadAnnouncement(
        lead_id=lead.id,
        reference=lead.reference,
        received_at=lead.created_at,
        name=lead.name,
        interest=lead.interest_field,
        courses=tuple((course.code, course.title) for course in lead.courses),
        location=lead.location,
        delivery=lead.delivery,
        console_url=f"{settings.public_base_url}/console/leads/{lead.id}",
        api_url=f"{settings.public_base_url}/api/leads/{lead.id}",
    )


# --- email -----------------------------------------------------------------------


def email_message(announcement: LeadAnnouncement, settings: Settings) -> EmailMessage:
    a = announcement
    received = a.received_at.astimezone(ZoneInfo(settings.staff_time_zone)).strftime("%d %b %Y %H:%M")
    courses = "; ".join(f"{code} {title}".strip() for code, title in a.courses) or "-"
    place = " / ".join(part for part in (a.location, a.delivery) if part) or "-"
    message = EmailMessage()
    message["Subject"] = f"New enquiry {a.reference}" + (f": {a.interest}" if a.interest else "")
    message["From"] = settings.smtp_from or settings.admissions_email
    message["To"] = settings.admissions_notify_email
    message["Message-ID"] = make_msgid(idstring=f"lead-{a.lead_id}")
    message.set_content(
        "\n".join(
            [
                "A new enquiry has arrived through the website assistant.",
                "",
                f"Reference:    {a.reference}",
                f"Received:     {received} ({settings.staff_time_zone})",
                f"Name:         {a.name}",
                f"Interest:     {a.interest or '-'}",
                f"Courses:      {courses}",
                f"Place:        {place}",
                "",
                f"Open it in the staff console: {a.console_url}",
                "",
                "Contact details and the conversation are in the console only.",
            ]
        )
    )
    return message


def send_email(announcement: LeadAnnouncement, settings: Settings) -> None:
    message = email_message(announcement, settings)
    try:
        if settings.smtp_port == SMTPS_PORT:
            client = smtplib.SMTP_SSL(
                settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS)
        with client:
            if settings.smtp_starttls and settings.smtp_port != SMTPS_PORT:
                client.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                client.login(settings.smtp_user, settings.smtp_password)
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryFailed(f"SMTP {settings.smtp_host}:{settings.smtp_port}: {_one_line(error)}") from error


# --- webhook ---------------------------------------------------------------------


def webhook_body(announcement: LeadAnnouncement) -> bytes:
    a = announcement
    payload = {
        "event": "lead.created",
        "lead": {
            "id": a.lead_id,
            "reference": a.reference,
            "created_at": a.received_at.isoformat(),
            "interest": a.interest,
            "courses": [{"code": code, "title": title} for code, title in a.courses],
            "location": a.location,
            "delivery": a.delivery,
        },
        "links": {"console": a.console_url, "api": a.api_url},
    }
    return json.dumps(payload, ensure_ascii=False).encode()


def webhook_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_webhook(announcement: LeadAnnouncement, settings: Settings) -> None:
    body = webhook_body(announcement)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        # The same lead may be announced twice (at-least-once delivery): receivers can drop repeats.
        "Idempotency-Key": f"lead-{announcement.lead_id}-created",
    }
    if settings.notify_webhook_secret:
        headers["X-Signature-SHA256"] = webhook_signature(settings.notify_webhook_secret, body)
    request = urllib.request.Request(settings.notify_webhook_url, data=body, headers=headers, method="POST")
    try:
        # NOTIFY_WEBHOOK_URL is refused by bot/settings.py unless it is http:// or https://.
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # nosec B310
            status = response.status
    except urllib.error.HTTPError as error:
        raise DeliveryFailed(f"webhook answered HTTP {error.code}") from error
    except (urllib.error.URLError, OSError) as error:
        raise DeliveryFailed(f"webhook unreachable: {_one_line(getattr(error, 'reason', error))}") from error
    if not 200 <= status < 300:
        raise DeliveryFailed(f"webhook answered HTTP {status}")


SENDERS = {"email": send_email, "webhook": post_webhook}


def _one_line(error: object) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__
