"""Errors the user can fix (bad file, unreadable database) as opposed to bugs.

Anything raised as a ``UserError`` is shown to the user as a plain message; any
other exception is a bug and gets a traceback.
"""


class UserError(Exception):
    """A problem the user can act on; ``str(err)`` is the whole message."""
