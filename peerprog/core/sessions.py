"""The database session store, writing an unchanged session back at most
once a minute.

Sessions end after 30 minutes without a request, so every request moves the
end back (``SESSION_SAVE_EVERY_REQUEST``). Writing the session on every page
costs three statements (begin, update, commit); when nothing in the session
changed and its end was moved less than a minute ago, the write is skipped.
The idle timeout is then between 29 and 30 minutes: never longer.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.sessions.backends import db

REFRESH = timedelta(minutes=1)


class SessionStore(db.SessionStore):
    _stored_expiry: datetime | None = None

    def load(self) -> dict[str, Any]:
        stored = self._get_session_from_db()
        if stored is None:
            self._stored_expiry = None
            return {}
        self._stored_expiry = stored.expire_date
        return self.decode(stored.session_data)

    def save(self, must_create: bool = False) -> None:
        if not must_create and self.session_key is not None:
            self._get_session()  # loads the stored expiry
            stored = self._stored_expiry
            if (
                not self.modified
                and stored is not None
                and self.get_expiry_date() - stored < REFRESH
            ):
                return
        super().save(must_create=must_create)
        self._stored_expiry = self.get_expiry_date()
