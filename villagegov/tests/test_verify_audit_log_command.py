"""`manage.py verify_audit_log`: passes on an untouched chain, fails naming the first broken record."""

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from villagegov.models import Village

from .test_audit_chain import alter_action, delete, swap_descriptions, swap_rows, write_records


def run() -> str:
    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    return out.getvalue()


def test_an_untouched_chain_passes(village: Village) -> None:
    write_records(village)
    assert "5 records checked" in run()


def test_an_empty_log_passes(db: None) -> None:
    assert "0 records checked" in run()


@pytest.mark.parametrize(
    ("tamper", "broken", "reason"),
    [
        (lambda: alter_action(3), 3, "contents altered"),
        (lambda: delete(3), 3, "record missing"),
        (lambda: delete(5), 5, "records removed from the end"),
        (lambda: swap_rows(2, 4), 2, "link to the previous record broken"),
        (lambda: swap_descriptions(2, 4), 2, "contents altered"),
    ],
    ids=["altered", "removed-middle", "removed-last", "reordered", "swapped-contents"],
)
def test_tampering_fails_naming_the_record(
    village: Village, tamper: Callable[[], None], broken: int, reason: str
) -> None:
    write_records(village)
    tamper()
    with pytest.raises(CommandError) as failure:
        run()
    message = str(failure.value)
    assert f"#{broken}:" in message
    assert reason in message


def test_exits_non_zero_from_the_command_line(village: Village, capsys: pytest.CaptureFixture[str]) -> None:
    write_records(village)
    delete(2)
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "verify_audit_log"]).execute()
    assert exit_info.value.code != 0
    assert "#2" in capsys.readouterr().err


def test_each_run_is_kept_for_the_audit_page(village: Village) -> None:
    from villagegov.models import AuditVerification

    write_records(village, 3)
    run()
    alter_action(2)
    with pytest.raises(CommandError):
        run()
    latest, earlier = AuditVerification.objects.all()[:2]
    assert (earlier.ok, earlier.checked) == (True, 3)
    assert (latest.ok, latest.broken_seq) == (False, 2)
