"""The `digest-tui` command line: `digest-tui [--archive DIR]... [COMMAND]`.

With no command it opens the reader. Subcommands live in their own modules (show, search,
state, market), each imported only when one of its commands runs (group.py's
`COMMAND_MODULES`), and they only import the headless core, so a command starts without
loading textual or the modules of the others. The daily update, a plain
`digest-tui [--archive DIR]... index`, is run without even loading click (`plain_index`): it
is the command run most often, and click was a tenth of its time.
Every error is one line on stderr, `digest-tui: error: ...`, with the contract's exit status:
1 runtime error, 2 usage error. No traceback reaches the user.
"""

from __future__ import annotations

import os
import sys

from .errors import EXIT_RUNTIME, EXIT_USAGE, UserError, echo_err, error

#: The flags of `index` that `plain_index` runs without click (any other word: click runs).
PLAIN_INDEX_FLAGS = ("--rebuild", "--progress-json")


def plain_index(args: list[str]) -> tuple[tuple[str, ...], set[str]] | None:
    """The `--archive` values and the flags of a command line that is `index` with no more
    than `--archive DIR` (or `--archive=DIR`) before it and PLAIN_INDEX_FLAGS after it; None
    for any other (help, a value that looks like an option, shell completion...)."""
    if os.environ.get("_DIGEST_TUI_COMPLETE"):
        return None
    archives: list[str] = []
    words = iter(args)
    for word in words:
        if word == "index":
            flags = set(words)
            return (tuple(archives), flags) if flags <= set(PLAIN_INDEX_FLAGS) else None
        if word.startswith("--archive="):
            value = word[len("--archive=") :]
        elif word == "--archive":
            value = next(words, "-")
        else:
            return None
        if value.startswith("-"):
            return None  # click decides what that means
        archives.append(value)
    return None


def _run_plain_index(archives: tuple[str, ...], flags: set[str]) -> None:
    """What `digest-tui --archive ... index [flags]` does through click (group.py's `cli`
    and search.py's `index_command`), without it."""
    from .errors import make_context

    ctx = make_context(archives)
    rebuild = "--rebuild" in flags
    if "--progress-json" in flags:
        from .index_progress import index_reporting_json

        index_reporting_json(ctx, rebuild)
        return
    from .updating import bring_up_to_date, open_library

    bring_up_to_date(open_library(ctx), rebuild=rebuild, summary=True, merge_after=True)


def _run_click(argv: list[str] | None) -> int:
    """Run the command line through the click group; click's own outcomes as exit statuses."""
    import click

    from .group import cli

    try:
        cli.main(args=argv, prog_name="digest-tui", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc), err=True)
        return EXIT_USAGE
    except click.UsageError as exc:
        error(exc.format_message())
        return EXIT_USAGE
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        error("interrupted")
        return 130
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    plain = plain_index(sys.argv[1:] if argv is None else argv)
    try:
        if plain is None:
            return _run_click(argv)
        try:
            _run_plain_index(*plain)
        except (EOFError, KeyboardInterrupt):
            echo_err("")  # as click does: the blank line closes the terminal's ^C echo
            error("interrupted")
            return 130
    except UserError as exc:
        error(str(exc))
        return exc.status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader of our output went away (e.g. `| head`): not an error worth a message
        try:
            sys.stdout = open(os.devnull, "w")  # silence the flush at exit
        except OSError:
            pass
        return 0
    except OSError as exc:
        error(f"{exc.strerror}: {exc.filename}" if exc.strerror and exc.filename else str(exc))
        return EXIT_RUNTIME
    except Exception as exc:  # never a traceback for the user
        if os.environ.get("DIGEST_TUI_DEBUG"):
            raise
        error(f"unexpected {type(exc).__name__}: {exc} (set DIGEST_TUI_DEBUG=1 for details)")
        return EXIT_RUNTIME
    return 0


#: The cycle collector's first threshold while a command runs (Python's default is 700): a
#: command is a short process that mostly imports modules and builds objects that live until
#: it exits, where each collection scans them all again for nothing (2-3% of adding a post
#: to the index, measured in instructions). The reader gets the default back (group.py's `cli`).
COMMAND_GC_THRESHOLD = 50_000


#: OpenBLAS, numpy's matrix library, starts a worker thread for each other core as numpy is
#: imported, and the worker spins for about 0.1 s before it sleeps: in a `search` (0.25 s)
#: that was 50 ms of CPU, for matrix products digest-tui never computes, and on a busy
#: machine the spinning competes with the search itself. With one thread none is started. A
#: value set by the user is kept.
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "1")


def run() -> None:
    """Console-script wrapper: exit with main()'s status."""
    import gc

    os.environ.setdefault(*BLAS_THREADS)  # before numpy is first imported
    gc.set_threshold(COMMAND_GC_THRESHOLD, *gc.get_threshold()[1:])
    status = main()
    from ...index import startup_cache

    startup_cache.save()
    if plain_index(sys.argv[1:]) is not None:
        _end_now(status)
    # Nothing made from here on needs the cycle collector, and what exists is freed when the
    # process ends: the collections of Python's shutdown (4% of adding a post) are skipped.
    gc.freeze()
    sys.exit(status)


def _end_now(status: int) -> None:
    """End the process without Python's shutdown, which frees every module and object one by
    one (1% of the instructions of adding a post, measured with callgrind) for a process that
    is ending anyway. Only for `index`, which has closed its stores and let go of its locks by
    now, and leaves nothing to run at exit (its merge is a child of its own)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            status = status or EXIT_RUNTIME
    os._exit(status)
