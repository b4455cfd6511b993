"""Runs the `flask` command line in this process, then writes what its memory peaked at, as JSON,
to the file named by $CLI_PEAK_FILE:

    {"main_mb": this process's own peak resident size (RUSAGE_SELF),
     "worker_mb": the file-reading worker's, as it reported it (None if no file was read)}

The ru_maxrss that os.wait4 gives for the whole command is the largest of the process and its
descendants (the forkserver and the worker that reads the file), so it cannot say which one
peaked; this can. Usage: python bench/cli_peak.py --app app recruitment import FILE ...
"""

from __future__ import annotations

import json
import os
import resource


def _write_peaks(path: str) -> None:
    from programme.domain import spreadsheet_worker

    report = spreadsheet_worker.last_report
    worker = report.peak_bytes if report and report.peak_bytes is not None else None
    peaks = {
        "main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # kB on Linux
        "worker_mb": worker / 2**20 if worker is not None else None,
    }
    with open(path, "w") as out:
        json.dump(peaks, out)


# Guarded: the reading worker's forkserver imports this module again as __mp_main__.
if __name__ == "__main__":
    from flask.cli import main

    try:
        main()
    finally:
        _write_peaks(os.environ["CLI_PEAK_FILE"])
