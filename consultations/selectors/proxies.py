"""Reads of written proxies (书面委托)."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from consultations.models import Session, WrittenProxy
from consultations.selectors.attendance import entitled_members
from villagegov.models import Body, Person


@dataclass(frozen=True)
class Citation:
    zh: str
    en: str

    def citation(self) -> str:
        return self.zh if (get_language() or "zh-hans").startswith("zh") else self.en


PROXY_CITATION = Citation(
    zh="《中华人民共和国农村集体经济组织法》（2024年）第二十七条",
    en="Law on Rural Collective Economic Organisations (2024), Art. 27",
)

# Bodies whose rules let an absent member vote through a written proxy.
PROXY_BODIES = frozenset({Body.MEMBERS_ASSEMBLY})


def proxies_allowed(session: Session) -> bool:
    return session.council.body in PROXY_BODIES


def proxies_refused(session: Session) -> str:
    """Why the session's body takes no written proxy, with the citation."""
    return _(
        "Written proxies count only at a members' assembly (成员大会), not at a %(body)s — %(citation)s"
    ) % {"body": session.council.get_body_display(), "citation": PROXY_CITATION.citation()}


def session_proxies(session: Session) -> QuerySet[WrittenProxy]:
    return (
        WrittenProxy.objects.filter(session=session)
        .select_related("grantor__household", "holder", "recorded_by")
        .order_by("id")
    )


def proxy_candidates(session: Session) -> list[Person]:
    """Members who may give or hold a proxy: those with a household, by household then name."""
    return list(
        entitled_members(session)
        .filter(household__isnull=False)
        .select_related("household")
        .order_by("household__number", "name", "pk")
    )
