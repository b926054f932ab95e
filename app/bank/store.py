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


def build_index(questions: list[Question], embedder: Embedder, uri: str) -> int:
    """Embed the served questions and (re)write the LanceDB tables; returns the count indexed."""
    served = [q for q in questions if q.served]
    if not served:
        raise ValueError("no approved questions to index")
    info = IndexInfo.of(embedder)
    dim = embedder.dim
    # question: symmetric, for near-duplicates; passage: question with its answer, for retrieval.
    question_vectors = embedder.embed([q.question for q in served], kind="query")
    passage_vectors = embedder.embed(
        [f"{q.question}\n{q.reference_answer}" for q in served], kind="passage"
    )
    references = split_and_embed(embedder, [q.reference_answer for q in served])
    reference_vectors = np.stack([mean_direction(r.vectors) for r in references])
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
        metadata=info.to_metadata() | {b"bank_fingerprint": bank_fingerprint(served).encode()},
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
            pa.array([content_hash(q) for q in served]),
            _vectors(question_vectors, dim),
            _vectors(passage_vectors, dim),
            _vectors(reference_vectors, dim),
        ],
        schema=questions_schema,
    )
    points = [(q.id, i, text) for q in served for i, text in enumerate(q.key_points)]
    # A misconception is stored as its wrong statement (even idx) and its correction (odd idx).
    mistakes = [
        (q.id, 2 * i + j, text)
        for q in served
        for i, m in enumerate(q.misconceptions)
        for j, text in enumerate((m.wrong, m.correction))
    ]
    point_vectors = embedder.embed([text for _, _, text in points], kind="query")
    anchor_rows, anchor_vectors = [], []
    at = 0
    for question, reference in zip(served, references, strict=True):
        n = len(question.key_points)
        chosen = key_point_anchors(question.key_points, point_vectors[at : at + n], reference)
        anchor_vectors.append(chosen)
        best = [int(np.argmax(reference.vectors @ v)) for v in chosen]
        anchor_rows += [(question.id, i, reference.sentences[j]) for i, j in enumerate(best)]
        at += n
    mistake_vectors = embedder.embed([text for _, _, text in mistakes], kind="query")
    db = lancedb.connect(uri)
    db.create_table(QUESTIONS_TABLE, data=table, mode="overwrite")
    for name, rows, vectors in (
        (KEY_POINTS_TABLE, points, point_vectors),
        (ANCHORS_TABLE, anchor_rows, np.vstack(anchor_vectors)),
        (MISTAKES_TABLE, mistakes, mistake_vectors),
    ):
        db.create_table(name, data=_texts_table(rows, vectors, info), mode="overwrite")
    return len(served)


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

    def __init__(self, uri: str, embedder: Embedder) -> None:
        if not index_exists(uri):
            raise BankNotBuilt(f"no question index at {uri}")
        self._db = lancedb.connect(uri)
        self._table = self._db.open_table(QUESTIONS_TABLE)
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
            self._db.open_table(table)
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
