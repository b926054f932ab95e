"""Study recommendations of a session's report, marked done by the candidate; the session's
topic weights from its plan

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 04:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "interview_sessions",
        sa.Column("topic_weights", sa.JSON(), nullable=False, server_default="{}"),
    )
    op.create_table(
        "study_recommendations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("question_id", sa.String(length=128), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["session_id"], ["interview_sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_study_recommendations_session_id", "study_recommendations", ["session_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_study_recommendations_session_id", table_name="study_recommendations")
    op.drop_table("study_recommendations")
    with op.batch_alter_table("interview_sessions") as batch:
        batch.drop_column("topic_weights")
