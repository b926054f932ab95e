"""The `feedbackfirst` command line: bank, grading and the chat server."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from app.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from app.bank.store import QuestionStore
    from app.grading.dataset import GradedAnswer
    from app.grading.evaluate import Prediction

cli = typer.Typer(help="FeedbackFirst: тренажёр ML-собеседований.", no_args_is_help=True)
bank_cli = typer.Typer(help="Банк вопросов: сборка, проверка, статистика.", no_args_is_help=True)
db_cli = typer.Typer(help="База данных: миграции.", no_args_is_help=True)
eval_cli = typer.Typer(
    help="Оценка качества: грейдер на размеченных ответах.", no_args_is_help=True
)
review_cli = typer.Typer(
    help="Черновики пайплайна: просмотр, одобрение, отклонение.", no_args_is_help=True
)
bank_cli.add_typer(review_cli, name="review")
cli.add_typer(bank_cli, name="bank")
cli.add_typer(db_cli, name="db")
pilot_cli = typer.Typer(
    help="Пилот: метрики успеха и синтетические данные для демо.", no_args_is_help=True
)
monitor_cli = typer.Typer(help="Мониторинг: отчёты Evidently из базы.", no_args_is_help=True)
cli.add_typer(eval_cli, name="eval")
cli.add_typer(pilot_cli, name="pilot")
cli.add_typer(monitor_cli, name="monitor")

NO_MLFLOW = typer.Option("--no-mlflow", help="Не записывать запуск в MLflow.")


def _fail(message: str, as_json: bool) -> NoReturn:
    """A user-facing error: `{"error": ...}` on stdout with --json, else the text on stderr."""
    if as_json:
        _print_json({"error": message})
    else:
        typer.echo(message, err=True)
    raise typer.Exit(1)


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@bank_cli.command("build")
def bank_build(
    bank_dir: Annotated[Path | None, typer.Option(help="Папка с YAML банка.")] = None,
) -> None:
    """Validate the curated bank and (re)build its LanceDB index."""
    from app.bank.build import BankInvalid, build_bank
    from app.bootstrap import bank_embedder
    from app.nlp.embedder import build_embedder

    settings = Settings()
    embedder = bank_embedder(settings, build_embedder(settings))
    try:
        count = build_bank(
            bank_dir or settings.bank_dir, settings.lancedb_uri, embedder, settings.drafts_dir
        )
    except BankInvalid as exc:
        for line in exc.report.errors:
            typer.echo(f"ОШИБКА {line}", err=True)
        raise typer.Exit(1) from exc
    finally:
        embedder.close()
    typer.echo(
        f"Индекс собран: {count} вопросов, модель {embedder.model_id} "
        f"({embedder.backend}, {embedder.dim}), {settings.lancedb_uri}"
    )


@bank_cli.command("validate")
def bank_validate(
    bank_dir: Annotated[Path | None, typer.Option(help="Папка с YAML банка.")] = None,
    fast: Annotated[
        bool, typer.Option("--fast", help="Только схема и структура, без эмбеддингов.")
    ] = False,
) -> None:
    """Check the bank; exits non-zero when there are errors."""
    from app.bank.build import check_bank
    from app.bank.loader import load_bank
    from app.bank.validate import validate_bank
    from app.bootstrap import bank_embedder
    from app.nlp.embedder import build_embedder

    settings = Settings()
    loaded = load_bank(bank_dir or settings.bank_dir)
    if fast:
        report = validate_bank(loaded)
    else:
        embedder = bank_embedder(settings, build_embedder(settings))
        try:
            report = check_bank(loaded, embedder)
        finally:
            embedder.close()
    for line in report.errors:
        typer.echo(f"ОШИБКА {line}")
    for line in report.warnings:
        typer.echo(f"ПРЕДУПРЕЖДЕНИЕ {line}")
    typer.echo(
        f"Вопросов: {len(loaded.questions)}, ошибок: {len(report.errors)}, "
        f"предупреждений: {len(report.warnings)}"
    )
    if not report.ok:
        raise typer.Exit(1)


@bank_cli.command("stats")
def bank_stats(
    as_json: Annotated[bool, typer.Option("--json", help="Вывести JSON.")] = False,
    bank_dir: Annotated[Path | None, typer.Option(help="Папка с YAML банка.")] = None,
) -> None:
    """Counts of questions by topic, level and role."""
    from app.bank.loader import load_bank
    from app.bank.validate import stats

    data = stats(load_bank(bank_dir or Settings().bank_dir))
    if as_json:
        _print_json(data)
        return
    typer.echo(f"Вопросов: {data['questions']}")
    for key in ("by_topic", "by_level", "by_role"):
        counts = data[key]
        assert isinstance(counts, dict)  # noqa: S101 - built just above
        typer.echo(f"{key}: " + ", ".join(f"{k}={v}" for k, v in counts.items()))


@review_cli.command("list")
def review_list(
    status: Annotated[str, typer.Option(help="pending, approved, rejected или all.")] = "pending",
    as_json: Annotated[bool, typer.Option("--json", help="Вывести JSON.")] = False,
) -> None:
    """Drafts of the pipeline with their review status."""
    from app.bank.drafts import load_drafts

    drafts, errors = load_drafts(Settings().drafts_dir)
    chosen = [d for d in drafts if status == "all" or d.question.review_status.value == status]
    if as_json:
        _print_json(
            [
                {
                    "id": d.question.id,
                    "status": d.question.review_status.value,
                    "topic": d.question.topic,
                    "level": d.question.level.value,
                    "question": d.question.question,
                    "source_url": d.origin.source_url,
                }
                for d in chosen
            ]
        )
        return
    for d in chosen:
        q = d.question
        typer.echo(f"{q.id}  [{q.review_status.value}] {q.level.value}  {q.question}")
    for error in errors:
        typer.echo(f"ОШИБКА {error.location}: {error.message}", err=True)
    typer.echo(f"Черновиков: {len(chosen)}")


def _review(question_id: str, approve: bool) -> None:
    from app.bank.drafts import set_review
    from app.bank.schema import ReviewStatus
    from app.errors import NotFound

    status = ReviewStatus.approved if approve else ReviewStatus.rejected
    try:
        set_review(Settings().drafts_dir, question_id, status)
    except NotFound as exc:
        typer.echo(f"Черновик {question_id} не найден.", err=True)
        raise typer.Exit(1) from exc
    tail = "войдёт в банк при следующей сборке" if approve else "не будет показан кандидатам"
    typer.echo(f"{question_id}: {status.value}, {tail}.")


@review_cli.command("approve")
def review_approve(question_id: Annotated[str, typer.Argument(help="id черновика.")]) -> None:
    """Approve a draft: the next bank build serves it."""
    _review(question_id, approve=True)


@review_cli.command("reject")
def review_reject(question_id: Annotated[str, typer.Argument(help="id черновика.")]) -> None:
    """Reject a draft: it is never served."""
    _review(question_id, approve=False)


@bank_cli.command("versions")
def bank_versions_command(
    as_json: Annotated[bool, typer.Option("--json", help="Вывести JSON.")] = False,
) -> None:
    """Builds of the served bank, oldest first (pin one with FEEDBACKFIRST_BANK_VERSION)."""
    from dataclasses import asdict

    from app.bank.store import bank_versions

    versions = bank_versions(Settings().lancedb_uri)
    if as_json:
        _print_json([asdict(v) for v in versions])
        return
    for v in versions:
        typer.echo(
            f"{v.version:4d}  {v.built_at}  вопросов {v.questions}, эмбеддингов {v.embedded}"
            + (f"  ({v.note})" if v.note else "")
        )
    if not versions:
        typer.echo("Сборок нет: выполните `feedbackfirst bank build`.")


@bank_cli.command("rollback")
def bank_rollback(version: Annotated[int, typer.Argument(help="Номер сборки.")]) -> None:
    """Serve an earlier build again (recorded as a new build)."""
    from app.bank.store import rollback
    from app.errors import NotFound

    try:
        entry = rollback(Settings().lancedb_uri, version)
    except NotFound as exc:
        typer.echo(f"Сборки {version} нет.", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Банк откатан к сборке {version}: новая сборка {entry.version}.")


@cli.command("grade")
def grade(
    answer: Annotated[str, typer.Option(help="Ответ кандидата; '-' читает из stdin.")],
    question_id: Annotated[str | None, typer.Option(help="id вопроса из банка.")] = None,
    question: Annotated[str | None, typer.Option(help="Текст вопроса.")] = None,
    reference: Annotated[str | None, typer.Option(help="Эталонный ответ.")] = None,
    key_point: Annotated[
        list[str] | None, typer.Option(help="Ключевой пункт (можно несколько).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Вывести JSON.")] = False,
) -> None:
    """Grade one answer against a bank question or a given reference."""
    from app.bootstrap import build_grader, open_store
    from app.errors import FeedbackFirstError
    from app.grading.targets import neighbours_of, target_for_question
    from app.grading.types import GradingTarget
    from app.nlp.embedder import build_embedder

    if answer == "-":
        answer = sys.stdin.read()
    if question_id is None and (question is None or reference is None):
        typer.echo("Укажите --question-id или пару --question и --reference.", err=True)
        raise typer.Exit(2)
    settings = Settings()
    embedder = build_embedder(settings)
    try:
        store = open_store(settings, embedder)
        if question_id is not None:
            target = target_for_question(store.get(question_id), store)
        else:
            assert question is not None and reference is not None  # noqa: S101 - checked above
            target = GradingTarget(question, reference, list(key_point or []))
            if not target.key_points:
                target = GradingTarget(question, reference, [reference])
        result = build_grader(settings, embedder, neighbours_of(store)).grade(target, answer)
    except FeedbackFirstError as exc:
        _fail(exc.user_message, as_json)
    if as_json:
        _print_json(result.to_json())
    else:
        typer.echo(result.feedback)


@cli.command("plan")
def plan_command(
    vacancy: Annotated[Path, typer.Option(help="Файл вакансии (.txt, .pdf, .docx).")],
    experience: Annotated[
        Path | None, typer.Option(help="Файл с опытом кандидата (.txt, .pdf, .docx).")
    ] = None,
    level: Annotated[str, typer.Option(help="junior, middle или senior.")] = "middle",
    count: Annotated[int | None, typer.Option(help="Сколько вопросов в плане.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Вывести JSON.")] = False,
) -> None:
    """Topic weights for a vacancy and the questions an interview on it would ask."""
    from app.bootstrap import open_store
    from app.errors import FeedbackFirstError
    from app.interview.documents import read_document
    from app.interview.planning import plan
    from app.nlp.embedder import build_embedder

    if level not in {"junior", "middle", "senior"}:
        typer.echo("Уровень: junior, middle или senior.", err=True)
        raise typer.Exit(2)
    settings = Settings()
    try:
        vacancy_text = read_document(vacancy)
        experience_text = read_document(experience) if experience else None
        embedder = build_embedder(settings)
        store = open_store(settings, embedder)
        result = plan(
            store,
            vacancy_text,
            experience_text,
            level,
            count or settings.questions_per_session,
        )
    except FeedbackFirstError as exc:
        _fail(exc.user_message, as_json)
    if as_json:
        _print_json(
            {
                "topics": [{"id": t.topic, "weight": t.weight} for t in result.topics],
                "questions": result.question_ids,
            }
        )
        return
    for t in result.topics[:8]:
        typer.echo(f"{t.weight:6.3f}  {t.topic}")
    typer.echo("Вопросы: " + ", ".join(result.question_ids))


@db_cli.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply the Alembic migrations to FEEDBACKFIRST_DATABASE_URL."""
    from app.storage.db import upgrade

    upgrade(Settings().database_url, revision)
    typer.echo("База данных обновлена.")


@eval_cli.command("grading")
def eval_grading(
    dataset: Annotated[Path, typer.Argument(help="JSONL с оценёнными экспертом ответами.")],
    output: Annotated[Path, typer.Option(help="Куда записать метрики (JSON).")],
    predictions: Annotated[Path, typer.Option(help="Куда записать предсказания (JSONL).")],
    no_mlflow: Annotated[bool, NO_MLFLOW] = False,
) -> None:
    """Grade every answer of a dataset and compare with the expert grades; logged to MLflow."""
    from app.bootstrap import build_grader, open_store
    from app.errors import FeedbackFirstError
    from app.grading.dataset import file_sha256, load_dataset
    from app.grading.evaluate import build_targets, judge, predict
    from app.grading.scoring import GRADER_VERSION
    from app.nlp.embedder import build_embedder

    settings = Settings()
    embedder = build_embedder(settings)
    try:
        rows = load_dataset(dataset)
        store = open_store(settings, embedder)
    except FeedbackFirstError as exc:
        typer.echo(exc.user_message, err=True)
        raise typer.Exit(1) from exc
    targets = build_targets(rows, embedder, store)
    grader = build_grader(settings, embedder, targets.neighbours)
    predicted = predict(rows, targets, grader)
    metrics = judge(rows, predicted) | {
        "grader_version": GRADER_VERSION,
        "embedding_model": embedder.model_id,
        "dataset_sha256": file_sha256(dataset),
        "questions": len(targets.by_question),
        "questions_from_bank": targets.from_bank,
    }
    predictions.parent.mkdir(parents=True, exist_ok=True)
    with predictions.open("w", encoding="utf-8") as out:
        for p in predicted:
            out.write(json.dumps(p.to_json(), ensure_ascii=False) + "\n")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
    typer.echo(
        f"n={metrics['n']} spearman={metrics['spearman']} pearson={metrics['pearson']} "
        f"mae={metrics['mae']} -> {output}"
    )
    if not no_mlflow:
        _log_grading(
            settings,
            dataset,
            rows,
            predicted,
            metrics,
            store,
            embedder.backend,
            output,
            predictions,
        )


def _log_grading(
    settings: Settings,
    dataset: Path,
    rows: list[GradedAnswer],
    predicted: list[Prediction],
    metrics: dict[str, object],
    store: QuestionStore,
    backend: str,
    output: Path,
    predictions: Path,
) -> None:
    """The grading evaluation as an MLflow run; whatever happens, the files above stand."""
    try:
        from app.bank.store import bank_fingerprint
        from app.grading.scoring import ScoreModel
        from evaluation.grading_run import GradingRun, log_grading_run

        model = (
            ScoreModel.load(settings.grader_model) if settings.grader_model else ScoreModel.load()
        )
        run = GradingRun(
            dataset,
            rows,
            predicted,
            metrics,
            bank_fingerprint(store.questions),
            model,
            backend,
            output,
            predictions,
        )
        run_id = log_grading_run(run, settings)
    except Exception as exc:  # noqa: BLE001 - the contract output is already written
        typer.echo(f"MLflow: запуск не записан ({exc})", err=True)
        return
    if run_id:
        typer.echo(f"MLflow: run {run_id}", err=True)


@eval_cli.command("calibrate")
def eval_calibrate(
    datasets: Annotated[
        list[Path],
        typer.Argument(help="JSONL с оценёнными экспертом ответами (один или несколько)."),
    ],
    output: Annotated[Path, typer.Option(help="Куда записать модель оценки (JSON).")],
    alpha: Annotated[float, typer.Option(help="Сила L2-регуляризации.")] = 1.0,
) -> None:
    """Fit the grader's score models on expert grades (calibration splits, never the test)."""
    from datetime import UTC, datetime

    from app.bootstrap import build_grader, open_store
    from app.errors import FeedbackFirstError
    from app.grading.dataset import file_sha256, load_dataset
    from app.grading.evaluate import build_targets, calibrate
    from app.nlp.embedder import build_embedder

    settings = Settings()
    embedder = build_embedder(settings)
    try:
        rows = [row for dataset in datasets for row in load_dataset(dataset)]
        store = open_store(settings, embedder)
        targets = build_targets(rows, embedder, store)
        model = calibrate(
            rows,
            targets,
            build_grader(settings, embedder, targets.neighbours),
            alpha,
            {
                "datasets": {d.name: file_sha256(d) for d in datasets},
                "alpha": alpha,
                "embedding_model": embedder.model_id,
                "fitted_at": datetime.now(UTC).isoformat(timespec="seconds"),
            },
        )
    except FeedbackFirstError as exc:
        typer.echo(exc.user_message, err=True)
        raise typer.Exit(1) from exc
    model.save(output)
    short = f", короткие эталоны: {model.short.trained_on['answers']}" if model.short else ""
    typer.echo(f"Модель оценки: {output} ({model.trained_on['answers']} ответов{short})")


@eval_cli.command("plan")
def eval_plan(
    dataset: Annotated[
        Path, typer.Argument(help="JSONL: id, vacancy, experience, must, irrelevant.")
    ],
    output: Annotated[Path, typer.Option(help="Куда записать метрики (JSON).")],
    top: Annotated[int, typer.Option(help="Сколько первых тем считать планом.")] = 5,
) -> None:
    """Topic weights on hand-labelled vacancies: must-have topics in the top, irrelevant ones out."""
    from app.bootstrap import open_store
    from app.interview.plan_eval import judge_plans, load_vacancies
    from app.interview.planning import topic_weights
    from app.nlp.embedder import build_embedder

    settings = Settings()
    rows = load_vacancies(dataset)
    embedder = build_embedder(settings)
    store = open_store(settings, embedder)
    ranked = [
        [t.topic for t in topic_weights(store, row.vacancy, row.experience or None)] for row in rows
    ]
    metrics = judge_plans(rows, ranked, top)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
    typer.echo(
        f"n={metrics['n']} must_in_top={metrics['must_in_top']} "
        f"irrelevant_in_top={metrics['irrelevant_in_top']} -> {output}"
    )


@eval_cli.command("retrieval")
def eval_retrieval(
    dataset: Annotated[
        Path, typer.Argument(help="JSONL: id, vacancy, experience, must, irrelevant.")
    ],
    output: Annotated[Path, typer.Option(help="Куда записать метрики (JSON).")],
    count: Annotated[int, typer.Option(help="Сколько вопросов в плане.")] = 5,
    level: Annotated[str, typer.Option(help="junior, middle или senior.")] = "middle",
    no_mlflow: Annotated[bool, NO_MLFLOW] = False,
) -> None:
    """Ragas context precision and recall of the questions planned for labelled vacancies."""
    from app.bank.store import bank_fingerprint
    from app.bootstrap import open_store
    from app.grading.dataset import file_sha256
    from app.interview.plan_eval import load_vacancies
    from app.nlp.embedder import build_embedder
    from app.pilot.memo import MemoEmbedder
    from evaluation.retrieval import plan_vacancies, retrieval_metrics
    from evaluation.tracking import flatten, log_run

    settings = Settings()
    rows = load_vacancies(dataset)
    # Planning embeds each vacancy again for every question it picks.
    embedder = MemoEmbedder(build_embedder(settings))
    store = open_store(settings, embedder)
    metrics = retrieval_metrics(plan_vacancies(store, rows, count, level))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
    typer.echo(
        f"n={metrics['n']} context_precision={metrics['context_precision']} "
        f"context_recall={metrics['context_recall']} -> {output}"
    )
    if not no_mlflow:
        run_id = log_run(
            settings,
            "retrieval",
            run_name=f"{dataset.stem} · top {count}",
            params={
                "dataset": dataset.name,
                "dataset_sha256": file_sha256(dataset),
                "embedding_model": embedder.model_id,
                "bank_version": bank_fingerprint(store.questions),
                "questions_per_plan": count,
                "level": level,
            },
            metrics=flatten({k: v for k, v in metrics.items() if k != "vacancies"}),
            artifacts=[output],
        )
        if run_id:
            typer.echo(f"MLflow: run {run_id}", err=True)


@eval_cli.command("feedback")
def eval_feedback(
    dataset: Annotated[Path, typer.Argument(help="JSONL с оценёнными экспертом ответами.")],
    output: Annotated[Path, typer.Option(help="Куда записать метрики (JSON).")],
    limit: Annotated[int | None, typer.Option(help="Только первые N ответов.")] = None,
    judge_limit: Annotated[
        int, typer.Option(help="Сколько разборов оценивает LLM (если настроена).")
    ] = 20,
    no_mlflow: Annotated[bool, NO_MLFLOW] = False,
) -> None:
    """Ragas on the feedback: named gaps against the expert's (offline), an LLM rubric if set."""
    from app.bank.store import bank_fingerprint
    from app.bootstrap import build_grader, open_store
    from app.errors import FeedbackFirstError
    from app.grading.dataset import file_sha256, load_dataset
    from app.grading.evaluate import build_targets
    from app.grading.scoring import GRADER_VERSION
    from app.nlp.embedder import build_embedder
    from evaluation.feedback_quality import feedback_cases, feedback_metrics
    from evaluation.tracking import flatten, log_run

    settings = Settings()
    embedder = build_embedder(settings)
    try:
        rows = load_dataset(dataset)[:limit]
        store = open_store(settings, embedder)
    except FeedbackFirstError as exc:
        typer.echo(exc.user_message, err=True)
        raise typer.Exit(1) from exc
    targets = build_targets(rows, embedder, store)
    cases = feedback_cases(rows, targets, build_grader(settings, embedder, targets.neighbours))
    metrics = feedback_metrics(cases, settings, judge_limit)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
    typer.echo(
        f"n={metrics['cases']} gap_precision={metrics['gap_precision']} "
        f"gap_recall={metrics['gap_recall']} llm_rubric_mean={metrics['llm_rubric_mean']} "
        f"-> {output}"
    )
    if not no_mlflow:
        run_id = log_run(
            settings,
            "feedback",
            run_name=f"{dataset.stem} · {GRADER_VERSION}",
            params={
                "dataset": dataset.name,
                "dataset_sha256": file_sha256(dataset),
                "rows": len(rows),
                "grader_version": GRADER_VERSION,
                "embedding_model": embedder.model_id,
                "bank_version": bank_fingerprint(store.questions),
                "llm_model": settings.llm_model if settings.llm_configured else None,
            },
            metrics=flatten(metrics),
            artifacts=[output],
        )
        if run_id:
            typer.echo(f"MLflow: run {run_id}", err=True)


def _pilot_sessions(settings: Settings) -> sessionmaker[Session]:
    from app.storage.db import make_engine, make_sessionmaker, upgrade

    upgrade(settings.database_url)
    return make_sessionmaker(make_engine(settings.database_url))


@pilot_cli.command("report")
def pilot_report_command(
    since: Annotated[
        str | None, typer.Option(help="Только сессии с этой даты (YYYY-MM-DD).")
    ] = None,
    real_only: Annotated[
        bool, typer.Option("--real-only", help="Без синтетических кандидатов.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Вывести JSON.")] = False,
    no_mlflow: Annotated[bool, NO_MLFLOW] = False,
) -> None:
    """The pilot metrics with thresholds and the verdict (3 of 4 criteria); logged to MLflow."""
    from datetime import date

    from app.pilot.metrics import pilot_report
    from app.pilot.signals import load_signals
    from evaluation.tracking import log_run

    try:
        start = date.fromisoformat(since) if since else None
    except ValueError:
        _fail("Дата в формате ГГГГ-ММ-ДД, например 2026-12-01.", as_json)
    settings = Settings()
    report = pilot_report(
        load_signals(_pilot_sessions(settings), start, False if real_only else None), start
    )
    data = report.to_json()
    if not no_mlflow:
        metrics = {m.name: m.value for m in report.metrics if m.value is not None}
        metrics |= {f"{m.name}.passed": float(m.passed) for m in report.metrics}
        metrics |= {f"criterion.{c.name}": float(c.passed) for c in report.criteria}
        metrics |= {
            "criteria_passed": report.criteria_passed,
            "succeeded": float(report.succeeded),
            "candidates": report.candidates,
        }
        log_run(
            settings,
            "pilot",
            run_name=f"pilot since {since or 'start'}",
            params={
                "since": since,
                "real_only": real_only,
                "synthetic_candidates": report.synthetic_candidates,
            }
            | {f"threshold.{m.name}": m.threshold for m in report.metrics},
            metrics={k: float(v) for k, v in metrics.items()},
        )
    if as_json:
        _print_json(data)
        return
    for m in report.metrics:
        mark = "да" if m.passed else "нет"
        typer.echo(
            f"{m.name:28} {m.value!s:>8}  порог {m.threshold:<5} выполнено: {mark} (n={m.n})"
        )
    typer.echo(
        f"Критериев выполнено: {report.criteria_passed} из {len(report.criteria)} — "
        + ("пилот успешен." if report.succeeded else "пилот не достиг цели.")
    )


@pilot_cli.command("simulate")
def pilot_simulate(
    users: Annotated[int, typer.Option(help="Сколько синтетических кандидатов.", min=1)],
    seed: Annotated[int, typer.Option(help="Зерно генератора.")] = 2026,
    start: Annotated[
        str | None, typer.Option(help="Первый день пилота (YYYY-MM-DD); по умолчанию days назад.")
    ] = None,
    days: Annotated[int, typer.Option(help="Длина пилота в днях.", min=2)] = 28,
) -> None:
    """Fill the configured database with synthetic pilot usage (candidates marked synthetic)."""
    from datetime import UTC, datetime

    from app.bootstrap import build_services
    from app.nlp.embedder import build_embedder
    from app.pilot.memo import MemoEmbedder
    from app.pilot.simulate import simulate

    try:
        first = datetime.fromisoformat(start).replace(tzinfo=UTC) if start else None
    except ValueError:
        _fail("Дата в формате ГГГГ-ММ-ДД, например 2026-11-01.", False)
    settings = Settings()
    services = build_services(settings, MemoEmbedder(build_embedder(settings)))
    result = simulate(
        services.store,
        services.grader,
        services.sessions,
        users,
        seed=seed,
        start=first,
        days=days,
    )
    typer.echo(
        f"Синтетический пилот: {result.candidates} кандидатов (synthetic), {result.sessions} сессий, "
        f"{result.answers} ответов, {result.ratings} оценок, {result.recommendations} рекомендаций."
    )


@monitor_cli.command("report")
def monitor_report(
    days: Annotated[int, typer.Option(help="Длина окна в днях.", min=1)] = 7,
    as_of: Annotated[
        str | None, typer.Option(help="Конец текущего окна (YYYY-MM-DD); по умолчанию сейчас.")
    ] = None,
    html: Annotated[Path | None, typer.Option(help="Папка для HTML-отчётов.")] = None,
) -> None:
    """Evidently reports (answer drift, bank quality, pilot) into the workspace's project."""
    from datetime import UTC, datetime, time

    from app.bank.loader import load_bank
    from monitoring.reports import build_reports, publish, save_html

    settings = Settings()
    try:
        end = (
            datetime.combine(datetime.fromisoformat(as_of).date(), time.max, tzinfo=UTC)
            if as_of
            else None
        )
    except ValueError:
        _fail("Дата в формате ГГГГ-ММ-ДД.", False)
    questions = load_bank(settings.bank_dir).questions
    reports = build_reports(_pilot_sessions(settings), questions, end, days)
    ids = publish(reports, settings.evidently_workspace)
    for note in reports.notes:
        typer.echo(f"Пропущено: {note}", err=True)
    typer.echo(
        f"Evidently: {len(ids)} снимков ({', '.join(reports.snapshots)}) в "
        f"{settings.evidently_workspace}; evidently ui --workspace {settings.evidently_workspace}"
    )
    if html is not None:
        for path in save_html(reports, html):
            typer.echo(f"HTML: {path}")


@cli.command("serve")
def serve(
    host: Annotated[str | None, typer.Option(help="Адрес.")] = None,
    port: Annotated[int | None, typer.Option(help="Порт.")] = None,
    workers: Annotated[int | None, typer.Option(help="Процессов-обработчиков.")] = None,
) -> None:
    """Prepare the bank and the database, then serve the chat and the REST API."""
    from app.bootstrap import prepare_bank
    from app.logs import configure_logging
    from app.nlp.embedder import build_embedder
    from app.storage.db import upgrade

    settings = Settings()
    configure_logging(settings.log_level, settings.log_file)
    # Through the logger, not echo: a container's output stays one JSON object per line.
    log = logging.getLogger("feedbackfirst.serve")
    log.info("Проверяю банк вопросов (первая сборка — несколько минут)…")
    if prepare_bank(settings, build_embedder(settings)):
        log.info("Банк вопросов собран.")
    upgrade(settings.database_url)
    import uvicorn

    host, port = host or settings.host, port or settings.port
    log.info("Чат: http://%s:%s · API: http://%s:%s/docs", host, port, host, port)
    # log_config=None keeps the JSON logging configured above for uvicorn's own loggers.
    uvicorn.run(
        "app.server:create_app",
        factory=True,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        workers=workers or settings.workers,
    )


def main() -> None:
    cli()
