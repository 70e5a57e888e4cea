"""Warnings for the log, never the player's screen, with `logging` imported only when one is given.

Play logs only what went wrong in the background (an observer that failed, a write the results
store refused). Importing `logging` (with `traceback`, `string` and `weakref`) at start was about
4 ms of every plain game's 100 for a module that a game that goes well never uses, so a warning
imports it. Each logger gets a `NullHandler`: nothing reaches a full-screen app's terminal unless
the program configures logging itself, and tests read the records with pytest's `caplog`.
"""

from __future__ import annotations


def warn(logger_name: str, message: str, *args: object, error: BaseException | None = None) -> None:
    """Log a warning under `logger_name` (a module's `__name__`).

    Args:
        logger_name: the logger's name, by convention the module's `__name__`.
        message: a `%`-style format, as `logging.Logger.warning` takes.
        *args: the values for `message`.
        error: the exception that caused it, whose traceback is logged with the message.
    """
    import logging

    logger = logging.getLogger(logger_name)
    if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
        logger.addHandler(logging.NullHandler())
    logger.warning(message, *args, exc_info=error)
