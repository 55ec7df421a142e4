"""Errors that reach a user as one clear sentence, never as a traceback."""


class UserError(Exception):
    """The command ran but its input was rejected (CONTRACT §1: exit code 1).

    The message names the file, line or field and says what is expected.
    """

    exit_code = 1


class SetupError(UserError):
    """Something the machine lacks (database unreachable, model missing...)."""
