"""A person's own pages, under /my/. Every page is for accounts that hold a
person record (``person_required``) and reads only that account's records,
so a changed id gives 404."""

from __future__ import annotations

from django.urls import path

from selfservice.views import account, home

app_name = "selfservice"

urlpatterns = [
    path("", home.home, name="home"),
    path("details/", account.my_details, name="details"),
]
