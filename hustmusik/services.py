"""Helpers every app's services share."""

from __future__ import annotations

from django.db import models


def model_update(*, instance: models.Model, fields: list[str], data: dict, changed: list[str] = ()) -> bool:
    """Apply the partial update `data` to `instance`, where `fields` is all an update may change.

    Saves only the fields whose value changed (and `updated_at`), together with `changed`
    (fields the caller already set, such as a replaced image); writes nothing when nothing
    changed. Returns whether anything was written. A key outside `fields` is a programming
    error, not input to ignore.
    """
    unexpected = set(data) - set(fields)
    if unexpected:
        raise TypeError(f"{type(instance).__name__} updates cannot set {', '.join(sorted(unexpected))}")
    update_fields = list(changed)
    for name, value in data.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            update_fields.append(name)
    if not update_fields:
        return False
    if any(field.name == "updated_at" for field in instance._meta.concrete_fields):
        update_fields.append("updated_at")
    instance.save(update_fields=sorted(set(update_fields)))
    return True
