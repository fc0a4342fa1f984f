"""`python -m incidents users ...` and `... evidence ...`: accounts and saved-copy checks.

Account changes are made by whoever can run commands on the server (they hold the
files anyway) and each is written to the store's audit log under "cli:<OS user>".
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path

from incidents.access import Role, Viewer
from incidents.auth.accounts import Account, AccountError, Accounts
from incidents.auth.settings import DB_VAR, USERS_VAR, load_settings
from incidents.auth.strength import WeakPassword
from incidents.store import open_store, store_url
from incidents.translation import N_, _

Command = Callable[[argparse.Namespace], int]
Register = Callable[[str], Callable[[Command], Command]]
ROLES = [r.value for r in Role if r is not Role.PUBLIC]


def add_commands(sub: argparse._SubParsersAction, command: Register) -> None:
    """Add the users and evidence commands to the main parser."""
    users = sub.add_parser("users", help=_("local accounts and roles (see docs/security.md)"))
    users.add_argument("--users", type=Path, help=_("accounts file (or {setting})").format(
        setting=USERS_VAR))  # fmt: skip
    actions = users.add_subparsers(dest="users_action", required=True)
    add = actions.add_parser("add", help=_("create an account"))
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--oidc", action="store_true", help=_("signs in with single sign-on only"))
    add.add_argument("--password-stdin", action="store_true",
                     help=_("read the password from stdin"))  # fmt: skip
    actions.add_parser("list", help=_("list accounts"))
    role = actions.add_parser("set-role", help=_("change an account's role"))
    role.add_argument("name")
    role.add_argument("role", choices=ROLES)
    toggles = (("disable", N_("stop an account signing in")), ("enable", N_("allow it again")))
    for name, text in toggles:
        actions.add_parser(name, help=_(text)).add_argument("name")
    pw = actions.add_parser("passwd", help=_("set a new password"))
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true")
    command("users")(_users)

    from incidents import evidence

    evidence.add_commands(sub, command)


def accounts_for(args: argparse.Namespace) -> Accounts:
    """The accounts file: --users, else the instance's configured one."""
    if getattr(args, "users", None):
        return Accounts(args.users)
    env = {**os.environ, DB_VAR: args.db} if args.db else None
    return Accounts(load_settings(env).users_path)


def _users(args: argparse.Namespace) -> int:
    accounts = accounts_for(args)
    try:
        if args.users_action == "list":
            _print_accounts(accounts.all(), accounts.path)
            return 0
        account, detail = _change(accounts, args)
    except (AccountError, WeakPassword) as error:
        print(_("Not changed: {error}.").format(error=error), file=sys.stderr)
        return 2
    if account.disabled:
        said = _("{name}: {role}, {method}, disabled")
    else:
        said = _("{name}: {role}, {method}")
    print(said.format(name=account.name, role=account.role.value, method=account.method))
    actor = Viewer(f"cli:{getpass.getuser()}", Role.ADMIN)
    try:
        open_store(args.db).log_event(actor, f"users:{args.users_action}", detail)
    except Exception as error:  # the change is made; say loudly that it is not logged
        said = _("The change was made but could not be written to the audit log of {store}: "
                 "{error}")  # fmt: skip
        print(said.format(store=store_url(args.db), error=error), file=sys.stderr)
        return 1
    return 0


def _change(accounts: Accounts, args: argparse.Namespace) -> tuple[Account, dict[str, object]]:
    action, name = args.users_action, args.name
    if action == "add":
        password = None if args.oidc else _password(args.password_stdin)
        method = "oidc" if args.oidc else "local"
        account = accounts.add(name, Role(args.role), password, method)
        return account, {"name": account.name, "role": args.role, "method": method}
    if action == "set-role":
        account = accounts.set_role(name, Role(args.role))
        return account, {"name": account.name, "role": args.role}
    if action in ("disable", "enable"):
        account = accounts.set_disabled(name, action == "disable")
        return account, {"name": account.name}
    if accounts.get(name) is None:
        raise AccountError(_("there is no account named '{name}'").format(name=name))
    account = accounts.set_password(name, _password(args.password_stdin))
    return account, {"name": account.name}  # never the password, not even its hash


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(_("New password (12 characters or more; a few unrelated words): "))
    if getpass.getpass(_("Same password again: ")) != first:
        raise AccountError(_("the two passwords differ"))
    return first


def _print_accounts(accounts: list[Account], path: Path) -> None:
    if not accounts:
        said = _("No accounts in {path}. Add one: python -m incidents users add NAME --role admin")
        print(said.format(path=path))
        return
    width = max(len(a.name) for a in accounts)
    for a in accounts:
        state = _("disabled") if a.disabled else _("active")
        print(f"{a.name:<{width}}  {a.role.value:<7} {a.method:<6} {state:<8} {a.updated_at}")
