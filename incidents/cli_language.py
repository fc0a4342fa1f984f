"""The options every command takes before or after its name, as people type them
(`import x.csv --db y.gpkg`): `--db`, and `--lang ar|fr|en`, the command line's
language, else the INCIDENTS_LANGUAGE setting, else the system's locale (LC_ALL,
LC_MESSAGES, LANG, as gettext reads them), else English.

The language is chosen from the words before the commands are built, so that their help
is in that language too; click then checks the value (an unknown language is refused
like any option).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import click

from incidents.translation import DEFAULT_SETTING, LANGUAGES, N_, _, supported

OPTION = "--lang"
LOCALE_SETTINGS = ("LC_ALL", "LC_MESSAGES", "LANG")  # strongest first, as gettext reads them
HELP = N_(
    "language of the messages: ar, fr or en (default: the INCIDENTS_LANGUAGE setting, "
    "else the system's language, else en)"
)
DB_HELP = N_("store: a .gpkg path or postgresql:// URL (or INCIDENTS_DB)")


def requested(argv: Sequence[str]) -> str | None:
    """The value of the last --lang in argv ('--lang ar' or '--lang=ar'), if any."""
    found = None
    for at, word in enumerate(argv):
        if word == "--":
            break
        if word == OPTION and at + 1 < len(argv):
            found = argv[at + 1]
        elif word.startswith(OPTION + "="):
            found = word.partition("=")[2]
    return found


def chosen_language(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """The language the command speaks: --lang, the setting, the locale, else English."""
    env = os.environ if environ is None else environ
    wanted = supported(requested(argv)) or supported(env.get(DEFAULT_SETTING))
    for name in LOCALE_SETTINGS:
        if wanted:
            break
        value = env.get(name, "")
        if value:  # the first locale setting given decides, as in gettext
            wanted = supported(value.split(".")[0].split("@")[0]) or "en"
    return wanted or "en"


def _kept(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Given after a command's name, the value replaces one given before it; left out,
    the one given before stays (the contexts of one run share ctx.meta)."""
    key = f"incidents.{param.name}"
    if value is not None:
        ctx.meta[key] = value
    return ctx.meta.get(key)


def pass_db(func: Callable[..., int]) -> Callable[..., int]:
    """The command receives first the store --db names, before or after its name (None:
    INCIDENTS_DB, else the default store)."""

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> int:
        return func(click.get_current_context().meta.get("incidents.db"), *args, **kwargs)

    return run


def as_option() -> Callable[[Any], Any]:
    """--as NAME, who the audit log says acted (the commands act for whoever runs them)."""
    return click.option("--as", "actor", default="cli", help=N_("name recorded in the audit log"))


class Worded(click.Option):
    """An option whose help names values ({name} in its words), filled in after the
    words are translated; a value may be a function (a number in the reader's style)."""

    def __init__(self, *args: Any, values: Mapping[str, Any] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.values = dict(values or {})


def lang_option(help_text: str = HELP, expose: bool = False, **values: str) -> click.Option:
    """--lang; export exposes it (the file's words), the other commands only check it."""
    choice = click.Choice(list(LANGUAGES))
    return Worded([OPTION], type=choice, callback=_kept, expose_value=expose, help=help_text,
                  values=values)  # fmt: skip


def prepared(command: click.Command) -> click.Command:
    """The command, each of its commands and their actions: --db and --lang added where
    missing (export's --lang has help of its own), help in the active language. The
    help is written in English (marked N_) and translated here, on every run, so that
    one process can run commands in several languages (tests do)."""
    names = {p.name for p in command.params}
    db = click.Option(["--db"], callback=_kept, expose_value=False, help=DB_HELP)
    command.params += [o for o in (db, lang_option()) if o.name not in names]
    items: list[Any] = [command, *command.params]
    for item in items:
        english = item.__dict__.setdefault("english_help", getattr(item, "help", None))
        values = {k: v() if callable(v) else v for k, v in getattr(item, "values", {}).items()}
        if english:
            item.help = _(english).format(**values) if values else _(english)
    for sub in getattr(command, "commands", {}).values():
        prepared(sub)
    return command
