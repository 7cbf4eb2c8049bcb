from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagegovConfig(AppConfig):
    name = "villagegov"
    verbose_name = _("Village and people")

    def ready(self) -> None:
        # Connects the receivers that audit password and second-factor changes, and registers
        # the `any_of` lookup of the batched ballot queries.
        from villagegov import bulk_sql, receivers  # noqa: F401
