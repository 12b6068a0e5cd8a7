"""One outbox for every e-mail peerprog sends.

Whatever sends mail (reminders, letters, notifications, invitations,
password resets) renders it once and hands it to the outbox as a row with a
stable Message-ID, inside the same transaction as the change that caused
it. Delivery lives only here:

* a sender claims one row at a time with a lease, sends it on a connection
  kept open for the batch, and marks it accepted in its own short
  transaction as soon as the mail server has answered its DATA: nothing is
  marked sent before the server has it, and at most one message is at risk
  of a second send when a worker dies;
* a claim whose worker died expires, and the periodic sweep sends the row
  again with the same Message-ID, so a duplicate is recognisable;
* failures back off, then end as failed, visible to an admin who can try
  them again;
* accepted messages lose their body after ``OUTBOX_BODY_DAYS`` and the row
  goes after ``OUTBOX_KEEP_DAYS``.

* ``models``: ``OutboxEmail`` (re-exported by ``peerprog.core.models``);
* ``services``: queueing, claiming, marking accepted or failed, retry, purge;
* ``sender``: the SMTP batch;
* ``selectors``: what an admin sees.
"""
