"""The two ways an adapter fails, kept apart because callers treat them differently.

An `AdapterError` is about one document or one exchange (a referral that does not
parse, a filing the transport refused): the document is quarantined or the activity
retried. An `AdapterConfigError` is about the installation (an unknown adapter name,
invalid settings, a broken entry point): no document is at fault, so it must never be
quarantined as if it were, and it stops the caller until someone fixes the config.
"""


class AdapterError(Exception):
    """A document or transport failure; the message is the specific reason."""


class AdapterConfigError(Exception):
    """An adapter that cannot be found, loaded or configured; the message names where."""
