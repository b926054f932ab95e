"""The bank at 100,000 questions in LanceDB: build time, search latency p95 with and without an ANN
index, ANN recall against exact search, and the store's cold load.

Run: .venv/bin/python bench/bank_scale.py [--rows 100000] [--queries 200]
Vectors are synthetic unit vectors with topic structure (19 topics x 50 subtopics + noise), not
embedded texts: embedding 100k texts would take hours on this CPU and is not what is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("LANCEDB_LOG", "error")

import lancedb  # noqa: E402
import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
from lancedb.index import Bitmap, IvfHnswSq, IvfPq  # noqa: E402

from app.bank.loader import load_bank  # noqa: E402
from app.bank.schema import TOPICS, Question  # noqa: E402
from app.config import PROJECT_ROOT  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "bank_scale.json"
DIM = 384  # multilingual-e5-small
LEVELS = ("junior", "middle", "senior")
SUBTOPICS = 50


def unit(matrix: np.ndarray) -> np.ndarray:
    return (matrix / np.linalg.norm(matrix, axis=1, keepdims=True)).astype(np.float32)


def synthetic(rows: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors clustered by topic and subtopic, like sentence embeddings of one domain."""
    topics = unit(rng.normal(size=(len(TOPICS), DIM)))
    subtopics = unit(rng.normal(size=(len(TOPICS) * SUBTOPICS, DIM)))
    topic_of = rng.integers(0, len(TOPICS), rows)
    sub_of = topic_of * SUBTOPICS + rng.integers(0, SUBTOPICS, rows)
    noise = unit(rng.normal(size=(rows, DIM)))
    return unit(topics[topic_of] + 0.7 * subtopics[sub_of] + 0.5 * noise), topic_of


def p(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)) * 1000, 2)


def timed_search(table, queries, filters, **options) -> tuple[list[float], list[list[int]]]:
    latencies, results = [], []
    for vector, where in zip(queries, filters, strict=True):
        start = time.perf_counter()
        query = table.search(vector.tolist(), vector_column_name="passage_vector")
        query = query.distance_type("cosine")
        if where:
            query = query.where(where, prefilter=True)
        if options.get("nprobes"):
            query = query.nprobes(options["nprobes"])
        if options.get("refine_factor"):
            query = query.refine_factor(options["refine_factor"])
        if options.get("ef"):
            query = query.ef(options["ef"])
        rows = query.select(["row"]).limit(10).to_list()
        latencies.append(time.perf_counter() - start)
        results.append([r["row"] for r in rows])
    return latencies, results


IVF_PQ_RUNS = ((20, None, None), (20, 10, None), (50, 10, None), (100, 50, None))
HNSW_PARTITIONS = 4
HNSW_RUNS = ((HNSW_PARTITIONS, None, 100), (HNSW_PARTITIONS, None, 300))


def _ann_runs(table, queries, no_filter, one_topic, exact, exact_f, runs) -> dict[str, dict]:
    """Latency and recall@10 (against exact search) per query setting."""
    out = {}
    for nprobes, refine, ef in runs:
        options = {"nprobes": nprobes, "refine_factor": refine, "ef": ef}
        lat, found = timed_search(table, queries, no_filter, **options)
        lat_f, found_f = timed_search(table, queries, one_topic, **options)
        out[f"nprobes={nprobes},refine_factor={refine},ef={ef}"] = {
            "p50_ms": p(lat, 50),
            "p95_ms": p(lat, 95),
            "recall_at_10": recall(found, exact),
            "filtered_p95_ms": p(lat_f, 95),
            "filtered_recall_at_10": recall(found_f, exact_f),
        }
    return out


def recall(found: list[list[int]], exact: list[list[int]]) -> float:
    hits = [len(set(f) & set(e)) / max(1, len(e)) for f, e in zip(found, exact, strict=True)]
    return round(statistics.fmean(hits), 4)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    template = load_bank(PROJECT_ROOT / "bank").questions[0]

    vectors, topic_of = synthetic(args.rows, rng)
    payload = template.model_dump_json()
    table_data = pa.table(
        {
            "row": pa.array(np.arange(args.rows), pa.int64()),
            "topic": pa.array([TOPICS[t] for t in topic_of]),
            "level": pa.array([LEVELS[i % 3] for i in range(args.rows)]),
            # The served payload of a real question: the store keeps one per row.
            "payload": pa.array([payload] * args.rows),
            "passage_vector": pa.FixedSizeListArray.from_arrays(
                pa.array(vectors.reshape(-1), pa.float32()), DIM
            ),
        }
    )
    queries, _ = synthetic(args.queries, rng)
    one_topic = [
        f"topic IN ('{TOPICS[i % len(TOPICS)]}') AND level IN ('middle')"
        for i in range(args.queries)
    ]
    no_filter = [""] * args.queries

    workdir = Path(tempfile.mkdtemp(prefix="bank_scale_"))
    try:
        db = lancedb.connect(str(workdir))
        start = time.perf_counter()
        table = db.create_table("questions", data=table_data)
        write_s = time.perf_counter() - start

        flat, exact = timed_search(table, queries, no_filter)
        flat_f, exact_f = timed_search(table, queries, one_topic)

        start = time.perf_counter()
        table.create_index("topic", config=Bitmap())
        table.create_index("level", config=Bitmap())
        scalar_s = time.perf_counter() - start
        flat_fs, _ = timed_search(table, queries, one_topic)

        partitions = int(np.sqrt(args.rows))
        start = time.perf_counter()
        table.create_index(
            "passage_vector",
            config=IvfPq(
                distance_type="cosine", num_partitions=partitions, num_sub_vectors=DIM // 8
            ),
        )
        ann_s = time.perf_counter() - start
        ann = _ann_runs(table, queries, no_filter, one_topic, exact, exact_f, IVF_PQ_RUNS)

        start = time.perf_counter()
        table.create_index(
            "passage_vector",
            config=IvfHnswSq(distance_type="cosine", num_partitions=HNSW_PARTITIONS),
        )
        hnsw_s = time.perf_counter() - start
        hnsw = _ann_runs(table, queries, no_filter, one_topic, exact, exact_f, HNSW_RUNS)

        start = time.perf_counter()
        rows = table.to_arrow()
        payloads = rows.column("payload").to_pylist()
        [Question.model_validate_json(x) for x in payloads]
        load_s = time.perf_counter() - start
        size_mb = sum(f.stat().st_size for f in workdir.rglob("*") if f.is_file()) / 2**20
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    result = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs",
        "lancedb": lancedb.__version__,
        "rows": args.rows,
        "dim": DIM,
        "queries": args.queries,
        "build_seconds": {
            "write_table": round(write_s, 2),
            "scalar_indexes_topic_level": round(scalar_s, 2),
            "ivf_pq_index": round(ann_s, 2),
            "ivf_hnsw_sq_index": round(hnsw_s, 2),
        },
        "index_settings": {
            "IVF_PQ": {
                "metric": "cosine",
                "num_partitions": partitions,
                "num_sub_vectors": DIM // 8,
            },
            "IVF_HNSW_SQ": {"metric": "cosine", "num_partitions": HNSW_PARTITIONS, "m": 20},
            "scalar": "BITMAP on topic and level",
        },
        "table_size_mb": round(size_mb, 1),
        "search_without_index": {
            "p50_ms": p(flat, 50),
            "p95_ms": p(flat, 95),
            "filtered_p95_ms": p(flat_f, 95),
            "filtered_with_scalar_index_p95_ms": p(flat_fs, 95),
        },
        "search_with_ivf_pq": ann,
        "search_with_ivf_hnsw_sq": hnsw,
        "store_cold_load_seconds": round(load_s, 2),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
