"""character copies: a character made available on another key's account, one family

Revision ID: 7a1c3e5b9d20
Revises: 5d2a8f41c6e7
Create Date: 2026-12-03 03:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = '7a1c3e5b9d20'
down_revision: Union[str, Sequence[str], None] = '5d2a8f41c6e7'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('characters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('avatar_seed', sqlmodel.sql.sqltypes.AutoString(length=200), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_characters_origin_id'), ['origin_id'], unique=False)
        batch_op.create_foreign_key('fk_characters_origin_id', 'characters', ['origin_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('characters', schema=None) as batch_op:
        batch_op.drop_constraint('fk_characters_origin_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_characters_origin_id'))
        batch_op.drop_column('avatar_seed')
        batch_op.drop_column('origin_id')
