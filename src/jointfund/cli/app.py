"""The `jointfund` command: parses, calls the library, turns its errors into clean exits."""

from __future__ import annotations

import os
import sys

import typer

from jointfund import __version__
from jointfund.cli import (
    accounts,
    auctions,
    audit,
    backup,
    books,
    calendar,
    committees,
    demo,
    export,
    filings,
    forecast,
    governance,
    in_kind,
    investments,
    licences,
    operations,
    rates,
    report,
    serve,
    terms,
    transfers,
    treasury,
)
from jointfund.cli.help_words import translated
from jointfund.cli.language import cli_language
from jointfund.cli.library_words import typer_speaks
from jointfund.cli.output import report_error, show_usage_error
from jointfund.errors import JointfundError
from jointfund.i18n import N_, language

app = typer.Typer(
    name="jointfund",
    help=N_("Books and forecasts for a jointly owned natural-resource revenue fund."),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command()(books.init)
app.command()(books.post)
app.command()(books.balances)
app.command()(books.journal)
app.command()(books.verify)
app.command()(books.close)
app.command()(books.checkpoint)
app.command()(demo.demo)
app.command()(serve.serve)
app.command("backup")(backup.backup)
app.command("restore")(backup.restore)
app.add_typer(accounts.app, name="accounts")
app.add_typer(terms.app, name="terms")
app.add_typer(licences.app, name="licences")
app.add_typer(filings.app, name="filings")
app.add_typer(rates.app, name="fx")
app.add_typer(treasury.app, name="treasury")
app.add_typer(auctions.app, name="auctions")
app.add_typer(forecast.app, name="forecast")
app.add_typer(governance.users_app, name="users")
app.add_typer(committees.app, name="governance")
app.command("propose")(governance.propose)
app.command("approve")(governance.approve)
app.command("reject")(governance.reject)
app.command("proposals")(governance.proposals)
app.command("proposal")(governance.proposal)
operations.app.command("transfer")(transfers.transfer)
operations.app.command("transfers")(transfers.transfers)
operations.app.add_typer(in_kind.app, name="in-kind")
app.add_typer(operations.app, name="contributions")
app.add_typer(investments.app, name="investments")
app.command("capital")(operations.capital)
app.command("metrics")(operations.metrics)
app.command("statement")(operations.statement)
app.add_typer(calendar.app, name="calendar")
app.command("audit")(audit.audit)
app.add_typer(report.app, name="report")
app.add_typer(export.app, name="export")


@app.command()
def version() -> None:
    """Print the jointfund version."""
    sys.stdout.write(__version__ + "\n")


def main(argv: list[str] | None = None) -> int:
    """Entry point: run a command, map library errors to an exit code and one clear line."""
    args = sys.argv[1:] if argv is None else argv
    with language(cli_language(os.environ)), typer_speaks():
        try:
            command = translated(typer.main.get_command(app))
            command.main(args=args, prog_name="jointfund", standalone_mode=False)
        except JointfundError as error:
            return report_error(error, as_json="--json" in args)
        except typer.Exit as done:
            return int(done.exit_code or 0)
        except typer.Abort:
            return 130
        except typer.TyperException as usage:
            show_usage_error(usage)
            return usage.exit_code
        return 0


if __name__ == "__main__":
    sys.exit(main())
