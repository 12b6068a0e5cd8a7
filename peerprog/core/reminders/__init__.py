"""Reminders that are never lost and never doubled.

Apps describe who needs reminding in their own ``reminders.py`` (rules that
reuse their selectors) and register the kinds of reminder they raise. The
kernel stores each reminder once under its stable key (kind, object,
recipient, period), puts it in the recipient's notification list, and e-mails
it through a lease: a send claims the row for a while, marks it sent after
the mail server accepted it, and a claim whose worker died simply expires so
that the next sweep sends it again.

* ``registry``: kinds of reminder and the rule groups that raise them;
* ``models``: ``Reminder`` and ``ReminderEmailOptOut`` (re-exported by
  ``peerprog.core.models``);
* ``services``: raising reminders in bulk, claiming, marking sent or failed,
  and each user's e-mail choices;
* ``selectors``: reminders due for sending, a user's e-mail choices;
* ``formatting``: how every app's rules write a date and a person's name.
"""
