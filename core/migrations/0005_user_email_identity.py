"""Store every address in the one spelling sign-in and the duplicate check compare
(NFKC, lower case). An address whose spelling would collide with another account's is
left as it was, for a superuser to sort out: two people are never merged here."""

import unicodedata

from django.db import migrations


def _identity(email: str) -> str:
    # A copy of core.identity.email_identity as it is today: migrations keep their logic.
    return unicodedata.normalize("NFKC", email or "").strip().lower()


def emails_normalize(apps, schema_editor):
    User = apps.get_model("core", "User")
    # The table's unique constraint is on lower(email): compare in lower case too.
    taken = {email.lower() for email in User.objects.values_list("email", flat=True)}
    for user in User.objects.only("pk", "email").iterator(chunk_size=2000):
        identity = _identity(user.email)
        if identity == user.email or (identity != user.email.lower() and identity in taken):
            continue
        taken.discard(user.email.lower())
        taken.add(identity)
        User.objects.filter(pk=user.pk).update(email=identity)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_outbox_sending_lease")]

    operations = [migrations.RunPython(emails_normalize, migrations.RunPython.noop)]
