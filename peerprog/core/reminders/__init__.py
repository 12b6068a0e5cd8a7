"""Reminders that are never lost and never doubled.

Apps describe who needs reminding in their own ``reminders.py`` (rules that
reuse their selectors) and register the kinds of reminder they raise. The
kernel stores each reminder once under its stable key (kind, object,
recipient, period), puts it in the recipient's notification list, and hands
its e-mail to the outbox (``peerprog.core.outbox``), which delivers it.

* ``registry``: kinds of reminder and the rule groups that raise them;
* ``models``: ``Reminder`` and ``ReminderEmailOptOut`` (re-exported by
  ``peerprog.core.models``);
* ``services``: raising reminders in bulk, and each user's e-mail choices;
* ``selectors``: a user's e-mail choices, who holds a role;
* ``formatting``: how every app's rules write a date and a person's name.
"""
