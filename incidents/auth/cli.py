"""`python -m incidents users ...`: local accounts and their roles.

Account changes are made by whoever can run commands on the server (they hold the
files anyway) and each is written to the store's audit log under "cli:<OS user>".
"""

from __future__ import annotations

import functools
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from incidents import cli_language
from incidents.access import Role, Viewer
from incidents.auth.accounts import Account, AccountError, Accounts
from incidents.auth.settings import DB_VAR, USERS_VAR, load_settings
from incidents.auth.strength import WeakPassword
from incidents.store import open_store, store_url
from incidents.translation import N_, _

ROLES = [r.value for r in Role if r is not Role.PUBLIC]
Change = tuple[Account, dict[str, object]]  # the account as changed, what the audit log keeps
_ROLE = click.Choice(ROLES)
_STDIN = N_("read the password from stdin")


@click.group("users", help=N_("local accounts and roles (see docs/security.md)"))
@click.option("--users", type=click.Path(path_type=Path), cls=cli_language.Worded,
              values={"setting": USERS_VAR}, help=N_("accounts file (or {setting})"))  # fmt: skip
@click.pass_context
def _users(ctx: click.Context, users: Path | None) -> None:
    """The accounts file the actions change: --users, else the instance's."""
    ctx.obj = users


def _accounts(db: str | None) -> Accounts:
    """The accounts file: --users, else the instance's configured one (beside --db)."""
    users = click.get_current_context().obj
    env = {**os.environ, DB_VAR: db} if db else None
    return Accounts(users or load_settings(env).users_path)


def _action(name: str, text: str) -> Callable[[Callable[..., Change]], click.Command]:
    """One action on the accounts file: the change is printed, then written to the
    store's audit log; a refusal is one sentence and exit code 2."""

    def make(change: Callable[..., Change]) -> click.Command:
        def run(db: str | None, **params: Any) -> int:
            try:
                account, detail = change(_accounts(db), **params)
            except (AccountError, WeakPassword) as error:
                print(_("Not changed: {error}.").format(error=error), file=sys.stderr)
                return 2
            return _logged(account, db, name, detail)

        return _users.command(name, help=text)(cli_language.pass_db(run))

    return make


def _logged(account: Account, db: str | None, action: str, detail: dict[str, object]) -> int:
    """Print the account as it now is; say loudly when the audit log could not take it."""
    if account.disabled:
        said = _("{name}: {role}, {method}, disabled")
    else:
        said = _("{name}: {role}, {method}")
    print(said.format(name=account.name, role=account.role.value, method=account.method))
    actor = Viewer(f"cli:{getpass.getuser()}", Role.ADMIN)
    try:
        open_store(db).log_event(actor, f"users:{action}", detail)
    except Exception as error:  # the change is made; say loudly that it is not logged
        said = _("The change was made but could not be written to the audit log of {store}: "
                 "{error}")  # fmt: skip
        print(said.format(store=store_url(db), error=error), file=sys.stderr)
        return 1
    return 0


@click.option("--password-stdin", is_flag=True, help=_STDIN)
@click.option("--oidc", is_flag=True, help=N_("signs in with single sign-on only"))
@click.option("--role", type=_ROLE, required=True)
@click.argument("name")
@_action("add", N_("create an account"))
def _add(accounts: Accounts, name: str, role: str, oidc: bool, password_stdin: bool) -> Change:
    password = None if oidc else _password(password_stdin)
    method = "oidc" if oidc else "local"
    account = accounts.add(name, Role(role), password, method)
    return account, {"name": account.name, "role": role, "method": method}


@click.argument("role", type=_ROLE)
@click.argument("name")
@_action("set-role", N_("change an account's role"))
def _set_role(accounts: Accounts, name: str, role: str) -> Change:
    account = accounts.set_role(name, Role(role))
    return account, {"name": account.name, "role": role}


def _toggle(accounts: Accounts, name: str, disabled: bool) -> Change:
    account = accounts.set_disabled(name, disabled)
    return account, {"name": account.name}


for _name, _text, _off in (("disable", N_("stop an account signing in"), True),
                           ("enable", N_("allow it again"), False)):  # fmt: skip
    click.argument("name")(_action(_name, _text)(functools.partial(_toggle, disabled=_off)))


@click.option("--password-stdin", is_flag=True, help=_STDIN)
@click.argument("name")
@_action("passwd", N_("set a new password"))
def _passwd(accounts: Accounts, name: str, password_stdin: bool) -> Change:
    if accounts.get(name) is None:
        raise AccountError(_("there is no account named '{name}'").format(name=name))
    account = accounts.set_password(name, _password(password_stdin))
    return account, {"name": account.name}  # never the password, not even its hash


@_users.command("list", help=N_("list accounts"))
@cli_language.pass_db
def _list(db: str | None) -> int:
    accounts = _accounts(db)
    listed = accounts.all()
    if not listed:
        said = _("No accounts in {path}. Add one: python -m incidents users add NAME --role admin")
        print(said.format(path=accounts.path))
    width = max((len(a.name) for a in listed), default=0)
    for a in listed:
        state = _("disabled") if a.disabled else _("active")
        print(f"{a.name:<{width}}  {a.role.value:<7} {a.method:<6} {state:<8} {a.updated_at}")
    return 0


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(_("New password (12 characters or more; a few unrelated words): "))
    if getpass.getpass(_("Same password again: ")) != first:
        raise AccountError(_("the two passwords differ"))
    return first


COMMANDS = (_users,)
