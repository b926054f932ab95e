"""The build log of the served bank: one row per build, naming the LanceDB version of each table."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import pyarrow as pa
from lancedb.db import DBConnection

BUILDS_TABLE = "builds"
_SCHEMA = pa.schema(
    [
        ("version", pa.int64()),
        ("built_at", pa.string()),
        ("fingerprint", pa.string()),
        ("sources_fingerprint", pa.string()),
        ("questions", pa.int64()),
        ("embedded", pa.int64()),
        ("reused", pa.int64()),
        ("table_versions", pa.string()),
        ("note", pa.string()),
    ]
)


@dataclass(frozen=True)
class BankVersion:
    """One build (or rollback) of the served bank; `version` counts builds from 1."""

    version: int
    built_at: str
    fingerprint: str
    # What the sources (curated YAML + approved drafts) hashed to when this row was written; a
    # rollback keeps the sources' hash so the chat does not rebuild over it on the next start.
    sources_fingerprint: str
    questions: int
    embedded: int
    reused: int
    table_versions: dict[str, int]
    note: str = ""


def list_versions(db: DBConnection) -> list[BankVersion]:
    """Every recorded build, oldest first; empty for an index built before versions were kept."""
    if BUILDS_TABLE not in db.list_tables().tables:
        return []
    rows = db.open_table(BUILDS_TABLE).to_arrow().sort_by("version").to_pylist()
    return [
        BankVersion(**(row | {"table_versions": json.loads(row["table_versions"])})) for row in rows
    ]


def get_version(db: DBConnection, version: int) -> BankVersion | None:
    return next((v for v in list_versions(db) if v.version == version), None)


def record_build(
    db: DBConnection,
    *,
    fingerprint: str,
    sources_fingerprint: str,
    questions: int,
    embedded: int,
    reused: int,
    table_versions: dict[str, int],
    note: str = "",
) -> BankVersion:
    """Append a row to the build log and return it."""
    known = list_versions(db)
    entry = BankVersion(
        version=(known[-1].version + 1) if known else 1,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        fingerprint=fingerprint,
        sources_fingerprint=sources_fingerprint,
        questions=questions,
        embedded=embedded,
        reused=reused,
        table_versions=table_versions,
        note=note,
    )
    row = {
        "version": entry.version,
        "built_at": entry.built_at,
        "fingerprint": entry.fingerprint,
        "sources_fingerprint": entry.sources_fingerprint,
        "questions": entry.questions,
        "embedded": entry.embedded,
        "reused": entry.reused,
        "table_versions": json.dumps(entry.table_versions, sort_keys=True),
        "note": entry.note,
    }
    data = pa.Table.from_pylist([row], schema=_SCHEMA)
    if known or BUILDS_TABLE in db.list_tables().tables:
        db.open_table(BUILDS_TABLE).add(data)
    else:
        db.create_table(BUILDS_TABLE, data=data)
    return entry
