"""Gateway HTTP tests (through Sanic's test client): pages, widget files, headers, health."""

import re

import pytest

from bot.web.assets import STATIC_DIR
from tests.web.offline_gateway import offline_gateway


@pytest.fixture
def app(tmp_path):
    return offline_gateway(tmp_path)


def test_health_reports_unreachable_upstreams(app):
    _, response = app.test_client.get("/healthz")
    assert response.status == 200
    assert response.json == {"gateway": "ok", "rasa": "unreachable", "action_server": "unreachable"}


def test_unknown_route_is_a_json_404(app):
    _, response = app.test_client.get("/nope")
    assert response.status == 404
    assert response.json["status"] == 404


# --- the demo page -------------------------------------------------------------


def test_demo_page_is_a_course_page_with_the_widget(app):
    _, response = app.test_client.get("/")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "The British Academy" in page
    assert "Healthcare Management or Medical Administration?" in page
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert len(scripts) == 1 and 'src="/widget.js"' in scripts[0]
    for attribute in ("data-title", "data-greeting", "data-primary-color", 'data-privacy-url="/privacy"'):
        assert attribute in scripts[0]


@pytest.mark.parametrize("path", ["/", "/privacy"])
def test_pages_load_nothing_from_other_hosts(app, path):
    _, response = app.test_client.get(path)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", response.text)
    assert "<style" not in response.text and " style=" not in response.text  # CSP: style-src 'self'


def test_privacy_notice_for_the_chat(app):
    _, response = app.test_client.get("/privacy")
    assert response.status == 200
    page = response.text
    for words in ("The British Academy", "Why we use it", "How long we keep it", "UK GDPR", "admissions@"):
        assert words in page
    assert "Version 2026-11" in page


# --- widget files ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/widget.js", "application/javascript"),
        ("/widget.css", "text/css"),
        ("/static/demo.css", "text/css"),
    ],
)
def test_static_files_have_types_and_caching_headers(app, path, content_type):
    _, response = app.test_client.get(path)
    assert response.status == 200
    assert response.headers["content-type"].startswith(content_type)
    assert "max-age=" in response.headers["cache-control"]
    etag = response.headers["etag"]
    _, again = app.test_client.get(path, headers={"if-none-match": etag})
    assert again.status == 304
    assert again.content == b""
    _, stale = app.test_client.get(path, headers={"if-none-match": '"something-else"'})
    assert stale.status == 200


def test_widget_never_writes_html_from_strings():
    source = (STATIC_DIR / "widget.js").read_text()
    for dangerous in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert dangerous not in source


def test_widget_files_name_no_other_host():
    # Only the SVG namespace and the embedding example in the header comment mention a URL.
    for name in ("widget.js", "widget.css", "demo.css"):
        source = (STATIC_DIR / name).read_text()
        urls = set(re.findall(r"https?://[^\s\"')]+", source))
        assert urls <= {
            "http://www.w3.org/2000/svg",
            "https://chat.example.org/widget.js",
            "https://www.example.org/privacy",
        }
        assert "@import" not in source and "@font-face" not in source


# --- headers ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/privacy", "/widget.js", "/healthz", "/nope"])
def test_security_headers_on_every_response(app, path):
    _, response = app.test_client.get(path)
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'self'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
