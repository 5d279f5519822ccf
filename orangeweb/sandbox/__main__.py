"""Command line: serve the sandbox, issue keys, read or set balances.

    python -m orangeweb.sandbox --port 8765           # serve (base URL http://127.0.0.1:8765/api)
    python -m orangeweb.sandbox issue-key --tier free --credits 500   # prints the key only
    python -m orangeweb.sandbox credits KEY [--set 900]
    python -m orangeweb.sandbox admin-token           # prints the admin API token

Every command works on the data dir of the environment (`ORANGEWEB_SANDBOX_DATA_DIR`, else
`$ORANGEWEB_DATA_DIR/sandbox`) unless `--data-dir` names another.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from orangeweb.sandbox.config import SandboxConfig, Tier


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m orangeweb.sandbox", description="OrangeClone-compatible sandbox server."
    )
    parser.add_argument("--data-dir", type=Path, help="data directory (default: from the env)")
    parser.add_argument("--host", default="127.0.0.1", help="address to serve on")
    parser.add_argument("--port", type=int, default=8765, help="port to serve on")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="serve the sandbox (the default)")
    issue = commands.add_parser("issue-key", help="issue an API key and print it")
    issue.add_argument("--tier", choices=[tier.value for tier in Tier], default="free")
    issue.add_argument("--credits", type=int, default=500)
    issue.add_argument("--label")
    balance = commands.add_parser("credits", help="print (or --set) a key's credit balance")
    balance.add_argument("key")
    balance.add_argument("--set", type=int, dest="new_balance")
    commands.add_parser("admin-token", help="print the admin API token")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    config = SandboxConfig() if args.data_dir is None else SandboxConfig(data_dir=args.data_dir)
    if args.command in (None, "serve"):
        _serve(config, args.host, args.port)
        return 0
    # Imported here so `serve` does not pay for it twice and the CLI stays quick.
    from orangeweb.sandbox.keys import get_credits, issue_key, set_credits

    if args.command == "issue-key":
        if args.credits < 0:
            print("--credits must not be negative", file=sys.stderr)
            return 2
        print(issue_key(config, Tier(args.tier), args.credits, args.label))
    elif args.command == "credits":
        try:
            if args.new_balance is not None:
                set_credits(config, args.key, args.new_balance)
            print(get_credits(config, args.key))
        except (KeyError, ValueError) as error:
            print(error.args[0] if error.args else "invalid request", file=sys.stderr)
            return 1
    elif args.command == "admin-token":
        print(config.resolved_admin_token())
    return 0


def _serve(config: SandboxConfig, host: str, port: int) -> None:
    import uvicorn

    from orangeweb.sandbox.app import create_app
    from orangeweb.sandbox.logs import install_access_log_redaction

    app = create_app(config)
    install_access_log_redaction()
    print(f"OrangeClone sandbox: base URL http://{host}:{port}/api", flush=True)
    uvicorn.run(app, host=host, port=port)


if __name__ == "__main__":
    sys.exit(main())
