"""Where the data files in seed/ live."""

from pathlib import Path

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"
TIMELINES_DIR = SEED_DIR / "timelines"
DEFAULT_TIMELINE_KEY = "lancashire"
ROLES_FILE = SEED_DIR / "roles.toml"
ESTABLISHMENTS_DIR = SEED_DIR / "establishments"
DEMO_RECRUITMENT_FILE = SEED_DIR / "demo-recruitment.xlsx"
COURSES_FILE = SEED_DIR / "courses.toml"
GATE_FILE = SEED_DIR / "gate.toml"
INDICATORS_FILE = SEED_DIR / "indicators.toml"
DEMO_OUTCOMES_FILE = SEED_DIR / "demo-outcomes.toml"
