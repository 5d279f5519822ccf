"""Maintenance commands: `python -m orangeweb <command>`.

rotate-secrets   add a new encryption key in front and re-encrypt every stored API key
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from orangeweb.db import open_session


def _rotate_secrets(_arguments: argparse.Namespace) -> int:
    from orangeweb.services.keys.secrets import rotate_secrets

    with open_session() as session:
        report = rotate_secrets(session)
    if report.key_source == "file":
        print(
            f"Added a new key ({report.key_count} in the key file) and re-encrypted "
            f"{report.rows_reencrypted} API key(s). Older keys stay in the file so nothing "
            "becomes unreadable; remove them once every process has picked up the new one."
        )
    else:
        print(
            f"Re-encrypted {report.rows_reencrypted} API key(s) under the first key of "
            "ORANGEWEB_SECRET_KEYS. To rotate, put a new key in front of that list first "
            "(make one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'), run this, then drop the old key."
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m orangeweb", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    rotate = commands.add_parser(
        "rotate-secrets", help="add a new encryption key and re-encrypt every stored API key"
    )
    rotate.set_defaults(handler=_rotate_secrets)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    return int(arguments.handler(arguments))


if __name__ == "__main__":
    sys.exit(main())
