"""Training's answer to recruitment's hand-over: an accepted application
becomes an enrolment, inside recruitment's own transaction."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from recruitment.signals import application_accepted
from training.services import enrolment_enrol


@receiver(application_accepted, dispatch_uid="training.enrol_on_acceptance")
def enrol_on_acceptance(sender: Any, application: Any, **kwargs: Any) -> None:
    enrolment_enrol(application=application, by=kwargs.get("by"))
