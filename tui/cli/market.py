"""`stances`, `flips` and `brief`: stances over time from the command line (contract:
"Stances over time"). All three read the index's stored impacts (brought up to date first);
`--json` and `--csv` print the contract's columns, otherwise an aligned table.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from typing import Any

import click
from rich.cells import cell_len

from ...index.library import Library
from ...index.market.brief import DIRECTION_GLYPHS, STANCE_WORDS, brief
from ...index.market.series import PERIODS
from ...index.model import STANCE_GLYPHS
from ...index.sanitize import clean, clean_line, dumps_json_joined
from .errors import EXIT_USAGE, Context, UserError
from .search import _date_option
from .updating import READER_LOCK_WAIT_S, _line, bring_up_to_date, open_library

ITEM_COLUMNS = (
    "date",
    "path",
    "root",
    "item_id",
    "item_title",
    "asset",
    "target",
    "stance",
    "inferred",
    "score",
    "horizon",
    "text",
)
PERIOD_COLUMNS = (
    "period",
    "asset",
    "net",
    *STANCE_WORDS,
    "items",
)
FLIP_COLUMNS = (
    "asset",
    "date",
    "from",
    "to",
    "previous_date",
    "net",
    "path",
    "root",
    "item_id",
    "item_title",
    "analysis",
)


def _range_options(command: Callable[..., Any]) -> Callable[..., Any]:
    since = click.option(
        "--since",
        callback=_date_option("--since"),
        metavar="YYYY-MM-DD",
        help="Only impacts dated on or after this day.",
    )
    until = click.option(
        "--until",
        callback=_date_option("--until"),
        metavar="YYYY-MM-DD",
        help="Only impacts dated on or before this day.",
    )
    return since(until(command))


def _asset_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--asset",
        "assets",
        multiple=True,
        metavar="A",
        help="Only this asset (repeatable; aliases work: 金价 = 黄金). Default: every asset.",
    )(command)


def _prepare(
    ctx: Context, assets: Sequence[str], since: dt.date | None, until: dt.date | None
) -> Library:
    """Check the range, open the library, say which assets are unknown, update the index."""
    if since is not None and until is not None and since > until:
        raise UserError(
            f"impossible date range: --since {since} is after --until {until}", EXIT_USAGE
        )
    library = open_library(ctx, lock_wait=READER_LOCK_WAIT_S)
    for name in library.unknown_assets(a for a in assets if a.strip()):
        _line("notice", f"{name} is not a known asset (`digest-tui assets` lists the assets)")
    bring_up_to_date(library, reading=True)
    return library


def _formats(as_json: bool, as_csv: bool) -> None:
    if as_json and as_csv:
        raise UserError("--json and --csv cannot be used together", EXIT_USAGE)


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(clean(str(v)) for v in value)
    return clean(str(value))


def print_json(records: Sequence[dict[str, Any]]) -> None:
    """A JSON list with one record per line (long lists print fast, diff well)."""
    lines = dumps_json_joined(records, ",\n")
    click.echo(f"[\n{lines}\n]" if records else "[]")


def print_csv(columns: Sequence[str], records: Sequence[dict[str, Any]]) -> None:
    """The records as CSV with a header row (UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([_csv_value(record[c]) for c in columns])
    click.echo(out.getvalue(), nl=False)


def print_table(headers: Sequence[str], lines: Sequence[Sequence[str]]) -> None:
    """An aligned table (wide characters counted as two cells); the last column unpadded.
    Nothing at all when there is no line."""
    if not lines:
        return
    cleaned = [[clean_line(cell) for cell in line] for line in lines]
    widths = [
        max([cell_len(headers[i]), *(cell_len(line[i]) for line in cleaned)])
        for i in range(len(headers))
    ]

    def join(cells: Sequence[str]) -> str:
        padded = [c + " " * (w - cell_len(c)) for c, w in zip(cells[:-1], widths, strict=False)]
        return "  ".join([*padded, cells[-1]]).rstrip()

    click.echo(join(headers))
    for line in cleaned:
        click.echo(join(line))


def _stance_cell(stance: str) -> str:
    return f"{STANCE_GLYPHS[stance]} {STANCE_WORDS[stance]}"


@click.command("stances")
@_asset_option
@_range_options
@click.option(
    "--by",
    type=click.Choice(("item", *PERIODS)),
    default="item",
    show_default=True,
    help="Every impact (item), or the net per day, ISO week or month.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV with a header row.")
@click.pass_obj
def stances_command(
    ctx: Context,
    assets: tuple[str, ...],
    since: dt.date | None,
    until: dt.date | None,
    by: str,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Every impact on an asset, or the net stance per period (bullish +2 … bearish -2)."""
    _formats(as_json, as_csv)
    library = _prepare(ctx, assets, since, until)
    if by == "item":
        records = [row.to_json() for row in library.stances(assets, since, until)]
        columns: Sequence[str] = ITEM_COLUMNS
    else:
        records = [net.to_json() for net in library.period_nets(by, assets, since, until)]
        columns = PERIOD_COLUMNS
    if as_json:
        print_json(records)
    elif as_csv:
        print_csv(columns, records)
    elif by == "item":
        print_table(
            ("date", "asset", "stance", "score", "item"),
            [
                (
                    r["date"],
                    r["asset"],
                    _stance_cell(r["stance"]) + (" ~" if r["inferred"] else ""),
                    f"{r['score']:+d}",
                    r["item_title"],
                )
                for r in records
            ],
        )
    else:
        heads = [STANCE_GLYPHS[s] for s in STANCE_WORDS]
        print_table(
            (by, "asset", "net", *heads, "items"),
            [
                (
                    r["period"],
                    r["asset"],
                    f"{r['net']:+d}",
                    *(str(r[s]) for s in STANCE_WORDS),
                    str(r["items"]),
                )
                for r in records
            ],
        )


@click.command("flips")
@_asset_option
@_range_options
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV with a header row.")
@click.pass_obj
def flips_command(
    ctx: Context,
    assets: tuple[str, ...],
    since: dt.date | None,
    until: dt.date | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Each day an asset's net direction differs from the one of the last earlier day with
    a scored impact on it, with the item that turned it."""
    _formats(as_json, as_csv)
    found = _prepare(ctx, assets, since, until).flips(assets, since, until)
    records = [flip.to_json() for flip in found]
    if as_json:
        print_json(records)
    elif as_csv:
        print_csv(FLIP_COLUMNS, records)
    else:
        print_table(
            ("date", "asset", "turn", "net", "since", "item"),
            [
                (
                    r["date"],
                    r["asset"],
                    f"{DIRECTION_GLYPHS[r['from']]} {r['from']} → "
                    f"{DIRECTION_GLYPHS[r['to']]} {r['to']}",
                    f"{r['net']:+d}",
                    r["previous_date"],
                    r["item_title"],
                )
                for r in records
            ],
        )


@click.command("brief")
@_range_options
@click.pass_obj
def brief_command(ctx: Context, since: dt.date | None, until: dt.date | None) -> None:
    """The period as markdown: net stance per asset, the flips and the items behind them,
    the most discussed items."""
    library = _prepare(ctx, (), since, until)
    rows = library.stances((), since, until)
    click.echo(clean(brief(rows, library.flips((), since, until), since, until)), nl=False)


COMMANDS = [stances_command, flips_command, brief_command]
