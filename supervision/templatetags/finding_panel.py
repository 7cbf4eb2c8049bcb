"""The findings panel of a review's page (templates/supervision/_review_findings.html): the
review's findings with their deadlines in words, in one query."""

from django import template

from supervision.models import Review
from supervision.selectors.findings import FindingRow, finding_rows, review_findings

register = template.Library()


@register.simple_tag
def review_finding_rows(review: Review) -> list[FindingRow]:
    return finding_rows(review_findings(review))
