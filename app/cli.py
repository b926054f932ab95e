"""The `feedbackfirst` command line: bank, grading and the chat server."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from app.config import Settings

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
cli.add_typer(eval_cli, name="eval")


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
) -> None:
    """Grade every answer of a dataset and compare with the expert grades."""
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


@eval_cli.command("calibrate")
def eval_calibrate(
    dataset: Annotated[Path, typer.Argument(help="JSONL с оценёнными экспертом ответами.")],
    output: Annotated[Path, typer.Option(help="Куда записать модель оценки (JSON).")],
    alpha: Annotated[float, typer.Option(help="Сила L2-регуляризации.")] = 1.0,
) -> None:
    """Fit the grader's score model on expert grades (the calibration split, never the test)."""
    from datetime import UTC, datetime

    from app.bootstrap import build_grader, open_store
    from app.errors import FeedbackFirstError
    from app.grading.dataset import file_sha256, load_dataset
    from app.grading.evaluate import build_targets, calibrate
    from app.nlp.embedder import build_embedder

    settings = Settings()
    embedder = build_embedder(settings)
    try:
        rows = load_dataset(dataset)
        store = open_store(settings, embedder)
        targets = build_targets(rows, embedder, store)
        model = calibrate(
            rows,
            targets,
            build_grader(settings, embedder, targets.neighbours),
            alpha,
            {
                "dataset": dataset.name,
                "dataset_sha256": file_sha256(dataset),
                "alpha": alpha,
                "embedding_model": embedder.model_id,
                "fitted_at": datetime.now(UTC).isoformat(timespec="seconds"),
            },
        )
    except FeedbackFirstError as exc:
        typer.echo(exc.user_message, err=True)
        raise typer.Exit(1) from exc
    model.save(output)
    typer.echo(f"Модель оценки: {output} ({model.trained_on['answers']} ответов)")


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


@cli.command("serve")
def serve(
    host: Annotated[str | None, typer.Option(help="Адрес.")] = None,
    port: Annotated[int | None, typer.Option(help="Порт.")] = None,
) -> None:
    """Prepare the bank and the database, then serve the chat and the REST API."""
    from app.bootstrap import prepare_bank
    from app.nlp.embedder import build_embedder
    from app.storage.db import upgrade

    settings = Settings()
    if prepare_bank(settings, build_embedder(settings)):
        typer.echo("Банк вопросов собран.")
    upgrade(settings.database_url)
    import uvicorn

    host, port = host or settings.host, port or settings.port
    typer.echo(f"Чат: http://{host}:{port} · API: http://{host}:{port}/docs")
    uvicorn.run("app.server:create_app", factory=True, host=host, port=port, log_level="warning")


def main() -> None:
    cli()
