"""`python -m pipelines clean|augment|build`: the stages dvc.yaml runs, with metrics files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.config import Settings
from pipelines.run import cached_embedder, run_augment, run_build, run_clean, write_metrics

cli = typer.Typer(help="Пайплайн банка вопросов.", no_args_is_help=True)
CLEAN_OUT = Path("data/interim/clean.jsonl")


@cli.command("clean")
def clean_command(
    output: Annotated[Path, typer.Option(help="Очищенные вопросы (JSONL).")] = CLEAN_OUT,
    metrics: Annotated[Path | None, typer.Option(help="Метрики (JSON).")] = None,
) -> None:
    """Normalise, drop junk and duplicates, map to topic and level."""
    settings = Settings()
    _, report, inputs = run_clean(settings, cached_embedder(settings), output)
    write_metrics(metrics, report.to_json() | inputs)
    typer.echo(
        f"clean: {report.input} -> {report.kept} (дубликаты {report.duplicate_rate:.1%}) -> {output}"
    )


@cli.command("augment")
def augment_command(
    cleaned: Annotated[Path, typer.Option(help="Очищенные вопросы (JSONL).")] = CLEAN_OUT,
    metrics: Annotated[Path | None, typer.Option(help="Метрики (JSON).")] = None,
    limit: Annotated[int | None, typer.Option(help="Не больше стольких черновиков.")] = None,
) -> None:
    """Draft reference answers with the configured LLM (skipped without one)."""
    settings = Settings()
    report = run_augment(settings, cleaned, limit)
    write_metrics(metrics, report.to_json())
    if report.skipped:
        typer.echo(f"augment: пропущено — {report.reason}")
    else:
        typer.echo(f"augment: черновиков {report.drafted}, ошибок {report.failed}")


@cli.command("build")
def build_command(
    metrics: Annotated[Path | None, typer.Option(help="Метрики (JSON).")] = None,
) -> None:
    """Validate and build a new version of the served bank, embedding only changes."""
    settings = Settings()
    report = run_build(settings, cached_embedder(settings))
    write_metrics(metrics, report.to_json())
    v = report.build.version
    typer.echo(
        f"build: версия {v.version}, вопросов {v.questions}, эмбеддингов {v.embedded}, "
        f"переиспользовано {v.reused}"
    )


if __name__ == "__main__":
    cli()
