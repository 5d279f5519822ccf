"""character speech rates: seconds of audio per text character, learned from finished takes

Revision ID: 5d2a8f41c6e7
Revises: 9e4b7c2a1d30
Create Date: 2026-12-03 09:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = '5d2a8f41c6e7'
down_revision: Union[str, Sequence[str], None] = '9e4b7c2a1d30'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('character_speech_rates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('character_id', sa.Integer(), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('takes', sa.Integer(), nullable=False),
    sa.Column('text_chars', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['character_id'], ['characters.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('character_id', 'language', name='uq_speech_rate_character_language')
    )
    with op.batch_alter_table('character_speech_rates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_character_speech_rates_character_id'), ['character_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('character_speech_rates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_character_speech_rates_character_id'))

    op.drop_table('character_speech_rates')
