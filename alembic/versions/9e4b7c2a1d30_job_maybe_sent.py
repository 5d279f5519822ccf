"""job maybe_sent: whether a submission's request may have left

Revision ID: 9e4b7c2a1d30
Revises: 3c9d51a7e2b4
Create Date: 2026-12-02 14:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '9e4b7c2a1d30'
down_revision: Union[str, Sequence[str], None] = '3c9d51a7e2b4'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # Existing rows may have been sent: true, the side that never claims "nothing was sent".
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('maybe_sent', sa.Boolean(), server_default=sa.text('(true)'), nullable=False))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_column('maybe_sent')
