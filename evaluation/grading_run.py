"""The grading evaluation as an MLflow run: parameters, metrics, calibration plot, confusion
matrix of rounded scores and the table of the worst errors."""

from __future__ import annotations

import csv
import json
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from app.config import Settings
from app.grading.dataset import GradedAnswer
from app.grading.evaluate import Prediction
from app.grading.scoring import ScoreModel
from app.grading.types import Thresholds
from evaluation.tracking import flatten, log, log_run

EXPERIMENT = "grading"
WORST = 25
EXCERPT_CHARS = 200


@dataclass(frozen=True)
class GradingRun:
    """What one `eval grading` computed and with which parts."""

    dataset: Path
    rows: list[GradedAnswer]
    predictions: list[Prediction]
    metrics: dict[str, object]
    bank_version: str | None
    score_model: ScoreModel
    embedding_backend: str
    metrics_file: Path | None = None
    predictions_file: Path | None = None


def params_of(run: GradingRun, settings: Settings) -> dict[str, object]:
    trained = run.score_model.trained_on
    datasets = trained.get("datasets")
    trained_on = (
        ", ".join(f"{name}@{str(sha)[:12]}" for name, sha in datasets.items())
        if isinstance(datasets, dict)
        else trained.get("dataset_sha256", trained.get("dataset"))
    )
    params: dict[str, object] = {
        "embedding_model": run.metrics.get("embedding_model"),
        "embedding_backend": run.embedding_backend,
        "grader_version": run.metrics.get("grader_version"),
        "score_model": str(settings.grader_model or "shipped"),
        "score_model_trained_on": trained_on,
        "score_model_alpha": trained.get("alpha"),
        "bank_version": run.bank_version,
        "dataset": run.dataset.name,
        "dataset_sha256": run.metrics.get("dataset_sha256"),
        "rows": len(run.rows),
        "max_answer_chars": settings.max_answer_chars,
    }
    params |= {f"threshold.{k}": v for k, v in asdict(Thresholds()).items()}
    return params


def calibration_plot(run: GradingRun, path: Path) -> None:
    """Predicted against expert score, with the ideal diagonal and the mean per expert grade."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    expert = np.array([r.expert_score for r in run.rows])
    predicted = np.array([p.score for p in run.predictions])
    figure, axes = plt.subplots(figsize=(5.5, 5.5))
    axes.scatter(expert, predicted, s=14, alpha=0.5, label="answers")
    grades = np.unique(np.round(expert))
    means = [predicted[np.round(expert) == g].mean() for g in grades]
    axes.plot(grades, means, "o-", color="tab:red", label="mean predicted per expert grade")
    axes.plot([0, 10], [0, 10], "--", color="grey", label="ideal")
    axes.set(xlim=(-0.3, 10.3), ylim=(-0.3, 10.3), xlabel="expert score", ylabel="predicted score")
    axes.set_title(f"Calibration, n={len(expert)}")
    axes.legend(loc="upper left", fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def confusion(run: GradingRun) -> np.ndarray:
    """Counts of rounded expert (rows) by rounded predicted (columns) scores, 0..10."""
    matrix = np.zeros((11, 11), dtype=int)
    for row, p in zip(run.rows, run.predictions, strict=True):
        matrix[round(row.expert_score), round(p.score)] += 1
    return matrix


def confusion_plot(matrix: np.ndarray, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6, 5.5))
    image = axes.imshow(matrix, cmap="Blues")
    for (i, j), count in np.ndenumerate(matrix):
        if count:
            axes.text(j, i, str(count), ha="center", va="center", fontsize=7)
    axes.set(
        xticks=range(11), yticks=range(11), xlabel="predicted (rounded)", ylabel="expert (rounded)"
    )
    axes.set_title("Confusion matrix of rounded scores")
    figure.colorbar(image, ax=axes, shrink=0.8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def worst_errors(run: GradingRun, limit: int = WORST) -> list[dict[str, object]]:
    """The answers the grader missed most, largest absolute error first."""
    rows = []
    for row, p in zip(run.rows, run.predictions, strict=True):
        rows.append(
            {
                "id": row.id,
                "kind": row.kind or "",
                "question": row.question[:EXCERPT_CHARS],
                "answer_excerpt": " ".join(row.answer.split())[:EXCERPT_CHARS],
                "expert": round(row.expert_score, 2),
                "predicted": round(p.score, 2),
                "abs_error": round(abs(row.expert_score - p.score), 2),
                "expert_off_topic": row.off_topic,
                "predicted_off_topic": p.off_topic,
            }
        )
    return sorted(rows, key=lambda r: -float(r["abs_error"]))[:limit]  # type: ignore[arg-type]


def write_artifacts(run: GradingRun, folder: Path) -> list[Path]:
    matrix = confusion(run)
    paths = [folder / "calibration.png", folder / "confusion_matrix.png"]
    calibration_plot(run, paths[0])
    confusion_plot(matrix, paths[1])
    matrix_csv = folder / "confusion_matrix.csv"
    with matrix_csv.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["expert\\predicted", *range(11)])
        for grade, counts in enumerate(matrix.tolist()):
            writer.writerow([grade, *counts])
    worst = folder / "worst_errors.csv"
    table = worst_errors(run)
    with worst.open("w", newline="", encoding="utf-8") as out:
        table_writer = csv.DictWriter(out, fieldnames=list(table[0]) if table else ["id"])
        table_writer.writeheader()
        table_writer.writerows(table)
    paths += [matrix_csv, worst]
    if run.metrics_file is None:
        metrics_file = folder / "metrics.json"
        metrics_file.write_text(json.dumps(run.metrics, ensure_ascii=False, indent=2), "utf-8")
        paths.append(metrics_file)
    else:
        paths.append(run.metrics_file)
    if run.predictions_file is not None:
        paths.append(run.predictions_file)
    return paths


def log_grading_run(run: GradingRun, settings: Settings) -> str | None:
    """One MLflow run of the grading evaluation; None when MLflow is off or unreachable."""
    if not settings.mlflow_enabled:
        return None
    with tempfile.TemporaryDirectory(prefix="ff-grading-") as tmp:
        try:
            artifacts = write_artifacts(run, Path(tmp))
        except Exception as exc:  # noqa: BLE001 - a broken plot must not lose the metrics
            log.warning("grading artifacts not written: %s", exc)
            artifacts = []
        return log_run(
            settings,
            EXPERIMENT,
            run_name=f"{run.dataset.stem} · {run.metrics.get('grader_version')}",
            params=params_of(run, settings),
            metrics=flatten(run.metrics),
            artifacts=artifacts,
            tags={"dataset": run.dataset.name},
        )
