"""`generate-scale` (issue 18): load a deterministic synthetic dataset of N programmes for the
benchmarks. Each programme is created through the programme service, so it has the default
configuration every programme gets; everything in it (localities, teams, posts, staff,
training, timeline, snapshots) is then generated in plain Python (programme/domain/scale) and
written in large batches."""

from programme.services.scale.generate import (
    SLUG_PREFIX,
    ScaleRun,
    generate,
    refresh_planner_statistics,
)

__all__ = ["SLUG_PREFIX", "ScaleRun", "generate", "refresh_planner_statistics"]
