"""Smoke checks that run as plain scripts against any database: a crawl of
every page each user is offered, and a count of every table."""
