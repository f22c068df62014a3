"""What only the SQLite store does: WAL, foreign keys on, user_version migrations.

The behaviour both backends share is tested in test_store.py against each of them.
"""

from __future__ import annotations

from pathlib import Path

from storyline.store.sqlite import SQLiteStore, migrations


def test_schema_is_migrated_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    assert store.schema_version == migrations()[-1][0]
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    store.close()
    again = SQLiteStore(tmp_path / "s.db")  # reopening applies nothing twice
    assert again.schema_version == migrations()[-1][0]
    again.close()
