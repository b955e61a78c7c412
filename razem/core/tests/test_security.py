"""Security headers, CSRF and the production settings check."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import Client
from django.urls import reverse

from razem.conftest import client_for

ROOT = Path(__file__).resolve().parents[3]


def test_every_page_carries_a_strict_content_security_policy(partnership_a):
    response = client_for(None).get(reverse("partnership", args=[partnership_a.slug]))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_pages_contain_no_inline_script(partnership_a, coordinator):
    pages = [reverse("partnership", args=[partnership_a.slug]), reverse("home"),
             reverse("partnership_dashboard", args=[partnership_a.slug])]
    client = client_for(coordinator)
    for url in pages:
        html = client.get(url).content.decode()
        # json_script data blocks are allowed: the browser does not execute them.
        scripts = [chunk for chunk in html.split("<script")[1:]
                   if 'type="application/json"' not in chunk.split(">", 1)[0]]
        assert all(" src=" in chunk.split(">", 1)[0] for chunk in scripts), url


def test_forged_post_without_csrf_token_is_refused(partnership_a, coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = client.post(reverse("members", args=[partnership_a.slug]),
                            {"email": "x@example.pl", "role": "observer"})
    assert response.status_code == 403
    assert not partnership_a.invitations.exists()


def test_check_deploy_is_clean_under_production_settings():
    env = {**os.environ, "RAZEM_PRODUCTION": "true", "SECRET_KEY": secrets.token_urlsafe(50),
           "ALLOWED_HOSTS": "razem.example.pl", "DEBUG": "false"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key():
    env = {**os.environ, "RAZEM_PRODUCTION": "true", "SECRET_KEY": ""}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_bad_boolean_in_environment_fails_loudly():
    env = {**os.environ, "DEBUG": "maybe"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0 and "DEBUG" in result.stderr
