from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagegovConfig(AppConfig):
    name = "villagegov"
    verbose_name = _("Village and people")
