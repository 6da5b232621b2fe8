"""Secrets of a notifier, by environment variable name (never in a settings file).

A name is checked when the settings are read (it must look like a variable name and be
set), and the value is read when a message goes, so a rotated password or token is
picked up without a restart.
"""

import os
import re

from adapters.errors import AdapterConfigError

# Upper case only, on purpose: a secret pasted here by mistake is refused as "not a
# variable name" rather than echoed back in "<it> is not set".
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*")


def checked_env_name(name: str, what: str) -> str:
    if not _ENV_NAME.fullmatch(name):
        raise ValueError(
            f"must be the name of an environment variable (upper-case letters, digits, "
            f"underscores) holding {what}, not {what} itself"
        )
    if not os.environ.get(name):
        raise ValueError(f"environment variable {name} ({what}) is not set")
    return name


def read_secret(name: str, what: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise AdapterConfigError(f"environment variable {name} ({what}) is no longer set")
    return value
