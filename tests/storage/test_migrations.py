from sqlalchemy import create_engine, inspect

from app.storage.db import downgrade, normalise_url, upgrade

TABLES = {"candidates", "interview_sessions", "asked_questions", "answers", "grades"}


def _tables(url: str) -> set[str]:
    engine = create_engine(normalise_url(url))
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrations_upgrade_and_downgrade_cleanly(database_url: str) -> None:
    upgrade(database_url)
    assert TABLES <= _tables(database_url)
    downgrade(database_url, "base")
    assert not (TABLES & _tables(database_url))
    upgrade(database_url)
    assert TABLES <= _tables(database_url)


def test_models_match_the_migrations(database_url: str) -> None:
    """Autogenerate finds nothing to add: the models and the migration history agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.storage.models import Base

    upgrade(database_url)
    engine = create_engine(normalise_url(database_url))
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []
