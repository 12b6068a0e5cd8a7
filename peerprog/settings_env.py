"""Reading peerprog's settings from the environment: typed environment
variables, the e-mail URL, and allauth's provider settings. Kept apart from
``peerprog.settings`` so that module holds only the settings themselves."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

# The one provider's id, part of the redirect URI registered with it.
SSO_PROVIDER_ID = "organisation"


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def sso_providers(*, issuer: str, client_id: str, secret: str, name: str) -> dict[str, object]:
    """allauth's provider settings for the one OpenID Connect provider (none
    when ``issuer`` is empty): discovery from the issuer, PKCE on."""
    apps = [
        {
            "provider_id": SSO_PROVIDER_ID,
            "name": name,
            "client_id": client_id,
            "secret": secret,
            "settings": {
                "server_url": issuer,
                "oauth_pkce_enabled": True,
                "token_auth_method": "client_secret_post",
            },
        }
    ]
    return {
        "openid_connect": {"APPS": apps if issuer else [], "SCOPE": ["openid", "email", "profile"]}
    }


def sso_issuer_origin(*, issuer: str, complete: bool, plain_http_allowed: bool) -> str:
    """The scheme and host of the single sign-on provider ("" with SSO
    off), once its settings are known to be whole: the client's id and
    secret and the allowed domains, and https outside development."""
    if not issuer:
        return ""
    if not complete:
        raise ImproperlyConfigured(
            "SSO_ISSUER_URL is set, so SSO_CLIENT_ID, SSO_CLIENT_SECRET and "
            "SSO_ALLOWED_DOMAINS must be set too."
        )
    parts = urlsplit(issuer)
    if parts.scheme != "https" and not plain_http_allowed:
        raise ImproperlyConfigured("SSO_ISSUER_URL must start with https://.")
    return f"{parts.scheme}://{parts.netloc}"


def visibility_timeout(task_time_limit: int) -> int:
    """Seconds Redis waits before it delivers an unacknowledged task again
    (CELERY_VISIBILITY_TIMEOUT), which must be longer than the tasks' hard
    time limit."""
    seconds = env_int("CELERY_VISIBILITY_TIMEOUT", 2 * 60 * 60)
    if seconds <= task_time_limit:
        raise ImproperlyConfigured(
            "CELERY_VISIBILITY_TIMEOUT must be longer than CELERY_TASK_TIME_LIMIT."
        )
    return seconds


def email_settings(url: str) -> dict[str, object]:
    """Turn EMAIL_URL (smtp://, smtp+tls://, smtp+ssl://, console://,
    file:///path, locmem://, dummy://) into Django's e-mail settings."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "dummy":
        return {"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    if scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path),
        }
    if scheme in {"smtp", "smtp+tls", "smtp+ssl"}:
        query = parse_qs(parts.query)
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or (465 if scheme == "smtp+ssl" else 587),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": scheme == "smtp+tls",
            "EMAIL_USE_SSL": scheme == "smtp+ssl",
            "EMAIL_TIMEOUT": int(query.get("timeout", ["20"])[0]),
        }
    raise ImproperlyConfigured(f"EMAIL_URL has an unknown scheme {scheme!r}.")


def private_storage(kind: str) -> dict[str, object]:
    """The ``STORAGES["private"]`` entry for the store named by
    ``PRIVATE_STORAGE``: ``local`` (a directory, the default), ``azure``
    (Azure Blob Storage) or ``s3`` (an S3-compatible object store). Files in
    it are never given a public address: peerprog's views stream them after
    checking who is asking."""
    kind = (kind or "local").lower()
    if kind == "local":
        return {"BACKEND": "peerprog.core.storage.LocalPrivateStorage"}
    if kind == "azure":
        options: dict[str, object] = {
            "azure_container": env_str("AZURE_STORAGE_CONTAINER", "peerprog-private"),
            # Names are random: no need to ask the store whether one is taken.
            "overwrite_files": True,
            "expiration_secs": None,
        }
        connection_string = env_str("AZURE_STORAGE_CONNECTION_STRING")
        account_name = env_str("AZURE_STORAGE_ACCOUNT_NAME")
        if connection_string:
            options["connection_string"] = connection_string
        elif account_name:
            options["account_name"] = account_name
            options["account_key"] = env_str("AZURE_STORAGE_ACCOUNT_KEY") or None
        else:
            raise ImproperlyConfigured(
                "PRIVATE_STORAGE=azure needs AZURE_STORAGE_CONNECTION_STRING, or "
                "AZURE_STORAGE_ACCOUNT_NAME and AZURE_STORAGE_ACCOUNT_KEY."
            )
        return {"BACKEND": "storages.backends.azure_storage.AzureStorage", "OPTIONS": options}
    if kind == "s3":
        bucket = env_str("S3_BUCKET")
        if not bucket:
            raise ImproperlyConfigured("PRIVATE_STORAGE=s3 needs S3_BUCKET.")
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
                "region_name": env_str("S3_REGION") or None,
                # Credentials come from AWS_ACCESS_KEY_ID and
                # AWS_SECRET_ACCESS_KEY (or the machine's role), read by boto3.
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": True,
            },
        }
    raise ImproperlyConfigured(f"PRIVATE_STORAGE must be local, azure or s3, not {kind!r}.")


def logging_settings(level: str) -> dict[str, object]:
    """Logs name records by id only: never names, notes or health facts."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
        "filters": {
            "client_error_without_traceback": {
                "()": "peerprog.core.log_filters.ClientErrorWithoutTraceback"
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own console handler (when DEBUG is on) would print each
            # record a second time beside ours: its records go to the root alone.
            "django": {"handlers": [], "level": level},
            "django.request": {"filters": ["client_error_without_traceback"]},
            "django.db.backends": {"level": "WARNING"},
            "axes": {"level": "WARNING"},
            # The Azure client logs every request and its headers at INFO.
            "azure": {"level": "WARNING"},
            # WeasyPrint (PDF letters) reports every step of every document.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }
