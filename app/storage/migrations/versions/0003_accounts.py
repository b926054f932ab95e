"""Accounts (username, password hash) and API tokens

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 02:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("candidates") as batch:
        batch.add_column(sa.Column("username", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("password_hash", sa.String(length=255), nullable=True))
        batch.create_unique_constraint("uq_candidates_username", ["username"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("candidate_id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidates.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_api_tokens_candidate_id", "api_tokens", ["candidate_id"])


def downgrade() -> None:
    op.drop_index("ix_api_tokens_candidate_id", table_name="api_tokens")
    op.drop_table("api_tokens")
    with op.batch_alter_table("candidates") as batch:
        batch.drop_constraint("uq_candidates_username", type_="unique")
        batch.drop_column("password_hash")
        batch.drop_column("username")
