"""Setting up a village's collective: its organisation and the first-level chart of accounts."""

from django.db import transaction

from assets.chart import FIRST_LEVEL
from assets.models import Account, Collective
from villagegov.models import Village


@transaction.atomic
def collective_install(*, village: Village) -> Collective:
    """Give the village its collective and the 2023 chart's first-level accounts; idempotent."""
    collective, _created = Collective.objects.get_or_create(
        # A proper name, as registered in Chinese; the village can rename it.
        village=village,
        defaults={"name": f"{village.name}股份经济联合社"},
    )
    present = set(Account.objects.filter(village=village, parent__isnull=True).values_list("code", flat=True))
    Account.objects.bulk_create(
        Account(
            village=village,
            code=account.code,
            name=account.name,
            name_en=account.name_en,
            kind=account.kind,
            normal_side=account.normal_side,
        )
        for account in FIRST_LEVEL
        if account.code not in present
    )
    return collective
