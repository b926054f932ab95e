"""SQL storage: SQLAlchemy models, repositories and Alembic migrations."""
