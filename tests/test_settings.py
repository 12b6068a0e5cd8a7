"""Production settings: what `check --deploy` covers, and what it does not
(session lifetime, upload limits, a Content-Security-Policy), read from a
fresh process started the way production starts it."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

BASE_DIR = Path(settings.BASE_DIR)
# Set by the test command, never in production.
TEST_ONLY_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}

PRINT_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECURE_PROXY_SSL_HEADER": settings.SECURE_PROXY_SSL_HEADER,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "CONTENT_SECURITY_POLICY": settings.CONTENT_SECURITY_POLICY,
    "MIDDLEWARE": settings.MIDDLEWARE,
    "SESSION_COOKIE_AGE": settings.SESSION_COOKIE_AGE,
    "SESSION_SAVE_EVERY_REQUEST": settings.SESSION_SAVE_EVERY_REQUEST,
    "DATA_UPLOAD_MAX_MEMORY_SIZE": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    "FILE_UPLOAD_MAX_MEMORY_SIZE": settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
    "DATA_UPLOAD_MAX_NUMBER_FIELDS": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
    "MAX_UPLOAD_SIZE": settings.MAX_UPLOAD_SIZE,
    "AXES_COOLOFF_TIME": str(settings.AXES_COOLOFF_TIME),
    "TIME_ZONE": settings.TIME_ZONE,
    "CELERY_TIMEZONE": settings.CELERY_TIMEZONE,
    "STATICFILES": settings.STORAGES["staticfiles"]["BACKEND"],
    "PASSWORD_HASHERS": settings.PASSWORD_HASHERS,
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
}))
"""


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY_VARIABLES}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="peerprog.example.org",
        PEERPROG_TESTING="0",
        DJANGO_SETTINGS_MODULE="peerprog.settings",
        SQLITE_PATH=str(tmp_path / "check.sqlite3"),
    )
    env.update(overrides)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def production_settings(tmp_path: Path) -> dict[str, Any]:
    result = run(["-c", PRINT_SETTINGS], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_mode_passes_the_deployment_checks_without_findings(tmp_path: Path) -> None:
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_trusts_the_tls_proxys_header_and_insists_on_https(
    production_settings: dict[str, Any],
) -> None:
    assert production_settings["DEBUG"] is False
    assert production_settings["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert production_settings["SECURE_SSL_REDIRECT"] is True
    assert production_settings["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert production_settings["SESSION_COOKIE_SECURE"] is True
    assert production_settings["CSRF_COOKIE_SECURE"] is True


def test_production_sends_a_strict_content_security_policy(
    production_settings: dict[str, Any],
) -> None:
    directives = production_settings["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert "csp.middleware.CSPMiddleware" in production_settings["MIDDLEWARE"]
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in source for sources in directives.values() for source in sources)


def test_production_sessions_end_after_thirty_idle_minutes(
    production_settings: dict[str, Any],
) -> None:
    assert production_settings["SESSION_COOKIE_AGE"] == 1800
    assert production_settings["SESSION_SAVE_EVERY_REQUEST"] is True


def test_production_limits_the_size_of_uploads(production_settings: dict[str, Any]) -> None:
    assert 0 < production_settings["DATA_UPLOAD_MAX_MEMORY_SIZE"] <= 10 * 1024 * 1024
    assert 0 < production_settings["FILE_UPLOAD_MAX_MEMORY_SIZE"] <= 10 * 1024 * 1024
    assert 0 < production_settings["DATA_UPLOAD_MAX_NUMBER_FIELDS"] <= 10_000
    assert 0 < production_settings["MAX_UPLOAD_SIZE"] <= 50 * 1024 * 1024


def test_production_keeps_uk_time_for_the_site_and_for_scheduled_work(
    production_settings: dict[str, Any],
) -> None:
    assert production_settings["TIME_ZONE"] == "Europe/London"
    assert production_settings["CELERY_TIMEZONE"] == "Europe/London"
    assert production_settings["AXES_COOLOFF_TIME"] != "None"


def test_production_uses_the_real_password_hashers_and_hashed_static_files(
    production_settings: dict[str, Any],
) -> None:
    assert "MD5" not in " ".join(production_settings["PASSWORD_HASHERS"])
    assert production_settings["STATICFILES"].endswith("CompressedManifestStaticFilesStorage")
    assert production_settings["EMAIL_BACKEND"].endswith("smtp.EmailBackend")


PRINT_CELERY = """
import json
import django
django.setup()
from peerprog.celery import app
from peerprog.core.outbox.services import RETRY_CAP
app.loader.import_default_modules()
conf = app.conf
print(json.dumps({
    "always_eager": conf.task_always_eager,
    "acks_late": conf.task_acks_late,
    "reject_on_worker_lost": conf.task_reject_on_worker_lost,
    "prefetch_multiplier": conf.worker_prefetch_multiplier,
    "cancel_on_connection_loss": conf.worker_cancel_long_running_tasks_on_connection_loss,
    "visibility_timeout": conf.broker_transport_options["visibility_timeout"],
    "longest_time_limit": max(
        [conf.task_time_limit] + [task.time_limit or 0 for task in app.tasks.values()]
    ),
    "longest_retry_countdown": RETRY_CAP.total_seconds(),
    "timezone": str(conf.timezone),
}))
"""


def test_production_workers_deliver_a_task_cut_short_again_and_never_run_one_twice(
    tmp_path: Path,
) -> None:
    env = production_env(tmp_path, REDIS_URL="redis://redis.internal:6379/0")
    result = run(["-c", PRINT_CELERY], env)
    assert result.returncode == 0, result.stderr
    celery = json.loads(result.stdout.strip().splitlines()[-1])

    assert celery["always_eager"] is False
    assert celery["acks_late"] is True
    assert celery["reject_on_worker_lost"] is True
    assert celery["cancel_on_connection_loss"] is True
    assert celery["prefetch_multiplier"] == 1
    assert celery["visibility_timeout"] > celery["longest_time_limit"] > 0
    assert celery["visibility_timeout"] > celery["longest_retry_countdown"]
    assert celery["timezone"] == "Europe/London"


def test_starting_without_a_secret_key_and_debug_off_fails_with_a_clear_message(
    tmp_path: Path,
) -> None:
    env = production_env(tmp_path)
    del env["SECRET_KEY"]

    result = run(["manage.py", "check"], env)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_setting_with_a_bad_value_stops_the_start_with_a_clear_message(
    tmp_path: Path,
) -> None:
    result = run(["manage.py", "check"], production_env(tmp_path, AXES_FAILURE_LIMIT="five"))

    assert result.returncode != 0
    assert "AXES_FAILURE_LIMIT must be a whole number, not 'five'" in result.stderr


def test_the_models_have_no_changes_without_a_migration(tmp_path: Path) -> None:
    result = run(["manage.py", "makemigrations", "--check", "--dry-run"], production_env(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_pages_carry_the_content_security_policy_header(db: Any) -> None:
    response = Client().get(reverse("login"))

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_postgresql_connections_run_without_the_jit_compiler_and_are_checked(db: Any) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        (jit,) = cursor.fetchone()

    assert jit == "off"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
