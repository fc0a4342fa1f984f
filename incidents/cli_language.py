"""The command line's language: `--lang ar|fr|en` (before or after the command), else
the INCIDENTS_LANGUAGE setting, else the system's locale (LC_ALL, LC_MESSAGES, LANG, as
gettext reads them), else English.

The language is chosen before the parser is built, so that its help is in that language
too; the parser then checks the value (an unknown language is refused like any option).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence

from incidents.translation import DEFAULT_SETTING, LANGUAGES, N_, _, supported

OPTION = "--lang"
LOCALE_SETTINGS = ("LC_ALL", "LC_MESSAGES", "LANG")  # strongest first, as gettext reads them
HELP = N_(
    "language of the messages: ar, fr or en (default: the INCIDENTS_LANGUAGE setting, "
    "else the system's language, else en)"
)


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


def carried(args: argparse.Namespace, argv: Sequence[str]) -> argparse.Namespace:
    """A command with a --lang of its own (export: the file's words) takes the one given
    before the command too: argparse lets the command's default override it, and
    `--lang ar export png` means an Arabic file as well as Arabic messages."""
    wanted = supported(requested(argv))
    if wanted and getattr(args, "lang", None) is not None:
        args.lang = wanted
    return args


def add_option(parser: argparse.ArgumentParser, after_command: bool = False) -> None:
    """--lang on the main parser; after a command's name it keeps the value given before
    it when left out (SUPPRESS), as --db does. A command with its own --lang keeps it."""
    if OPTION in parser._option_string_actions:
        return
    default = argparse.SUPPRESS if after_command else None
    parser.add_argument(OPTION, choices=list(LANGUAGES), default=default, help=_(HELP))
