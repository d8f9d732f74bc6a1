"""Command line: the edge where settings are built, stages are wired and errors become exit codes.

Data goes to stdout; logs, progress bars and counts go to stderr.
"""

import dataclasses
import json
import logging
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from storyline import __version__, pipeline
from storyline.analyze.article import Analyzer
from storyline.config import DEFAULT_DB, Settings, load_settings
from storyline.errors import StorylineError
from storyline.extract.article import Extractor
from storyline.ingest.sources import Ingestor
from storyline.records import Analysis, Article, to_dict
from storyline.store import SQLiteStore, open_store

F = TypeVar("F", bound=Callable[..., Any])

ANALYSIS_FIELDS = ("summary", "topics", "entities", "claims", "quotes", "events")


def db_option(function: F) -> F:
    return click.option(
        "--db",
        envvar="STORYLINE_DB",
        default=DEFAULT_DB,
        show_default=True,
        help="SQLite database path (env STORYLINE_DB).",
    )(function)


def json_option(function: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")(function)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storyline")
@click.option("-v", "--verbose", count=True, help="More logging on stderr (-vv for debug).")
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path), help="Settings file (storyline.toml).")
@click.pass_context
def cli(context: click.Context, verbose: int, config: Path | None) -> None:
    """storyline: turn news coverage into grounded story briefs."""
    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)]
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    try:
        context.obj = load_settings(config)
    except StorylineError as error:
        raise click.ClickException(str(error)) from error


def _store(db: str) -> SQLiteStore:
    try:
        return open_store(db)
    except StorylineError as error:
        raise click.ClickException(str(error)) from error


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@db_option
@click.option("--allow-private", is_flag=True, help="Allow URLs on private, loopback or link-local addresses.")
@click.option("--ignore-robots", is_flag=True, help="Do not read robots.txt before fetching pages.")
@click.option(
    "--fetch-links/--no-fetch-links",
    default=None,
    help="Fetch the pages of short feed entries (default: feed URLs only).",
)
@click.option("--silent", is_flag=True, help="No progress bar.")
@click.pass_obj
def ingest(
    settings: Settings,
    sources: tuple[str, ...],
    db: str,
    allow_private: bool,
    ignore_robots: bool,
    fetch_links: bool | None,
    silent: bool,
) -> None:
    """Read SOURCES (files, folders, feeds, URLs, .jsonl, '-' for stdin) into the database."""
    fetch = dataclasses.replace(settings.ingest.fetch, allow_private=allow_private, respect_robots=not ignore_robots)
    ingest_settings = dataclasses.replace(settings.ingest, fetch=fetch, fetch_feed_links=fetch_links)
    ingestor = Ingestor(ingest_settings, stdin=sys.stdin.buffer)
    counts: Counter[str] = Counter()
    with _store(db) as store:
        try:
            outcomes = pipeline.ingest(sources, store, ingestor, Extractor(settings.extract))
            for outcome in _progress(outcomes, "ingesting", silent):
                counts[outcome.status] += 1
                if outcome.status == "skipped":
                    click.echo(f"skipped {outcome.location}: {outcome.reason}", err=True)
        finally:
            ingestor.close()
    click.echo(
        f"ingested {counts['ingested']} · duplicates {counts['duplicate']} · skipped {counts['skipped']}",
        err=True,
    )
    if counts["skipped"] and not counts["ingested"] and not counts["duplicate"]:
        sys.exit(1)


T = TypeVar("T")


def _progress(items: Iterator[T], label: str, silent: bool) -> Iterator[T]:
    console = Console(stderr=True)
    if silent or not console.is_terminal:
        yield from items
        return
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description} {task.completed} documents"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(label, total=None)
        for item in items:
            progress.advance(task)
            yield item


@cli.command()
@db_option
@json_option
@click.option("--long", "long_format", is_flag=True, help="The extraction record of each article, without its text.")
@click.option("--limit", type=int, default=None, help="At most this many articles.")
def articles(db: str, as_json: bool, long_format: bool, limit: int | None) -> None:
    """List stored articles (with --json: the full extraction record per line)."""
    with _store(db) as store:
        for article in store.articles(limit):
            if as_json:
                record = article_record(article, store.get_analysis(article.id))
                click.echo(json.dumps(record, ensure_ascii=False))
            elif long_format:
                click.echo(format_article(article, with_text=False) + "\n")
            else:
                click.echo(_article_line(article))


EXTRACTION_FIELDS = ("id", "url", "title", "outlet", "authors", "published", "language", "text", "tags", "flags")


def article_record(article: Article, analysis: Analysis | None = None) -> dict[str, Any]:
    """The `articles --json` record: extraction fields, then analysis fields (empty until analysis runs)."""
    data = to_dict(article)
    record: dict[str, Any] = {key: data[key] for key in EXTRACTION_FIELDS}
    record.update({field: None if field == "summary" else [] for field in ANALYSIS_FIELDS})
    if analysis is not None:
        found = to_dict(analysis)
        summary = analysis.summary
        if summary is not None:
            record["summary"] = {"text": article.text[summary.start : summary.end], **found["summary"]}
        record.update({key: found[key] for key in ("topics", "entities", "claims", "quotes", "events")})
        record["analysis_skipped"] = found["skipped"]
    record["story_id"] = None
    record["provenance"] = {p["field"]: {k: v for k, v in p.items() if k != "field"} for p in data["provenance"]}
    record["sections"] = data["sections"]
    record["removed"] = data["removed"]
    record["locations"] = data["locations"]
    return record


def _article_line(article: Article) -> str:
    meta = " · ".join(x for x in (article.published, article.outlet, ", ".join(article.authors)) if x)
    return f"{article.id}  {article.title}" + (f"  ({meta})" if meta else "")


@cli.command()
@click.argument("article_id")
@db_option
@json_option
def show(article_id: str, db: str, as_json: bool) -> None:
    """Show one article's extraction record (ARTICLE_ID may be a unique prefix)."""
    with _store(db) as store:
        try:
            article = store.get_article(article_id)
        except StorylineError as error:
            raise click.ClickException(str(error)) from error
        analysis = store.get_analysis(article.id)
    if as_json:
        click.echo(json.dumps(article_record(article, analysis), ensure_ascii=False, indent=2))
        return
    click.echo(format_article(article))
    if analysis is not None:
        click.echo("\n" + format_analysis(article, analysis))


def format_article(article: Article, with_text: bool = True) -> str:
    """A readable extraction record: metadata with provenance, flags, tags, removals, text."""
    sources = {p.field: p for p in article.provenance}

    def row(label: str, field: str, value: str | None) -> str:
        origin = sources.get(field)
        note = f"   [{origin.source}, {origin.confidence:.2f}]" if origin else ""
        return f"{label:<10} {value or '—'}{note}"

    lines = [
        f"id         {article.id}",
        row("title", "title", article.title),
        row("outlet", "outlet", article.outlet),
        row("authors", "authors", ", ".join(article.authors)),
        row("published", "published", article.published),
        row("language", "language", article.language),
        f"url        {article.url or '—'}",
        f"tags       {', '.join(article.tags) or '—'}",
        f"flags      {', '.join(article.flags) or '—'}",
        f"locations  {', '.join(article.locations)}",
    ]
    for removal in article.removed:
        lines.append(f"removed    [{removal.reason}] {removal.text[:100]}")
    if with_text:
        lines += ["", article.text]
    return "\n".join(lines)


def format_analysis(article: Article, analysis: Analysis) -> str:
    """The analysis of an article in a few readable lines: summary, topics, people, quotes, claims, events."""
    text = article.text
    lines = []
    if analysis.summary:
        lines.append(f"summary    {text[analysis.summary.start : analysis.summary.end]}")
    lines.append(f"topics     {', '.join(analysis.topics) or '—'}")
    people = sorted({e.canonical for e in analysis.entities if e.label == "PERSON"})
    organisations = sorted({e.canonical for e in analysis.entities if e.label == "ORG"})
    lines.append(f"people     {', '.join(people) or '—'}")
    lines.append(f"orgs       {', '.join(organisations) or '—'}")
    for quote in analysis.quotes:
        lines.append(f"quote      [{quote.start}:{quote.end}] {quote.speaker or 'unattributed'}: “{quote.text[:140]}”")
    for claim in analysis.claims:
        numbers = "; ".join(f"{q.text} = {q.comparator}{q.value:g} {q.unit or ''}".strip() for q in claim.quantities)
        lines.append(f"claim      [{claim.start}:{claim.end}] {claim.score:.2f} {claim.text[:140]}")
        if numbers:
            lines.append(f"           numbers: {numbers}")
    for event in analysis.events:
        lines.append(f"event      {event.date}  [{event.start}:{event.end}] {event.text[:120]}")
    for reason in analysis.skipped:
        lines.append(f"skipped    {reason}")
    return "\n".join(lines)


@cli.command()
@db_option
@click.option("--processes", type=int, default=None, help="Worker processes (default from settings: 2).")
@click.option("--silent", is_flag=True, help="No progress bar.")
@click.pass_obj
def analyze(settings: Settings, db: str, processes: int | None, silent: bool) -> None:
    """Analyse stored articles: sentences, entities, quotes, claims, dated events, topics, summary."""
    analyze_settings = settings.analyze
    if processes is not None:
        analyze_settings = dataclasses.replace(analyze_settings, processes=processes)
    count = 0
    with _store(db) as store:
        for _ in _progress(pipeline.analyze(store, Analyzer(analyze_settings)), "analysing", silent):
            count += 1
    click.echo(f"analysed {count} articles", err=True)


def main() -> None:
    cli(prog_name="storyline")
