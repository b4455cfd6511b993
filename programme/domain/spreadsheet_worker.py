"""Reading an uploaded spreadsheet in a separate, bounded process, so a hostile file costs one
short-lived process and never a web worker (or the command line's memory).

``read_table_in_worker`` has ``read_table``'s signature and result. The worker is forked from a
``forkserver`` process (started once per parent, with the spreadsheet modules already imported,
and never holding a database connection), caps its own address space (``RLIMIT_AS``) and reports
its peak memory; the parent stops it a moment after ``limits.parse_seconds``. Each refusal is
one sentence.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from programme.domain.formatting import count
from programme.domain.spreadsheet import ReadLimits, SpreadsheetError, Table, read_table

# The readers are imported lazily by the app; the forkserver loads them once for every worker.
_PRELOAD = [
    "programme.domain.spreadsheet",
    "openpyxl",
    "python_calamine",
    "openpyxl.formula.translate",
]
_context = None


@dataclass(frozen=True)
class WorkerReport:
    """What the last read cost, as the worker measured it (peak_bytes is None when killed)."""

    seconds: float
    peak_bytes: int | None


last_report: WorkerReport | None = None  # for tests and benchmarks


def _get_context():
    global _context
    if _context is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        _context = context
    return _context


def read_table_in_worker(
    data: bytes,
    filename: str,
    field_synonyms: Mapping[str, Sequence[str]],
    limits: ReadLimits,
) -> Table:
    global last_report
    context = _get_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_work,
        args=(sender, data, filename, {k: list(v) for k, v in field_synonyms.items()}, limits),
        daemon=True,
    )
    started = time.monotonic()
    process.start()
    sender.close()
    try:
        outcome = _receive(receiver, process, limits.parse_seconds + KILL_GRACE_SECONDS)
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
    last_report = WorkerReport(time.monotonic() - started, outcome[2] if outcome else None)
    if outcome is None:
        if process.exitcode is not None and process.exitcode < 0 and _timed_out(started, limits):
            raise SpreadsheetError(_too_slow(limits))
        raise SpreadsheetError(_too_big())
    kind, value, _peak = outcome
    if kind == "table":
        return value
    raise SpreadsheetError(value)


# The worker stops itself at 80% of the limit to report what the read cost; on a loaded machine
# starting it and sending the report take time too, so the parent kills it a moment after the
# limit, not at it.
KILL_GRACE_SECONDS = 1.0


def _receive(receiver, process, seconds: float):
    if not receiver.poll(seconds):
        process.kill()
        return None
    try:
        return receiver.recv()
    except (EOFError, OSError):  # the worker died without answering (out of memory)
        return None


def _timed_out(started: float, limits: ReadLimits) -> bool:
    return time.monotonic() - started >= limits.parse_seconds


def _too_slow(limits: ReadLimits) -> str:
    return (
        f"The file took longer than {_seconds(limits.parse_seconds)} to read, so it was not "
        "opened; split it into smaller files."
    )


def _seconds(amount: float) -> str:
    return count(int(amount), "second") if amount == int(amount) else f"{amount:g} seconds"


def _too_big() -> str:
    return (
        "The file needs more memory to read than allowed, so it was not opened; "
        "split it into smaller files."
    )


def _peak_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux


class _OutOfTime(BaseException):  # not an Exception: openpyxl's handlers must not catch it
    pass


def _out_of_time(signum, frame):
    raise _OutOfTime


def _work(sender, data, filename, field_synonyms, limits: ReadLimits) -> None:  # in the worker
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    # Stop a little before the parent would kill us, so the refusal can say what it cost.
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.setitimer(signal.ITIMER_REAL, limits.parse_seconds * 0.8)
    try:
        outcome = ("table", read_table(data, filename, field_synonyms, limits), _peak_bytes())
    except SpreadsheetError as error:
        outcome = ("error", error.message, _peak_bytes())
    except MemoryError:
        outcome = ("error", _too_big(), _peak_bytes())
    except _OutOfTime:
        outcome = ("error", _too_slow(limits), _peak_bytes())
    except RecursionError:
        outcome = ("error", "The file could not be read; it may be damaged.", _peak_bytes())
    signal.setitimer(signal.ITIMER_REAL, 0)
    try:
        sender.send(outcome)
    except MemoryError:
        sender.send(("error", _too_big(), _peak_bytes()))
    finally:
        sender.close()
