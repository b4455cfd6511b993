"""Hostile files are refused by the bounded worker within the time limit and under its memory
cap, each with one sentence; the worker measures its own peak memory."""

from __future__ import annotations

import time
import zipfile
from io import BytesIO

import pytest

from programme.domain import spreadsheet_worker
from programme.domain.spreadsheet import ReadLimits
from programme.services import imports
from programme.services.errors import ServiceError
from programme.services.recruitment_import import RECRUITMENT
from tests import hostile_files

MB = 1024 * 1024
LIMITS = ReadLimits(parse_seconds=3, memory_bytes=512 * MB)

HOSTILE = {
    "shared-strings bomb": (hostile_files.shared_strings_bomb, "more than 10,000,000 pieces"),
    "one row of 7 million cells": (hostile_files.one_wide_row, "more than 200 columns"),
    "deep nesting": (hostile_files.deep_nesting, "took longer than 3 seconds"),
    "lying zip header": (hostile_files.lying_header, "not the size it says"),
}


@pytest.fixture(scope="module", autouse=True)
def _started_worker():
    """The forkserver starts once per process (about a second): not part of any file's time."""
    imports.read_file(hostile_files.workbook(), "t.xlsx", RECRUITMENT.fields, LIMITS)


def _refusal(data: bytes, limits: ReadLimits = LIMITS) -> tuple[str, float]:
    started = time.monotonic()
    with pytest.raises(ServiceError) as refused:
        imports.read_file(data, "tracker.xlsx", RECRUITMENT.fields, limits)
    return refused.value.message, time.monotonic() - started


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_is_refused_in_time_and_under_the_memory_cap(name):
    make, expected = HOSTILE[name]
    data = make()
    assert len(data) < MB
    archive = zipfile.ZipFile(BytesIO(data))
    assert all(part.file_size <= 1000 * max(part.compress_size, 1) for part in archive.infolist())

    message, seconds = _refusal(data)

    assert expected in message
    assert message.count(". ") == 0 and message.endswith(".")  # one sentence
    assert seconds < LIMITS.parse_seconds + spreadsheet_worker.KILL_GRACE_SECONDS + 1
    report = spreadsheet_worker.last_report
    assert report.peak_bytes is not None and report.peak_bytes < LIMITS.memory_bytes
    print(f"{name}: {seconds:.2f} s, peak {report.peak_bytes / MB:.0f} MB")


def test_a_file_needing_more_memory_than_the_cap_is_refused_within_the_time_limit():
    # Under a tight cap the worker either fails to allocate (and says so) or is stopped at the
    # time limit; either way the refusal is one sentence and the parent is never at risk.
    limits = ReadLimits(memory_bytes=200 * MB, parse_seconds=3)
    message, seconds = _refusal(hostile_files.deep_nesting(), limits)

    assert message.startswith(("The file needs more memory", "The file took longer than 3"))
    assert seconds < limits.parse_seconds + 3


def test_a_worker_that_does_not_answer_is_stopped_at_the_limit(monkeypatch):
    monkeypatch.setattr(spreadsheet_worker, "_work", _hang)  # forkserver pickles by name
    started = time.monotonic()
    message, _ = _refusal(hostile_files.workbook(), ReadLimits(parse_seconds=1))

    assert time.monotonic() - started < 1 + spreadsheet_worker.KILL_GRACE_SECONDS + 1
    assert message.startswith("The file took longer than 1 second to read")


def _hang(sender, *args) -> None:  # in the worker: never answers, sets no alarm of its own
    time.sleep(30)
