"""Domain events recruitment announces to later parts of the journey.

``application_accepted`` is sent inside the transaction that accepts an
application, with ``application=`` the accepted Application and ``by=`` the
user who accepted it. The training app listens and enrols the person;
recruitment never imports training.
"""

from __future__ import annotations

from django.dispatch import Signal

application_accepted = Signal()
