"""The rule sets the app ships, as data with citations (DOMAIN.md).

Installed by a data migration and kept idempotent, so a fresh database always has
them. A new text of a law is a new entry here (or a copy made in the admin) and a
village is moved to it by changing its rule set; no code changes.
"""

from collections import defaultdict
from datetime import date
from typing import Any

ORGANIC_LAW = (
    "《中华人民共和国村民委员会组织法》（2018年修正）",
    "Organic Law of the Villagers' Committees (2018)",
)
COLLECTIVE_LAW = (
    "《中华人民共和国农村集体经济组织法》（2024年）",
    "Law on Rural Collective Economic Organisations (2024)",
)


def cite(law: tuple[str, str], article_zh: str, article_en: str) -> dict[str, str]:
    return {"citation_zh": f"{law[0]}{article_zh}", "citation_en": f"{law[1]}, {article_en}"}


def threshold(
    purpose: str, counted: str, basis: str, fraction: tuple[int, int], *, strict: bool, **citation: str
) -> dict[str, Any]:
    return {
        "purpose": purpose,
        "counted": counted,
        "basis": basis,
        "numerator": fraction[0],
        "denominator": fraction[1],
        "strict": strict,
        **citation,
    }


ART_15 = cite(ORGANIC_LAW, "第十五条", "Art. 15")
ART_16 = cite(ORGANIC_LAW, "第十六条", "Art. 16")
ART_21 = cite(ORGANIC_LAW, "第二十一条", "Art. 21")
ART_22 = cite(ORGANIC_LAW, "第二十二条", "Art. 22")
ART_25 = cite(ORGANIC_LAW, "第二十五条", "Art. 25")
ART_26 = cite(ORGANIC_LAW, "第二十六条", "Art. 26")
ART_28 = cite(ORGANIC_LAW, "第二十八条", "Art. 28")
CEO_ART_26 = cite(COLLECTIVE_LAW, "第二十六条", "Art. 26")
CEO_ART_27 = cite(COLLECTIVE_LAW, "第二十七条", "Art. 27")
CEO_ART_28 = cite(COLLECTIVE_LAW, "第二十八条", "Art. 28")
CEO_ART_30 = cite(COLLECTIVE_LAW, "第三十条", "Art. 30")

HALF, TWO_THIRDS, THIRD, FIFTH, TENTH, FOUR_FIFTHS = (1, 2), (2, 3), (1, 3), (1, 5), (1, 10), (4, 5)

CONSULTATION_CITATION = {
    "citation_zh": "法律未规定法定人数，按本村议事规则；意见供决策参考",
    "citation_en": "No quorum in law; the village's own rules apply; advisory",
}

RULE_SETS: list[dict[str, Any]] = [
    {
        "code": "cn-2018-organic-2024-collective",
        "name_zh": "村民委员会组织法（2018）与农村集体经济组织法（2024）",
        "name_en": "Organic Law (2018) and Collective Economic Organisations Law (2024)",
        "effective_from": date(2025, 5, 1),
        "notes": (
            "Thresholds of the 2018 text of the Organic Law and the 2024 law on collective "
            "economic organisations (in force 2025-05-01). The 2025 amendment of the Organic "
            "Law renumbers articles from 2026-01-01: add it as a new rule set."
        ),
        "bodies": [
            {
                "body": "villagers_assembly",
                "notice_days": 10,
                **cite(ORGANIC_LAW, "第二十一条、第二十二条", "Arts. 21–22"),
                "thresholds": [
                    threshold("quorum", "attendees", "adult_villagers", HALF, strict=True, **ART_22),
                    threshold(
                        "quorum", "households_represented", "households", TWO_THIRDS, strict=False, **ART_22
                    ),
                    threshold("decision", "yes_votes", "attendees", HALF, strict=True, **ART_22),
                    threshold(
                        "convene_request", "signatures", "adult_villagers", TENTH, strict=False, **ART_21
                    ),
                    threshold(
                        "convene_request", "signatures", "representatives", THIRD, strict=False, **ART_21
                    ),
                    threshold(
                        "election_valid", "votes_cast", "registered_voters", HALF, strict=True, **ART_15
                    ),
                    threshold(
                        "election_elected", "candidate_votes", "votes_cast", HALF, strict=True, **ART_15
                    ),
                    threshold(
                        "election_second_round",
                        "candidate_votes",
                        "votes_cast",
                        THIRD,
                        strict=False,
                        **ART_15,
                    ),
                    threshold("recall_valid", "votes_cast", "registered_voters", HALF, strict=True, **ART_16),
                    threshold("recall_carried", "yes_votes", "votes_cast", HALF, strict=True, **ART_16),
                ],
            },
            {
                "body": "representatives_meeting",
                "notice_days": None,
                **cite(ORGANIC_LAW, "第二十五条、第二十六条", "Arts. 25–26"),
                "thresholds": [
                    threshold("quorum", "attendees", "all_members", TWO_THIRDS, strict=False, **ART_26),
                    threshold("decision", "yes_votes", "attendees", HALF, strict=True, **ART_26),
                    threshold(
                        "convene_request", "signatures", "representatives", FIFTH, strict=False, **ART_26
                    ),
                    threshold(
                        "composition", "representatives", "all_members", FOUR_FIFTHS, strict=False, **ART_25
                    ),
                    threshold("composition", "women", "all_members", THIRD, strict=False, **ART_25),
                ],
            },
            {
                "body": "villager_group_meeting",
                "notice_days": None,
                **ART_28,
                "thresholds": [
                    threshold("quorum", "attendees", "group_adults", TWO_THIRDS, strict=False, **ART_28),
                    threshold(
                        "quorum",
                        "households_represented",
                        "group_households",
                        TWO_THIRDS,
                        strict=False,
                        **ART_28,
                    ),
                    threshold("decision", "yes_votes", "attendees", HALF, strict=True, **ART_28),
                ],
            },
            {
                "body": "village_committee",
                "notice_days": None,
                **cite(ORGANIC_LAW, "第二条、第八条", "Arts. 2 and 8"),
                "thresholds": [],
            },
            *[
                {
                    "body": body,
                    "notice_days": None,
                    "advisory": True,
                    **CONSULTATION_CITATION,
                    "thresholds": [],
                }
                for body in (
                    "deliberation_council",
                    "residents_speak",
                    "public_sentiment_talk",
                    "peoples_deliberation",
                    "womens_deliberation",
                )
            ],
            {
                "body": "members_assembly",
                "notice_days": 10,
                **cite(COLLECTIVE_LAW, "第二十六条、第二十七条", "Arts. 26–27"),
                "thresholds": [
                    threshold("quorum", "attendees", "all_members", TWO_THIRDS, strict=False, **CEO_ART_27),
                    threshold("decision", "yes_votes", "all_members", TWO_THIRDS, strict=False, **CEO_ART_27),
                    threshold(
                        "convene_request", "signatures", "all_members", FIFTH, strict=False, **CEO_ART_26
                    ),
                ],
            },
            {
                "body": "members_representatives",
                "notice_days": None,
                **CEO_ART_28,
                "thresholds": [
                    threshold("decision", "yes_votes", "all_members", TWO_THIRDS, strict=False, **CEO_ART_28),
                ],
            },
            {
                "body": "board",
                "notice_days": None,
                **cite(COLLECTIVE_LAW, "第二十九条至第三十一条", "Arts. 29–31"),
                "thresholds": [
                    threshold("quorum", "attendees", "all_members", TWO_THIRDS, strict=False, **CEO_ART_30),
                    threshold("decision", "yes_votes", "all_members", HALF, strict=True, **CEO_ART_30),
                ],
            },
            {
                "body": "supervision_committee",
                "notice_days": None,
                **cite(ORGANIC_LAW, "第三十二条", "Art. 32"),
                "thresholds": [],
            },
        ],
    }
]

DEFAULT_RULE_SET_CODE = RULE_SETS[0]["code"]


def install_rule_sets(rule_set_model: Any, body_rule_model: Any, threshold_model: Any) -> None:
    """Create or refresh the shipped rule sets. Takes the models so a migration can pass its own.

    Shipped thresholds are updated in place and missing ones created; rows added in the admin
    are left alone, so refreshing the shipped data never wipes a village's own additions."""
    for spec in RULE_SETS:
        fields = {key: spec[key] for key in ("name_zh", "name_en", "effective_from", "notes")}
        rule_set, _ = rule_set_model.objects.update_or_create(code=spec["code"], defaults=fields)
        for body_spec in spec["bodies"]:
            body_fields = {
                "notice_days": body_spec["notice_days"],
                "advisory": body_spec.get("advisory", False),
                "citation_zh": body_spec["citation_zh"],
                "citation_en": body_spec["citation_en"],
            }
            body_rule, _ = body_rule_model.objects.update_or_create(
                rule_set=rule_set, body=body_spec["body"], defaults=body_fields
            )
            _install_thresholds(threshold_model, body_rule, body_spec["thresholds"])


def _install_thresholds(threshold_model: Any, body_rule: Any, specs: list[dict[str, Any]]) -> None:
    """A shipped threshold is the row of its body with the same purpose and count; where a body
    ships several for one purpose and count (the villagers' assembly's two convening requests),
    the basis tells them apart."""
    rows: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for row in threshold_model.objects.filter(body_rule=body_rule).order_by("pk"):
        rows[(row.purpose, row.counted)].append(row)
    shipped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for spec in specs:
        shipped[(spec["purpose"], spec["counted"])].append(spec)
    for key, group in shipped.items():
        existing = rows.get(key, [])
        if len(group) == 1 and len(existing) == 1:
            pairs = [(group[0], existing[0])]
        else:
            by_basis = {row.basis: row for row in existing}
            pairs = [(spec, by_basis.get(spec["basis"])) for spec in group]
        for spec, row in pairs:
            if row is None:
                threshold_model.objects.create(body_rule=body_rule, **spec)
                continue
            changed = [name for name, value in spec.items() if getattr(row, name) != value]
            if changed:
                for name in changed:
                    setattr(row, name, spec[name])
                row.save(update_fields=changed)
