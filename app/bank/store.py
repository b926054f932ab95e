"""The served bank in LanceDB: question and reference vectors, key-point vectors, search."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

# Lance logs "no existing dataset, it will be created" as a warning on every fresh build.
os.environ.setdefault("LANCEDB_LOG", "error")

import lancedb  # noqa: E402
import numpy as np
import pyarrow as pa
from lancedb.query import LanceVectorQueryBuilder

from app.bank.schema import Question
from app.bank.versions import BankVersion, get_version, list_versions, record_build
from app.errors import BankNotBuilt, IndexMismatch, NotFound
from app.grading.analysis import key_point_anchors
from app.nlp.embedder import Embedder, Vectors
from app.nlp.vectors import mean_direction, split_and_embed

QUESTIONS_TABLE = "questions"
KEY_POINTS_TABLE = "key_points"
MISTAKES_TABLE = "mistakes"
ANCHORS_TABLE = "key_point_anchors"
TABLES = (QUESTIONS_TABLE, KEY_POINTS_TABLE, MISTAKES_TABLE, ANCHORS_TABLE)
# Bumped whenever tables or vectors change meaning; an older index must be rebuilt.
INDEX_FORMAT = "3"


@dataclass(frozen=True)
class IndexInfo:
    """What produced the vectors; an index is only ever read with the same embedder."""

    model_id: str
    backend: str
    dim: int
    index_format: str = INDEX_FORMAT

    def to_metadata(self) -> dict[bytes, bytes]:
        return {
            b"embedding_model_id": self.model_id.encode(),
            b"embedding_backend": self.backend.encode(),
            b"embedding_dim": str(self.dim).encode(),
            b"index_format": self.index_format.encode(),
            b"built_at": datetime.now(UTC).isoformat().encode(),
        }

    @classmethod
    def from_metadata(cls, meta: dict[bytes, bytes] | None) -> IndexInfo:
        meta = meta or {}
        return cls(
            model_id=meta.get(b"embedding_model_id", b"?").decode(),
            backend=meta.get(b"embedding_backend", b"?").decode(),
            dim=int(meta.get(b"embedding_dim", b"0")),
            index_format=meta.get(b"index_format", b"1").decode(),
        )

    @classmethod
    def of(cls, embedder: Embedder) -> IndexInfo:
        return cls(embedder.model_id, embedder.backend, embedder.dim)


@dataclass(frozen=True)
class SearchHit:
    question: Question
    similarity: float


def content_hash(question: Question) -> str:
    """Hash of everything that is embedded or served, to spot changed questions."""
    payload = question.model_dump_json(exclude={"review_status"})
    return hashlib.sha256(payload.encode()).hexdigest()


def _vector_type(dim: int) -> pa.DataType:
    return pa.list_(pa.float32(), dim)


def _vectors(matrix: Vectors, dim: int) -> pa.FixedSizeListArray:
    flat = pa.array(np.ascontiguousarray(matrix, dtype=np.float32).reshape(-1), pa.float32())
    return pa.FixedSizeListArray.from_arrays(flat, dim)


def bank_fingerprint(questions: list[Question]) -> str:
    """One hash of everything served: an index with another fingerprint is stale."""
    hashes = sorted(content_hash(q) for q in questions if q.served)
    return hashlib.sha256("\n".join(hashes).encode()).hexdigest()


def index_fingerprint(uri: str) -> str | None:
    if not index_exists(uri):
        return None
    meta = lancedb.connect(uri).open_table(QUESTIONS_TABLE).schema.metadata or {}
    value = meta.get(b"bank_fingerprint")
    return value.decode() if value else None


@dataclass(frozen=True)
class QuestionVectors:
    """Every vector the index keeps for one question; reused as long as its content is unchanged."""

    question: Vectors
    passage: Vectors
    reference: Vectors
    points: Vectors
    anchor_texts: list[str]
    anchors: Vectors
    mistakes: Vectors


@dataclass(frozen=True)
class BuildReport:
    """What one build did: the bank version it wrote and how many questions it embedded."""

    version: BankVersion
    embedded_ids: list[str]

    @property
    def questions(self) -> int:
        return self.version.questions


def _mistake_texts(question: Question) -> list[str]:
    # A misconception is stored as its wrong statement (even idx) and its correction (odd idx).
    return [text for m in question.misconceptions for text in (m.wrong, m.correction)]


def embed_questions(questions: list[Question], embedder: Embedder) -> list[QuestionVectors]:
    """Embed what the index needs of each question, batched over the questions."""
    if not questions:
        return []
    # question: symmetric, for near-duplicates; passage: question with its answer, for retrieval.
    question_vectors = embedder.embed([q.question for q in questions], kind="query")
    passage_vectors = embedder.embed(
        [f"{q.question}\n{q.reference_answer}" for q in questions], kind="passage"
    )
    references = split_and_embed(embedder, [q.reference_answer for q in questions])
    point_vectors = embedder.embed([p for q in questions for p in q.key_points], kind="query")
    mistake_vectors = embedder.embed(
        [text for q in questions for text in _mistake_texts(q)], kind="query"
    )
    result = []
    p_at = m_at = 0
    for i, (question, reference) in enumerate(zip(questions, references, strict=True)):
        n, m = len(question.key_points), 2 * len(question.misconceptions)
        points = point_vectors[p_at : p_at + n]
        chosen = key_point_anchors(question.key_points, points, reference)
        best = [int(np.argmax(reference.vectors @ v)) for v in chosen]
        result.append(
            QuestionVectors(
                question=question_vectors[i],
                passage=passage_vectors[i],
                reference=mean_direction(reference.vectors),
                points=points,
                anchor_texts=[reference.sentences[j] for j in best],
                anchors=np.asarray(chosen, dtype=np.float32).reshape(n, embedder.dim),
                mistakes=mistake_vectors[m_at : m_at + m],
            )
        )
        p_at += n
        m_at += m
    return result


def _column_matrix(rows: pa.Table, name: str, dim: int) -> Vectors:
    column = rows.column(name).combine_chunks()
    return np.asarray(column.flatten(), dtype=np.float32).reshape(-1, dim)


def _grouped(db: lancedb.DBConnection, name: str, dim: int) -> dict[str, tuple[list[str], Vectors]]:
    rows = (
        db.open_table(name).to_arrow().sort_by([("question_id", "ascending"), ("idx", "ascending")])
    )
    texts, matrix = rows.column("text").to_pylist(), _column_matrix(rows, "vector", dim)
    grouped: dict[str, list[int]] = {}
    for row, qid in enumerate(rows.column("question_id").to_pylist()):
        grouped.setdefault(qid, []).append(row)
    return {qid: ([texts[r] for r in at], matrix[at]) for qid, at in grouped.items()}


def previous_vectors(uri: str, info: IndexInfo) -> dict[str, QuestionVectors]:
    """Vectors of the current index by content hash; empty when missing or from another model."""
    if not index_exists(uri):
        return {}
    db = lancedb.connect(uri)
    table = db.open_table(QUESTIONS_TABLE)
    if IndexInfo.from_metadata(table.schema.metadata) != info:
        return {}
    rows = table.to_arrow()
    dim = info.dim
    points, anchors, mistakes = (
        _grouped(db, name, dim) for name in (KEY_POINTS_TABLE, ANCHORS_TABLE, MISTAKES_TABLE)
    )
    empty: tuple[list[str], Vectors] = ([], np.zeros((0, dim), dtype=np.float32))
    q, p, r = (
        _column_matrix(rows, c, dim)
        for c in ("question_vector", "passage_vector", "reference_vector")
    )
    found = {}
    for i, (qid, digest) in enumerate(
        zip(rows.column("id").to_pylist(), rows.column("content_hash").to_pylist(), strict=True)
    ):
        found[digest] = QuestionVectors(
            question=q[i],
            passage=p[i],
            reference=r[i],
            points=points.get(qid, empty)[1],
            anchor_texts=anchors.get(qid, empty)[0],
            anchors=anchors.get(qid, empty)[1],
            mistakes=mistakes.get(qid, empty)[1],
        )
    return found


def build_index(questions: list[Question], embedder: Embedder, uri: str) -> int:
    """Embed the served questions and write them as a new bank version; returns the count indexed."""
    return build_version(questions, embedder, uri).questions


def build_version(
    questions: list[Question],
    embedder: Embedder,
    uri: str,
    *,
    sources_fingerprint: str | None = None,
    note: str = "",
) -> BuildReport:
    """Write the served questions as a new version of every table, embedding only new or changed
    questions (by content hash); the vectors of the others are copied from the current index."""
    served = [q for q in questions if q.served]
    if not served:
        raise ValueError("no approved questions to index")
    info = IndexInfo.of(embedder)
    dim = embedder.dim
    known = previous_vectors(uri, info)
    hashes = [content_hash(q) for q in served]
    fresh = [q for q, h in zip(served, hashes, strict=True) if h not in known]
    embedded = dict(zip((q.id for q in fresh), embed_questions(fresh, embedder), strict=True))
    vectors = [
        embedded[q.id] if q.id in embedded else known[h]
        for q, h in zip(served, hashes, strict=True)
    ]
    fingerprint = bank_fingerprint(served)
    questions_schema = pa.schema(
        [
            ("id", pa.string()),
            ("topic", pa.string()),
            ("level", pa.string()),
            ("roles", pa.list_(pa.string())),
            ("question", pa.string()),
            ("reference_answer", pa.string()),
            ("payload", pa.string()),
            ("content_hash", pa.string()),
            ("question_vector", _vector_type(dim)),
            ("passage_vector", _vector_type(dim)),
            ("reference_vector", _vector_type(dim)),
        ],
        metadata=info.to_metadata() | {b"bank_fingerprint": fingerprint.encode()},
    )
    table = pa.table(
        [
            pa.array([q.id for q in served]),
            pa.array([q.topic for q in served]),
            pa.array([q.level.value for q in served]),
            pa.array([q.roles for q in served], pa.list_(pa.string())),
            pa.array([q.question for q in served]),
            pa.array([q.reference_answer for q in served]),
            pa.array([q.model_dump_json() for q in served]),
            pa.array(hashes),
            _vectors(np.stack([v.question for v in vectors]), dim),
            _vectors(np.stack([v.passage for v in vectors]), dim),
            _vectors(np.stack([v.reference for v in vectors]), dim),
        ],
        schema=questions_schema,
    )
    points = [(q.id, i, text) for q in served for i, text in enumerate(q.key_points)]
    anchor_rows = [
        (q.id, i, text)
        for q, v in zip(served, vectors, strict=True)
        for i, text in enumerate(v.anchor_texts)
    ]
    mistakes = [(q.id, i, text) for q in served for i, text in enumerate(_mistake_texts(q))]
    db = lancedb.connect(uri)
    # Overwriting keeps the older versions of a table: a pinned or rolled back bank reads them.
    written = {
        QUESTIONS_TABLE: db.create_table(QUESTIONS_TABLE, data=table, mode="overwrite").version
    }
    for name, rows, matrix in (
        (KEY_POINTS_TABLE, points, np.vstack([v.points for v in vectors])),
        (ANCHORS_TABLE, anchor_rows, np.vstack([v.anchors for v in vectors])),
        (MISTAKES_TABLE, mistakes, np.vstack([v.mistakes for v in vectors])),
    ):
        written[name] = db.create_table(
            name, data=_texts_table(rows, matrix, info), mode="overwrite"
        ).version
    version = record_build(
        db,
        fingerprint=fingerprint,
        sources_fingerprint=sources_fingerprint or fingerprint,
        questions=len(served),
        embedded=len(fresh),
        reused=len(served) - len(fresh),
        table_versions=written,
        note=note,
    )
    return BuildReport(version, [q.id for q in fresh])


def bank_versions(uri: str) -> list[BankVersion]:
    """The build log of the index at uri, oldest first."""
    try:
        return list_versions(lancedb.connect(uri))
    except (OSError, ValueError):
        return []


def latest_sources_fingerprint(uri: str) -> str | None:
    """The sources' hash the current index answers to (the index's own for older indexes)."""
    versions = bank_versions(uri)
    return versions[-1].sources_fingerprint if versions else index_fingerprint(uri)


def rollback(uri: str, version: int) -> BankVersion:
    """Serve an earlier build again: every table is restored to that build's version (as a new
    version, so the rollback itself can be undone) and the log records it."""
    db = lancedb.connect(uri)
    target = get_version(db, version)
    if target is None:
        raise NotFound(f"bank version {version}")
    latest = list_versions(db)[-1]
    written = {}
    for name in TABLES:
        table = db.open_table(name)
        table.restore(target.table_versions[name])
        written[name] = table.version
    return record_build(
        db,
        fingerprint=target.fingerprint,
        sources_fingerprint=latest.sources_fingerprint,
        questions=target.questions,
        embedded=0,
        reused=target.questions,
        table_versions=written,
        note=f"rollback to {version}",
    )


def _texts_table(rows: list[tuple[str, int, str]], vectors: Vectors, info: IndexInfo) -> pa.Table:
    """Short texts of the questions (key points, anchors, misconceptions), one vector each."""
    return pa.table(
        [
            pa.array([qid for qid, _, _ in rows], pa.string()),
            pa.array([i for _, i, _ in rows], pa.int32()),
            pa.array([text for _, _, text in rows], pa.string()),
            _vectors(vectors.reshape(len(rows), info.dim), info.dim),
        ],
        schema=pa.schema(
            [
                ("question_id", pa.string()),
                ("idx", pa.int32()),
                ("text", pa.string()),
                ("vector", _vector_type(info.dim)),
            ],
            metadata=info.to_metadata(),
        ),
    )


def index_exists(uri: str) -> bool:
    try:
        tables = lancedb.connect(uri).list_tables().tables
    except (OSError, ValueError):
        return False
    return all(name in tables for name in TABLES)


class QuestionStore:
    """Read side of the served bank; loads the small tables into memory once."""

    def __init__(self, uri: str, embedder: Embedder, version: int | None = None) -> None:
        if not index_exists(uri):
            raise BankNotBuilt(f"no question index at {uri}")
        self._db = lancedb.connect(uri)
        self._tables = {name: self._db.open_table(name) for name in TABLES}
        self.version = version
        if version is not None:
            pinned = get_version(self._db, version)
            if pinned is None:
                raise NotFound(f"bank version {version}")
            for name, table in self._tables.items():
                table.checkout(pinned.table_versions[name])
        self._table = self._tables[QUESTIONS_TABLE]
        self._embedder = embedder
        self.info = IndexInfo.from_metadata(self._table.schema.metadata)
        expected = IndexInfo.of(embedder)
        if self.info != expected:
            raise IndexMismatch(f"index built with {self.info}, the embedder is {expected}")

    @cached_property
    def _rows(self) -> pa.Table:
        return self._table.to_arrow()

    @cached_property
    def questions(self) -> list[Question]:
        return [Question.model_validate_json(p) for p in self._rows.column("payload").to_pylist()]

    @cached_property
    def _position(self) -> dict[str, int]:
        return {q.id: i for i, q in enumerate(self.questions)}

    @cached_property
    def reference_matrix(self) -> Vectors:
        """Reference-answer vectors, one row per question in `questions` order."""
        column = self._rows.column("reference_vector").combine_chunks()
        return np.asarray(column.flatten(), dtype=np.float32).reshape(-1, self.info.dim)

    def _grouped_vectors(self, table: str) -> dict[str, Vectors]:
        rows = (
            self._tables[table]
            .to_arrow()
            .sort_by([("question_id", "ascending"), ("idx", "ascending")])
        )
        ids = rows.column("question_id").to_pylist()
        matrix = np.asarray(rows.column("vector").combine_chunks().flatten(), dtype=np.float32)
        matrix = matrix.reshape(-1, self.info.dim)
        grouped: dict[str, list[int]] = {}
        for row, qid in enumerate(ids):
            grouped.setdefault(qid, []).append(row)
        return {qid: matrix[rows_of] for qid, rows_of in grouped.items()}

    @cached_property
    def _key_point_vectors(self) -> dict[str, Vectors]:
        return self._grouped_vectors(KEY_POINTS_TABLE)

    @cached_property
    def _mistake_vectors(self) -> dict[str, Vectors]:
        return self._grouped_vectors(MISTAKES_TABLE)

    @cached_property
    def _anchor_vectors(self) -> dict[str, Vectors]:
        return self._grouped_vectors(ANCHORS_TABLE)

    def key_point_anchors(self, question_id: str) -> Vectors:
        self.get(question_id)
        return self._anchor_vectors[question_id]

    @property
    def embedder(self) -> Embedder:
        """The embedder the index was opened with (queries must use the same model)."""
        return self._embedder

    def __len__(self) -> int:
        return len(self.questions)

    def get(self, question_id: str) -> Question:
        position = self._position.get(question_id)
        if position is None:
            raise NotFound(question_id)
        return self.questions[position]

    def reference_vector(self, question_id: str) -> Vectors:
        self.get(question_id)
        row: Vectors = self.reference_matrix[self._position[question_id]]
        return row

    def key_point_vectors(self, question_id: str) -> Vectors:
        self.get(question_id)
        return self._key_point_vectors[question_id]

    def mistake_vectors(self, question_id: str) -> Vectors | None:
        """Wrong statements then corrections (see GradingTarget); None without misconceptions."""
        self.get(question_id)
        interleaved = self._mistake_vectors.get(question_id)
        if interleaved is None:
            return None
        return np.vstack([interleaved[0::2], interleaved[1::2]])

    def search(
        self,
        text: str,
        *,
        topics: list[str] | None = None,
        levels: list[str] | None = None,
        exclude_ids: list[str] | None = None,
        limit: int = 10,
    ) -> list[SearchHit]:
        """Questions nearest to a free text (vacancy, topic words), filtered by topic and level."""
        vector = self._embedder.embed([text], kind="query")[0]
        query = self._table.search(vector.tolist(), vector_column_name="passage_vector")
        assert isinstance(query, LanceVectorQueryBuilder)  # noqa: S101 - a vector was given
        query = query.distance_type("cosine")
        condition = _where(topics, levels, exclude_ids)
        if condition:
            query = query.where(condition, prefilter=True)
        rows = query.select(["id", "_distance"]).limit(limit).to_list()
        return [SearchHit(self.get(row["id"]), 1.0 - float(row["_distance"])) for row in rows]


def _where(topics: list[str] | None, levels: list[str] | None, exclude: list[str] | None) -> str:
    parts = []
    if topics:
        parts.append(f"topic IN ({_sql_list(topics)})")
    if levels:
        parts.append(f"level IN ({_sql_list(levels)})")
    if exclude:
        parts.append(f"id NOT IN ({_sql_list(exclude)})")
    return " AND ".join(parts)


def _sql_list(values: list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)
