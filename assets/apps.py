from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _install_collective(sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    # Assets builds on the core and the core never imports it: a new village gets its collective here.
    if created and not raw:
        from assets.services.collective import collective_install

        collective_install(village=instance)


class AssetsConfig(AppConfig):
    name = "assets"
    verbose_name = _("Collective assets")

    def ready(self) -> None:
        from villagegov.models import Village

        post_save.connect(_install_collective, sender=Village, dispatch_uid="assets_install_collective")
