"""segment studio: edit revisions and history, restructured layouts, renders, take times

Revision ID: c4e2a9d71b36
Revises: b3d9e6f2a417
Create Date: 2026-12-03 12:50:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = 'c4e2a9d71b36'
down_revision: Union[str, Sequence[str], None] = 'b3d9e6f2a417'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_PROJECT_COLUMNS = (
    'revision', 'revised_by_id', 'edit_history', 'restructured', 'remote_segments',
    'media_analysis', 'render_state', 'render_progress', 'render_detail',
    'render_error', 'render_warnings', 'language_tracks',
    'render_path', 'render_takes', 'render_heartbeat_at',
)


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('dubbing_projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('revised_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('edit_history', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('restructured', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('remote_segments', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('media_analysis', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('render_state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column('render_progress', sa.Float(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('render_detail', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('render_error', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('render_warnings', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('render_path', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))
        batch_op.add_column(sa.Column('render_takes', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('language_tracks', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('render_heartbeat_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            'fk_dubbing_projects_revised_by_id_users', 'users', ['revised_by_id'], ['id'],
            ondelete='SET NULL',
        )
    with op.batch_alter_table('dubbing_takes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('start_s', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('end_s', sa.Float(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('dubbing_takes', schema=None) as batch_op:
        batch_op.drop_column('end_s')
        batch_op.drop_column('start_s')
    with op.batch_alter_table('dubbing_projects', schema=None) as batch_op:
        batch_op.drop_constraint('fk_dubbing_projects_revised_by_id_users', type_='foreignkey')
        for name in reversed(_PROJECT_COLUMNS):
            batch_op.drop_column(name)
