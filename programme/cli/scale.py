"""`generate-scale --programmes N [--seed S] [--json]` (CLI.md): load a deterministic synthetic
dataset of N programmes for the benchmarks (bench/run reads its JSON)."""

import time

import click
from flask.cli import with_appcontext

from programme.cli.common import print_json, run_service
from programme.clock import today, utc_now
from programme.services import scale


@click.command("generate-scale")
@click.option("--programmes", "count", type=click.IntRange(min=1), default=150, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@with_appcontext
def generate_scale_command(count: int, seed: int, as_json: bool) -> None:
    """Load a deterministic synthetic dataset of N programmes (for benchmarks)."""
    started = time.perf_counter()  # a duration, not a date: the clock module is not needed
    run = run_service(lambda: scale.generate(count, seed, today(), utc_now()))
    scale.refresh_planner_statistics()
    seconds = round(time.perf_counter() - started, 2)
    if as_json:
        print_json(
            {
                "programmes": run.programmes,
                "seed": run.seed,
                "seconds": seconds,
                "counts": run.counts,
                "checksum": run.checksum,
            }
        )
        return
    click.echo(
        f"Generated {run.programmes} programmes ({run.slugs[0]} to {run.slugs[-1]}) "
        f"with seed {run.seed} in {seconds} s:"
    )
    for key, value in run.counts.items():
        click.echo(f"  {key.replace('_', ' ')}: {value:,}")
    click.echo(f"Checksum {run.checksum}")
