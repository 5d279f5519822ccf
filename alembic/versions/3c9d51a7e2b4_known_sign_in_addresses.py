"""known sign-in addresses

Revision ID: 3c9d51a7e2b4
Revises: f7b3875e84af
Create Date: 2026-12-02 10:15:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = '3c9d51a7e2b4'
down_revision: Union[str, Sequence[str], None] = 'f7b3875e84af'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('known_sign_in_addresses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('ip_address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('signed_in_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('known_sign_in_addresses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_known_sign_in_addresses_email'), ['email'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('known_sign_in_addresses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_known_sign_in_addresses_email'))

    op.drop_table('known_sign_in_addresses')
