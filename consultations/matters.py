"""Matters that only certain bodies may decide (DOMAIN.md: Art. 24 and 27 of the Organic Law;
the 2024 law for the collective's property and members' rights).

A motion that names one of these matters can only be put to a body that decides it in law, or to
a body the law lets it be delegated to once the village has recorded that delegation (授权: the
村民会议 to the 村民代表会议, the 成员大会 to the 成员代表大会). The app names the bodies and the article.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from villagegov.models import Body


class Matter(models.TextChoices):
    LOST_WORK_ALLOWANCE = "lost_work_allowance", _("lost-work allowances (误工补贴)")
    COLLECTIVE_INCOME_USE = (
        "collective_income_use",
        _("use of the village's collective income (集体收益使用)"),
    )
    PUBLIC_WELFARE_PROJECT = "public_welfare_project", _("public-welfare projects and levies (公益事业)")
    LAND_CONTRACTING_PLAN = "land_contracting_plan", _("land-contracting plan (土地承包经营方案)")
    COLLECTIVE_PROJECT = "collective_project", _("collective economic projects (集体经济项目)")
    HOMESTEAD_PLAN = "homestead_plan", _("homestead allocation plan (宅基地使用方案)")
    LAND_COMPENSATION = "land_compensation", _("use and distribution of land compensation (征地补偿费)")
    PROPERTY_DISPOSAL = (
        "property_disposal",
        _("lending, leasing or disposing of collective property (集体财产处分)"),
    )
    CHARTER_OR_COMPACT = (
        "charter_or_compact",
        _("village charter or village compact (村民自治章程、村规民约)"),
    )
    COLLECTIVE_DISTRIBUTION = (
        "collective_distribution",
        _("distribution of the collective economic organisation's income (集体经济组织收益分配)"),
    )


@dataclass(frozen=True)
class MatterRule:
    bodies: tuple[Body, ...]  # decide it in law
    citation_zh: str
    citation_en: str
    delegable_to: tuple[Body, ...] = ()  # decide it once the body above delegated it

    @property
    def citation(self) -> str:
        return self.citation_zh if (get_language() or "zh-hans").startswith("zh") else self.citation_en


_ART_24 = MatterRule(
    bodies=(Body.VILLAGERS_ASSEMBLY,),
    delegable_to=(Body.REPRESENTATIVES_MEETING,),
    citation_zh="《村民委员会组织法》第二十四条（村民代表会议经村民会议授权）",
    citation_en="Organic Law, Art. 24 (the representatives' meeting when the assembly delegated it)",
)

DECIDED_BY: dict[Matter, MatterRule] = {
    **{
        matter: _ART_24
        for matter in (
            Matter.LOST_WORK_ALLOWANCE,
            Matter.COLLECTIVE_INCOME_USE,
            Matter.PUBLIC_WELFARE_PROJECT,
            Matter.LAND_CONTRACTING_PLAN,
            Matter.COLLECTIVE_PROJECT,
            Matter.HOMESTEAD_PLAN,
            Matter.LAND_COMPENSATION,
            Matter.PROPERTY_DISPOSAL,
        )
    },
    Matter.CHARTER_OR_COMPACT: MatterRule(
        bodies=(Body.VILLAGERS_ASSEMBLY,),
        citation_zh="《村民委员会组织法》第二十七条",
        citation_en="Organic Law, Art. 27",
    ),
    Matter.COLLECTIVE_DISTRIBUTION: MatterRule(
        bodies=(Body.MEMBERS_ASSEMBLY,),
        delegable_to=(Body.MEMBERS_REPRESENTATIVES,),
        citation_zh="《农村集体经济组织法》第二十六条、第二十八条",
        citation_en="Law on Rural Collective Economic Organisations, Arts. 26 and 28",
    ),
}
