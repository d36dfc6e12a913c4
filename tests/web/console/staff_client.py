"""A member of staff using the console through Sanic's test client: keeps the cookies, fills in CSRF tokens."""

from __future__ import annotations

import re

from sanic import Sanic

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_in(page: str) -> str:
    match = CSRF_FIELD.search(page)
    assert match, "no CSRF token on the page"
    return match.group(1)


class StaffClient:
    def __init__(self, app: Sanic):
        self.app = app
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items() if value)
        return {**({"Cookie": cookie} if cookie else {}), **(headers or {})}

    def _keep(self, response) -> None:
        for header in response.headers.get_list("set-cookie"):
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0].strip('"')
            if "Max-Age=0" in header or not value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def get(self, path: str, headers: dict[str, str] | None = None, **kwargs):
        _, response = self.app.test_client.get(path, headers=self._headers(headers), allow_redirects=False, **kwargs)
        self._keep(response)
        return response

    def post(self, path: str, data: dict | None = None, csrf: str | None = None, headers=None, **kwargs):
        form = {"csrf_token": self.csrf if csrf is None else csrf, **(data or {})}
        if form["csrf_token"] == "":
            del form["csrf_token"]
        _, response = self.app.test_client.post(
            path, data=form, headers=self._headers(headers), allow_redirects=False, **kwargs
        )
        self._keep(response)
        return response

    def login(self, email: str, password: str, headers: dict[str, str] | None = None, next_path: str = ""):
        page = self.get("/console/login", headers=headers)
        response = self.post(
            "/console/login",
            {"email": email, "password": password, "next": next_path},
            csrf=csrf_in(page.text),
            headers=headers,
        )
        if response.status == 303:
            self.csrf = csrf_in(self.get("/console/leads").text)
        return response
