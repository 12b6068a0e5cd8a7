"""Print the number of rows of every model as JSON, to compare two runs of
the demo seeder: ``DEBUG=true python -m tests.smoke.counts``."""

from __future__ import annotations

import json
import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerprog.settings")
    import django

    django.setup()
    from django.apps import apps

    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy
    }
    print(json.dumps(counts, sort_keys=True))


if __name__ == "__main__":
    main()
