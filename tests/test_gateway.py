"""Gateway HTTP tests (through Sanic's test client)."""

import pytest

from bot.settings import Settings
from bot.web.app import create_app


@pytest.fixture
def app(tmp_path):
    # Nothing listens on these ports: upstreams are unreachable.
    settings = Settings.from_env(
        {
            "BOT_PROJECT_ROOT": str(tmp_path),
            "RASA_URL": "http://127.0.0.1:9",
            "ACTION_SERVER_URL": "http://127.0.0.1:9",
        }
    )
    return create_app(settings)


def test_health_reports_unreachable_upstreams(app):
    _, response = app.test_client.get("/healthz")
    assert response.status == 200
    assert response.json == {"gateway": "ok", "rasa": "unreachable", "action_server": "unreachable"}


def test_home_page_says_where_to_chat(app):
    _, response = app.test_client.get("/")
    assert response.status == 200
    assert "/webhooks/rest/webhook" in response.text
    assert "make shell" in response.text


def test_unknown_route_is_a_json_404(app):
    _, response = app.test_client.get("/nope")
    assert response.status == 404
    assert response.json["status"] == 404
