"""The ``clusterkit`` command line: the typer app, ``--debug`` and the exit codes.

Every command lives in a module of its own, which defines ``register(app)``:
:mod:`~clusterkit.cli.demo`, :mod:`~clusterkit.cli.generate`, :mod:`~clusterkit.cli.run`,
:mod:`~clusterkit.cli.features`, :mod:`~clusterkit.cli.compare`, :mod:`~clusterkit.cli.runs`,
:mod:`~clusterkit.cli.stages`,
:mod:`~clusterkit.cli.report`, :mod:`~clusterkit.cli.profile`, :mod:`~clusterkit.cli.export`,
:mod:`~clusterkit.cli.resolve`, :mod:`~clusterkit.cli.attribute` and
:mod:`~clusterkit.cli.campaign` (registered in this order, which is the order of
``clusterkit --help``). Helpers shared by several commands are in :mod:`~clusterkit.cli._shared`.

Every command has a Python equivalent (named in its help). Bad input or config prints one
line and exits 2; an internal error exits 1; ``--debug`` (anywhere on the command line)
shows the traceback.
Heavy libraries are imported inside commands so that ``clusterkit --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Annotated

import typer

from clusterkit.cli import (
    attribute,
    campaign,
    compare,
    demo,
    export,
    features,
    generate,
    profile,
    report,
    resolve,
    run,
    runs,
    stages,
)

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Influencer and community clustering: multi-channel behaviour and the follower graph "
    "into named, scored segments.",
)
_state = {"debug": False}


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
):
    _state["debug"] = debug


for _module in (demo, generate, run, features, compare, runs, stages,
                report, profile, export, resolve, attribute, campaign):
    _module.register(app)
del _module


def main(argv=None) -> int:
    """Entry point: runs the app and maps errors to exit codes (2 bad input, 1 internal,
    130 interrupted, 143 terminated).

    A run that stops early (an error, Ctrl-C) may leave a step running beside it
    (:class:`~clusterkit.provenance.Beside`); the process then ends at once, as the
    interpreter's shutdown would free memory that the step's native code still uses.
    """
    import signal

    try:  # SIGTERM (docker stop, a job scheduler) unwinds as Ctrl-C does: nothing half-written
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    try:
        code = _main(argv)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    provenance = sys.modules.get("clusterkit.provenance")  # not imported: nothing ran beside
    if provenance is not None and provenance.Beside.running():
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


class _Terminated(BaseException):
    """SIGTERM, raised where the main thread is, so every ``finally`` and cleanup runs."""


def _terminate(signum, frame):
    raise _Terminated


def _main(argv=None) -> int:
    from clusterkit.errors import ClusterkitInputError

    args = list(sys.argv[1:] if argv is None else argv)
    cut = args.index("--") if "--" in args else len(args)  # after "--": arguments, kept
    debug = "--debug" in args[:cut]
    if debug:  # accepted anywhere on the line, not only before the command
        args = ["--debug"] + [a for a in args[:cut] if a != "--debug"] + args[cut:]
    try:
        code = app(args=args, prog_name="clusterkit", standalone_mode=False)
        return code if isinstance(code, int) else 0  # an explicit exit code, else success
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except ClusterkitInputError as exc:
        if debug:
            traceback.print_exc()
        print("error: " + " ".join(str(exc).split()), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except _Terminated:
        print("error: terminated", file=sys.stderr)
        return 143
    except Exception as exc:  # noqa: BLE001 - the CLI's last line of defence
        if _is_click_error(exc):
            return _usage_error(exc)
        if type(exc).__name__ == "Abort":  # Ctrl-D at a prompt
            print("error: aborted", file=sys.stderr)
            return 1
        if debug:
            traceback.print_exc()
        msg = " ".join(str(exc).split())
        print(f"internal error: {type(exc).__name__}: {msg} (run with --debug for the "
              "traceback)", file=sys.stderr)
        return 1
    return 0


def _is_click_error(exc: BaseException) -> bool:
    """Whether ``exc`` is a usage error of the command-line parser (click's, vendored or not)."""
    return hasattr(exc, "format_message") and isinstance(getattr(exc, "exit_code", None), int)


def _usage_error(exc) -> int:
    """One ``error:`` line for a parser error (no usage box), naming the help to read.

    ``clusterkit`` alone, or a group without its command, still prints the help.
    """
    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
        print(ctx.get_help())
        return 0
    where = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    print("error: " + " ".join(exc.format_message().split()) + where, file=sys.stderr)
    return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
