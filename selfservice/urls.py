"""A person's own pages, under /my/. Every page is for accounts that hold a
person record (``person_required``) and reads only that account's records,
so a changed id gives 404."""

from __future__ import annotations

from django.urls import path

from selfservice.views import home, worker

app_name = "selfservice"

urlpatterns = [
    path("", home.home, name="home"),
    path("job/<int:pk>/", worker.my_job, name="my-job"),
    path("supervision/<int:pk>/", worker.my_supervision, name="my-supervision"),
    path("wellbeing-plan/<int:pk>/", worker.my_wellbeing_plan, name="my-wellbeing-plan"),
    path(
        "wellbeing-plan/<int:pk>/change/",
        worker.my_wellbeing_plan_edit,
        name="my-wellbeing-plan-edit",
    ),
]
