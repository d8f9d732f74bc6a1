"""Command line: the edge where settings are built, stages are wired and errors become exit codes.

Data goes to stdout; logs, progress bars and counts go to stderr.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import logging
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from storyline import __version__
from storyline.errors import BriefsFailed, StorylineError
from storyline.records import Analysis, Article, Brief, Story, to_dict
from storyline.store import DEFAULT_DB, Store, open_store

if TYPE_CHECKING:  # the stages load their models and libraries when a command needs them: `--help` stays fast
    from concurrent.futures import Future

    from storyline import pipeline
    from storyline.analyze.article import AnalyzeSettings
    from storyline.config import Settings
    from storyline.engine.ray_engine import RayEngine
    from storyline.extract.article import Extractor
    from storyline.ingest.fetch import FetchSettings
    from storyline.synthesize.writer import ModelWriter

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

ANALYSIS_FIELDS = ("summary", "topics", "entities", "claims", "quotes", "events")


def db_option(function: F) -> F:
    return click.option(
        "--db",
        envvar="STORYLINE_DB",
        default=DEFAULT_DB,
        show_default=True,
        help="SQLite database path, or a postgresql:// URL (env STORYLINE_DB).",
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
    from storyline.config import load_settings

    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)]
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    try:
        context.obj = load_settings(config)
    except StorylineError as error:
        raise click.ClickException(str(error)) from error


def _store(db: str) -> Store:
    try:
        return open_store(db)
    except StorylineError as error:
        raise click.ClickException(str(error)) from error


def writer_options(function: F) -> F:
    function = click.option(
        "--language",
        default=None,
        metavar="CODE",
        help="Prefer sentences of the sources in this language (ISO 639-1, e.g. de) for every extractive item, "
        "others where none is in it; with --writer llm the model also writes in it. Evidence stays original.",
    )(function)
    return click.option(
        "--writer",
        type=click.Choice(["extractive", "llm"]),
        default=None,
        help="extractive (default): source sentences; llm: a model rewords them, every item verified "
        "(STORYLINE_LLM_BASE_URL, STORYLINE_LLM_MODEL; docs/llm.md).",
    )(function)


def _writer(settings: Settings, writer: str | None, language: str | None) -> tuple[Settings, ModelWriter | None]:
    """Settings with the writer flags applied, and the model writer when one was asked for."""
    chosen = dataclasses.replace(
        settings.brief.writer,
        writer=writer or settings.brief.writer.writer,
        language=language or settings.brief.writer.language,
    )
    settings = settings.replace(brief=dataclasses.replace(settings.brief, writer=chosen))
    if chosen.writer != "llm":
        return settings, None
    from storyline.synthesize.writer import ModelWriter

    try:
        return settings, ModelWriter(chosen)
    except ValueError as error:
        raise click.UsageError(str(error)) from error


def fetch_options(function: F) -> F:
    function = click.option("--silent", is_flag=True, help="No progress bar.")(function)
    function = click.option(
        "--fetch-links/--no-fetch-links",
        default=None,
        help="Fetch the pages of short feed entries (default: feed URLs only).",
    )(function)
    function = click.option("--ignore-robots", is_flag=True, help="Do not read robots.txt before fetching pages.")(
        function
    )
    function = click.option(
        "--strict", is_flag=True, help="Exit non-zero when any document was skipped (for CI pipelines)."
    )(function)
    return click.option(
        "--allow-private", is_flag=True, help="Allow URLs on private, loopback or link-local addresses."
    )(function)


def _ingest(
    settings: Settings,
    store: Store,
    sources: tuple[str, ...],
    options: dict[str, Any],
    parallel: RayEngine | None = None,
    processes: int = 1,
    in_process: Callable[[], None] | None = None,
    forking: Callable[[], None] | None = None,
    extractor: Future[Extractor] | None = None,
) -> Counter[str]:
    """Run ingest with the CLI's fetch options; report skips on stderr; return the counts.

    `counts["unexpected"]` counts skips that came from an unexpected error (a bug; `--strict` fails on them).
    With `parallel` (the Ray engine) documents are extracted on its workers, else in `processes` local worker
    processes (1: in this process); `in_process` is called when they are extracted in this process, `forking`
    before the local worker processes are forked. `extractor`: one being loaded already (`run`).
    """
    from storyline import pipeline
    from storyline.extract.article import Extractor
    from storyline.ingest.sources import Ingestor

    fetch = dataclasses.replace(
        settings.ingest.fetch, allow_private=options["allow_private"], respect_robots=not options["ignore_robots"]
    )
    ingest_settings = dataclasses.replace(settings.ingest, fetch=fetch, fetch_feed_links=options["fetch_links"])
    ingestor = Ingestor(ingest_settings, stdin=sys.stdin.buffer)
    counts: Counter[str] = Counter()
    try:
        loaded = extractor.result() if extractor is not None else Extractor(settings.extract)
        if parallel is not None:
            outcomes = parallel.ingest(sources, store, ingestor)
        else:
            limit = settings.extract.time_limit
            outcomes = pipeline.ingest(sources, store, ingestor, loaded, limit, processes, in_process, forking)
        for outcome in _progress(outcomes, "ingesting", options["silent"]):
            counts[outcome.status] += 1
            counts["unexpected"] += outcome.unexpected
            if outcome.status == "skipped":
                click.echo(f"skipped {outcome.location}: {outcome.reason}", err=True)
    finally:
        ingestor.close()
    unchanged = f" · unchanged {counts['unchanged']}" if counts["unchanged"] else ""
    click.echo(
        f"ingested {counts['ingested']} · duplicates {counts['duplicate']}{unchanged} · skipped {counts['skipped']}"
        + (f" ({counts['unexpected']} by unexpected errors)" if counts["unexpected"] else ""),
        err=True,
    )
    return counts


def _fail_if_strict(counts: Counter[str], strict: bool) -> None:
    if strict and counts["skipped"]:
        raise click.ClickException(f"--strict: {counts['skipped']} document(s) were skipped")


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@db_option
@fetch_options
@click.pass_obj
def ingest(settings: Settings, /, sources: tuple[str, ...], db: str, **options: Any) -> None:
    """Read SOURCES (files, folders, feeds, URLs, .jsonl, '-' for stdin) into the database."""
    with _store(db) as store:
        counts = _ingest(settings, store, sources, options, processes=settings.analyze.processes)
    _fail_if_strict(counts, options["strict"])
    if counts["skipped"] and not counts["ingested"] and not counts["duplicate"] and not counts["unchanged"]:
        sys.exit(1)


def _progress(items: Iterator[T], label: str, silent: bool) -> Iterator[T]:
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

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
                record = article_record(article, store.get_analysis(article.id), store.story_of(article.id))
                click.echo(json.dumps(record, ensure_ascii=False))
            elif long_format:
                click.echo(format_article(article, with_text=False) + "\n")
            else:
                click.echo(_article_line(article))


EXTRACTION_FIELDS = ("id", "url", "title", "outlet", "authors", "published", "language", "text", "tags", "flags")


def article_record(article: Article, analysis: Analysis | None = None, story_id: str | None = None) -> dict[str, Any]:
    """The `articles --json` record: extraction fields, then analysis fields (empty until analysis runs), and the
    story the article is in (None until it is clustered)."""
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
        record["analyzers"] = found["analyzers"]  # which rules and models read it ("entities:en_core_web_sm-3.8.0")
    record["story_id"] = story_id
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
        story_id = store.story_of(article.id)
    if as_json:
        click.echo(json.dumps(article_record(article, analysis, story_id), ensure_ascii=False, indent=2))
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
    from storyline import pipeline
    from storyline.analyze.article import Analyzer

    analyze_settings = settings.analyze
    if processes is not None:
        analyze_settings = dataclasses.replace(analyze_settings, processes=processes)
    count = 0
    with _store(db) as store:
        for _ in _progress(pipeline.analyze(store, Analyzer(analyze_settings)), "analysing", silent):
            count += 1
    click.echo(f"analysed {count} articles", err=True)


@cli.command()
@db_option
@click.pass_obj
def cluster(settings: Settings, db: str) -> None:
    """Assign new articles to stories (a re-run with nothing new changes nothing)."""
    from storyline import pipeline
    from storyline.cluster import Embedder

    with _store(db) as store:
        outcome = pipeline.cluster(store, settings.cluster, Embedder.default(settings.cluster))
    waiting = f" · {outcome.waiting} articles wait for their analysis (storyline analyze)" if outcome.waiting else ""
    click.echo(
        f"clustered {outcome.articles} articles · {outcome.stories_changed} stories changed"
        f" · {outcome.events} log lines{waiting}",
        err=True,
    )


def story_record(story: Story, brief: Brief | None) -> dict[str, Any]:
    """The `stories --json` record: the story (members, credits, coverage) with its headline and conflict count."""
    data = to_dict(story)
    data["headline"] = brief.headline.text if brief else None
    data["conflicts"] = len(brief.conflicts) if brief else None
    return data


@cli.command()
@db_option
@json_option
@click.option("--limit", type=int, default=None, help="At most this many stories.")
@click.option(
    "--status",
    type=click.Choice(["active", "dormant", "all"]),
    default="all",
    show_default=True,
    help="Active stories are still in the clustering window; dormant ones left it (kept whole).",
)
def stories(db: str, as_json: bool, limit: int | None, status: str) -> None:
    """List stories by latest activity, newest first (with --json: one story record per line)."""
    with _store(db) as store:
        for story in store.stories(limit, status=None if status == "all" else status):
            stored = store.get_brief(story.id)
            brief = stored[0] if stored else None
            if as_json:
                click.echo(json.dumps(story_record(story, brief), ensure_ascii=False))
                continue
            coverage = story.coverage
            title = brief.headline.text if brief else store.get_article(story.members[0].article_id).title
            last = coverage.last_seen if coverage and coverage.last_seen else "undated"
            count = len(story.members)
            click.echo(
                f"{story.id}  {count:>3} article{'s' if count != 1 else ' '}  {last:<10}  {story.status:<7}  {title}"
            )


def _brief_of(
    store: Store, story_id: str, settings: Settings, writer: ModelWriter | None = None, view: bool = False
) -> pipeline.BriefOutcome:
    """The story's stored brief, written (and stored) first when missing, stale or asked of a model `writer`.

    `view` (`brief --language` with the extractive writer): the brief is written with the settings' language
    preference and shown, not stored; the stored brief stays the one the pipeline wrote."""
    from storyline import pipeline
    from storyline.synthesize.brief import write_checked_brief

    story = store.get_story(story_id)
    if view and writer is None:
        bundle = pipeline.story_input(store, story)
        written, found = write_checked_brief(bundle, settings.brief)
        return pipeline.brief_outcome(store, story, bundle, written, tuple(str(p) for p in found))
    stored = store.get_brief(story.id)
    if stored is None or store.stale_briefs(story.id) or writer is not None:
        return next(pipeline.write_briefs(store, settings.brief, [story.id], writer))
    brief, problems = stored
    articles = {m.article_id: store.get_article(m.article_id) for m in story.members}
    return pipeline.BriefOutcome(story.id, brief, tuple(problems), articles, pipeline.story_context(store, story))


def render(outcome: pipeline.BriefOutcome, format: str, color: bool = False) -> str:
    """The brief in `format`, with the story's status and links (Markdown and HTML link the sibling brief files)."""
    from storyline.render import render_html, render_json, render_markdown, render_text

    context = outcome.context
    if format == "json":
        return render_json(outcome.brief, context=context)
    if format == "md":
        return render_markdown(outcome.brief, outcome.articles, context=context)
    if format == "html":
        return render_html(outcome.brief, outcome.articles, context=context)
    return render_text(outcome.brief, outcome.articles, color=color, context=context)


@cli.command()
@click.argument("story_id")
@db_option
@click.option(
    "--format", "format_", type=click.Choice(["text", "json", "md", "html"]), default="text", show_default=True
)
@click.option("--changes", is_flag=True, help="What changed since the previous version (or --since) instead.")
@click.option("--since", default=None, help="With --changes: a version number, an ISO time, or 24h / 7d / 90m ago.")
@writer_options
@click.pass_obj
def brief(
    settings: Settings,
    story_id: str,
    db: str,
    format_: str,
    changes: bool,
    since: str | None,
    writer: str | None,
    language: str | None,
) -> None:
    """Print the brief of a story (STORY_ID may be a unique prefix), writing it first if it is missing or stale.

    With --writer llm the brief is written again, its wording by the model, every item verified. With --language
    (the extractive writer) it is written again preferring the sentences of sources in that language, and shown
    without replacing the stored brief."""
    from storyline.updates import changes_lines, changes_since

    settings, model_writer = _writer(settings, writer, language)
    with _store(db) as store:
        try:
            outcome = _brief_of(store, story_id, settings, model_writer, view=language is not None)
            found = changes_since(store, outcome.story_id, since_time(since)) if changes else None
        except StorylineError as error:
            raise click.ClickException(str(error)) from error
    if found is not None:
        if format_ == "json":
            record = {"story_id": found.story_id, "since_version": found.since_version, "version": found.version}
            click.echo(json.dumps({**record, "changes": changes_lines(found)}, ensure_ascii=False))
        else:
            older = f"version {found.since_version}" if found.since_version else "nothing (a new story)"
            click.echo(f"Changes in {found.story_id}, version {found.version} against {older}:")
            click.echo("".join(f"- {line}\n" for line in changes_lines(found)), nl=False)
        return
    click.echo(render(outcome, format_, color=format_ == "text" and sys.stdout.isatty()), nl=False)
    for problem in outcome.problems:
        click.echo(f"grounding problem: {problem}", err=True)
    if model_writer is not None:
        click.echo(model_writer.report.summary(), err=True)
        model_writer.close()


@cli.command()
@click.argument("story_ids", nargs=-1)
@db_option
@click.option("--all", "check_all", is_flag=True, help="Check every story's stored brief.")
@click.option(
    "--store", "check_store", is_flag=True, help="Check the store's invariants (every article in a story, ...)."
)
@json_option
@click.pass_obj
def check(
    settings: Settings, story_ids: tuple[str, ...], db: str, check_all: bool, check_store: bool, as_json: bool
) -> None:
    """Run the grounding checker on stored briefs (STORY_IDs or --all), or prove the store's invariants (--store).

    --store checks: every analysed article is in exactly one story or has a recorded reason; every story has
    members and a brief (current or marked stale); member counts, story and brief ids, the clustering state
    and the full-text index agree; no dangling ids. Exit 1 on any failure.
    """
    from storyline import pipeline
    from storyline.synthesize.grounding import check_grounding

    if check_store:
        with _store(db) as store:
            report = pipeline.check(store)
        if as_json:
            click.echo(json.dumps(report.to_json(), ensure_ascii=False))
        else:
            click.echo("\n".join(report.lines()))
        if not report.ok:
            sys.exit(1)
        return
    failed = 0
    with _store(db) as store:
        ids = [s.id for s in store.stories()] if check_all else list(story_ids)
        if not ids:
            raise click.UsageError("give STORY_ID(s), --all or --store")
        for story_id in ids:
            try:
                outcome = _brief_of(store, story_id, settings)
            except StorylineError as error:
                raise click.ClickException(str(error)) from error
            problems = check_grounding(outcome.brief, outcome.articles)
            status = "ok" if not problems else f"{len(problems)} problem(s)"
            click.echo(f"{outcome.story_id}  {status}  {outcome.brief.headline.text}")
            for problem in problems:
                click.echo(f"    {problem}")
            failed += bool(problems)
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@db_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("briefs"),
    show_default=True,
    help="Folder for the briefs: <story>.json, .md and .html, plus index.md.",
)
@click.option(
    "--processes", type=int, default=None, help="Extraction and analysis worker processes (default from settings: 2)."
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="local: this process and a process pool; ray: extraction, analysis and briefs on Ray workers"
    " (--processes of them), the same results.",
)
@click.option(
    "--ray-address",
    default=None,
    metavar="ADDR",
    help="With --engine ray: join this Ray cluster (default: start a local Ray on loopback).",
)
@click.option("--check", "check_after", is_flag=True, help="Run `check --store` at the end; exit 1 if it fails.")
@writer_options
@fetch_options
@click.pass_obj
def run(
    settings: Settings,
    /,
    sources: tuple[str, ...],
    db: str,
    out: Path,
    processes: int | None,
    check_after: bool,
    engine: str,
    ray_address: str | None,
    writer: str | None,
    language: str | None,
    **options: Any,
) -> None:
    """Ingest SOURCES, analyse, cluster and write a checked brief of every story into --out."""
    from storyline import pipeline

    analyze_settings = settings.analyze
    if processes is not None:
        analyze_settings = dataclasses.replace(analyze_settings, processes=processes)
    # Forks the analysis worker of a short run and starts the loading threads: before any stage is imported.
    with pipeline.RunModels(settings, analyze_settings, sources, local=engine == "local") as models:
        settings, model_writer = _writer(settings, writer, language)

        with _store(db) as store, _engine(engine, ray_address, settings, analyze_settings) as parallel:
            counts = _ingest(
                settings,
                store,
                sources,
                options,
                parallel,
                analyze_settings.processes,
                in_process=models.start_embedder,
                forking=models.forking,
                extractor=models.extractor,
            )
            if not store.count_articles():
                raise click.ClickException("no articles to brief: every source was skipped")
            analyses = parallel.analyze(store) if parallel is not None else models.analyses(store)
            analysed = sum(1 for _ in _progress(analyses, "analysing", options["silent"]))
            models.close_worker()  # its models are not needed any more
            embedder = models.take_embedder()
            clustered = pipeline.cluster(store, settings.cluster, embedder)
            del embedder  # the models are not needed for the briefs (nor in their worker processes)
            waiting = f" ({clustered.waiting} stored by another run wait for its analysis)" if clustered.waiting else ""
            click.echo(f"analysed {analysed} · clustered {clustered.articles} articles{waiting}", err=True)
            if parallel is not None:  # the stale briefs, written on the workers (a model writer rewrites them here)
                for _ in parallel.write_briefs(store, settings.brief):
                    pass
            # --language: every brief is written again with the preference (stale or not), as with a model writer
            again = [story.id for story in store.stories()] if language and model_writer is None else None
            local = 1 if parallel is not None else analyze_settings.processes
            unwritten: dict[str, str] = {}
            try:
                for _ in pipeline.write_briefs(store, settings.brief, again, writer=model_writer, processes=local):
                    pass
            except BriefsFailed as error:  # the other briefs are written: show them, then fail
                unwritten = error.failures
            stories = [story for story in store.stories() if story.id not in unwritten]
            outcomes = [_brief_of(store, story.id, settings) for story in stories]
            report = pipeline.check(store) if check_after else None
    if model_writer is not None:
        click.echo(model_writer.report.summary(), err=True)
        model_writer.close()
    written = write_brief_files(outcomes, out)
    failed = [o for o in outcomes if o.problems]
    for outcome in failed:
        for problem in outcome.problems:
            click.echo(f"grounding problem in {outcome.story_id}: {problem}", err=True)
    click.echo(
        f"{len(outcomes)} stories from {sum(counts.values())} documents; briefs in {out}/ (start with {written})"
    )
    if report is not None:
        click.echo("\n".join(report.lines()), err=True)
    _fail_if_strict(counts, options["strict"])
    if failed:
        click.echo(f"{len(failed)} brief(s) failed the grounding check (marked in their files)", err=True)
    for story_id, reason in unwritten.items():
        click.echo(f"no brief for {story_id}: {reason}", err=True)
    if failed or unwritten or (report is not None and not report.ok):
        sys.exit(1)


def _engine(
    engine: str, address: str | None, settings: Settings, analyze: AnalyzeSettings
) -> AbstractContextManager[RayEngine | None]:
    """The Ray engine (started, or joined at `address`) for `--engine ray`; nothing for the local engine."""
    if engine == "local":
        if address is not None:
            raise click.UsageError("--ray-address needs --engine ray")
        return contextlib.nullcontext()
    try:
        from storyline.engine.ray_engine import RayEngine, RaySettings
    except ModuleNotFoundError as error:
        if error.name != "ray" and not (error.name or "").startswith("ray."):
            raise
        raise click.UsageError("--engine ray needs Ray: pip install 'storyline[ray]'") from error

    workers = analyze.processes
    return RayEngine(RaySettings(workers, address), settings.extract, analyze, settings.brief)


def write_brief_files(outcomes: list[pipeline.BriefOutcome], out: Path) -> Path:
    """Write <story>.json, .md and .html for each brief and an index.md listing them; returns the index path."""
    out.mkdir(parents=True, exist_ok=True)
    lines = ["# Stories", "", "| story | articles | headline | grounding |", "|---|---|---|---|"]
    for outcome in outcomes:
        warning = ""
        if outcome.problems:
            warning = "GROUNDING CHECK FAILED:\n" + "\n".join(f"- {p}" for p in outcome.problems) + "\n\n"
        (out / f"{outcome.story_id}.json").write_text(render(outcome, "json"), encoding="utf-8")
        (out / f"{outcome.story_id}.md").write_text(warning + render(outcome, "md"), encoding="utf-8")
        (out / f"{outcome.story_id}.html").write_text(render(outcome, "html"), encoding="utf-8")
        status = "passed" if not outcome.problems else f"{len(outcome.problems)} problem(s)"
        headline = outcome.brief.headline.text.replace("|", "\\|")
        lines.append(
            f"| [{outcome.story_id}]({outcome.story_id}.md) | {outcome.brief.coverage.articles}"
            f" | {headline} | {status} |"
        )
    index = out / "index.md"
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return index


def refresher(settings: Settings) -> pipeline.Refresher:
    """The analyse -> cluster -> brief step with its models loaded, for long-running processes (serve, watch).

    It analyses in-process: such a process already runs threads (onnxruntime, HTTP) when it analyses, and the
    analysis pool forks, which can leave a worker holding a lock no thread will release (a `watch` that never
    finished, twice in two full test runs)."""
    from storyline import pipeline
    from storyline.analyze.article import Analyzer
    from storyline.cluster import Embedder

    analyze_settings = dataclasses.replace(settings.analyze, processes=1)
    embedder = Embedder.default(settings.cluster)
    writer = None
    if settings.brief.writer.writer == "llm":
        from storyline.synthesize.writer import ModelWriter

        writer = ModelWriter(settings.brief.writer)
    return pipeline.Refresher(Analyzer(analyze_settings), embedder, settings.cluster, settings.brief, writer)


def api_ingest(settings: Settings) -> Callable[[Store, list[dict[str, Any]]], dict[str, Any]]:
    """The function behind POST /api/ingest: store the posted articles, then analyse, cluster and brief."""
    from storyline import pipeline
    from storyline.extract.article import Extractor
    from storyline.ingest.jsonl import json_documents

    extractor = Extractor(settings.extract)
    loaded: list[pipeline.Refresher] = []

    def ingest_items(store: Store, items: list[dict[str, Any]]) -> dict[str, Any]:
        documents = json_documents(json.dumps(items), "api", "api")
        outcomes = list(pipeline.store_documents(documents, store, extractor))
        if not loaded:
            loaded.append(refresher(settings))
        report: dict[str, Any] = dict(Counter(o.status for o in outcomes))
        report["skips"] = [{"location": o.location, "reason": o.reason} for o in outcomes if o.status == "skipped"]
        report.update(loaded[0](store))
        return report

    return ingest_items


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option(
    "--token",
    envvar="STORYLINE_TOKEN",
    default=None,
    help="Enable POST /api/ingest, which then requires 'Authorization: Bearer TOKEN' (env STORYLINE_TOKEN).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Server processes (read-only when more than one: no --token).",
)
@click.option(
    "--prerender",
    type=click.IntRange(min=0),
    envvar="STORYLINE_SERVE_PRERENDER",
    default=0,
    show_default=True,
    help="Render this many newest stories (and the list pages showing them) before the first request "
    "(env STORYLINE_SERVE_PRERENDER); docs/web.md has what it buys.",
)
@click.pass_obj
def serve(settings: Settings, db: str, host: str, port: int, token: str | None, workers: int, prerender: int) -> None:
    """Serve the web UI, the JSON API (/api, docs at /api/docs) and the Atom and JSON feeds."""
    from storyline.serve.app import run_server

    if workers > 1 and token:
        raise click.UsageError("POST /api/ingest needs a single worker: drop --token or use --workers 1")
    with _store(db):
        pass  # create or migrate the database before the server opens it read-only
    run_server(
        db,
        host=host,
        port=port,
        token=token,
        ingest=api_ingest(settings) if token else None,
        workers=workers,
        prerender_stories=prerender,
    )


def since_time(value: str | None, now: dt.datetime | None = None) -> str | None:
    """A --since value (`updates.since_time`), or a usage error."""
    from storyline.updates import since_time as parse

    try:
        return parse(value, now)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error


@cli.command()
@db_option
@click.option("--since", required=True, help="24h, 7d, 90m, or an ISO date or time.")
@click.option("--format", "format_", type=click.Choice(["md", "text", "html", "json"]), default="md", show_default=True)
@click.option("--topic", default=None, help="Only stories whose topics, tags or headline mention this.")
def digest(db: str, since: str, format_: str, topic: str | None) -> None:
    """New and updated stories since a time: headline, summary, what changed, conflicts and outlets, ranked by how
    much changed and how widely the story is covered."""
    from storyline.updates import digest as build_digest
    from storyline.updates import render_digest

    start = since_time(since)
    assert start is not None
    with _store(db) as store:
        entries = build_digest(store, start, topic)
    click.echo(render_digest(entries, start, format_), nl=False)


# --- following feeds -----------------------------------------------------------------------------------------


def _fetcher_settings(settings: Settings, allow_private: bool, ignore_robots: bool = False) -> FetchSettings:
    return dataclasses.replace(
        settings.ingest.fetch,
        allow_private=allow_private or settings.ingest.fetch.allow_private,
        respect_robots=settings.ingest.fetch.respect_robots and not ignore_robots,
        host_delay=settings.watch.host_delay,
    )


allow_private_option = click.option(
    "--allow-private", is_flag=True, help="Allow URLs on private, loopback or link-local addresses."
)


@cli.group()
def sources() -> None:
    """The feeds storyline follows (`storyline watch` polls them)."""


@sources.command("add")
@click.argument("urls", nargs=-1, required=True)
@db_option
@click.option("--interval", type=float, default=None, help="Minutes between fetches of these feeds.")
@allow_private_option
@click.pass_obj
def sources_add(
    settings: Settings, urls: tuple[str, ...], db: str, interval: float | None, allow_private: bool
) -> None:
    """Follow URLS: feeds (RSS, Atom, JSON Feed), or pages whose <link rel="alternate"> names one."""
    from storyline.ingest.fetch import Fetcher
    from storyline.watch import discover

    failed = 0
    with _store(db) as store, Fetcher(_fetcher_settings(settings, allow_private)) as fetcher:
        for url in urls:
            try:
                feed = discover(url, fetcher)
            except StorylineError as error:
                click.echo(f"not added {url}: {error}", err=True)
                failed += 1
                continue
            if store.get_feed(feed.url) is not None:
                click.echo(f"already following {feed.url}", err=True)
                continue
            store.put_feed(dataclasses.replace(feed, interval=interval))
            found = f" (found on {url})" if feed.url != url else ""
            click.echo(f"following {feed.url}{found}{': ' + feed.title if feed.title else ''}", err=True)
    if failed:
        sys.exit(1)


@sources.command("list")
@db_option
@json_option
def sources_list(db: str, as_json: bool) -> None:
    """The followed feeds with their state (last success, last error, failures, next fetch)."""
    with _store(db) as store:
        for feed in store.feeds():
            if as_json:
                click.echo(json.dumps(to_dict(feed), ensure_ascii=False))
                continue
            state = (
                feed.status if not feed.last_error else f"{feed.status}, {feed.failures} failure(s): {feed.last_error}"
            )
            last = feed.last_success or "never"
            click.echo(
                f"{feed.url}  [{state}]  last success {last}  next {feed.next_fetch or 'now'}  articles {feed.articles}"
            )


@sources.command("remove")
@click.argument("urls", nargs=-1, required=True)
@db_option
def sources_remove(urls: tuple[str, ...], db: str) -> None:
    """Stop following URLS (the articles read from them stay)."""
    with _store(db) as store:
        missing = [url for url in urls if not store.remove_feed(url)]
    for url in missing:
        click.echo(f"not followed: {url}", err=True)
    if missing:
        sys.exit(1)


@sources.command("resume")
@click.argument("urls", nargs=-1, required=True)
@db_option
def sources_resume(urls: tuple[str, ...], db: str) -> None:
    """Poll paused feeds again (their failure count starts over)."""
    with _store(db) as store:
        for url in urls:
            feed = store.get_feed(url)
            if feed is None:
                raise click.ClickException(f"not followed: {url}")
            store.put_feed(dataclasses.replace(feed, status="active", failures=0, next_fetch=None))


@sources.command("import")
@click.argument("opml", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@click.option("--interval", type=float, default=None, help="Minutes between fetches of these feeds.")
def sources_import(opml: Path, db: str, interval: float | None) -> None:
    """Follow every feed an OPML file lists (not fetched now: `watch` checks them)."""
    from storyline.records import Feed
    from storyline.watch import parse_opml

    try:
        listed = parse_opml(opml.read_bytes())
    except StorylineError as error:
        raise click.ClickException(f"{opml}: {error}") from error
    added = 0
    with _store(db) as store:
        for url, title in listed:
            if store.get_feed(url) is None:
                store.put_feed(Feed(url, url, title, interval=interval))
                added += 1
    click.echo(f"imported {added} feed(s); {len(listed) - added} already followed", err=True)


@sources.command("export")
@db_option
def sources_export(db: str) -> None:
    """Print the followed feeds as OPML."""
    from storyline.watch import export_opml

    with _store(db) as store:
        click.echo(export_opml(store.feeds()), nl=False)


@cli.command()
@db_option
@click.option("--once", is_flag=True, help="One cycle, then exit.")
@click.option("--interval", type=float, default=None, help="Minutes between cycles (default: [watch] interval).")
@allow_private_option
@click.option("--ignore-robots", is_flag=True, help="Do not read robots.txt before fetching.")
@click.option("--silent", is_flag=True, help="No progress line per cycle.")
@click.pass_obj
def watch(
    settings: Settings,
    db: str,
    once: bool,
    interval: float | None,
    allow_private: bool,
    ignore_robots: bool,
    silent: bool,
) -> None:
    """Poll the followed feeds and bring new articles through the whole pipeline; SIGTERM or Ctrl-C stops after
    the article being stored."""
    import signal

    from storyline.extract.article import Extractor
    from storyline.ingest.sources import Ingestor
    from storyline.watch import CycleReport, Watcher

    fetch = _fetcher_settings(settings, allow_private, ignore_robots)
    ingestor = Ingestor(dataclasses.replace(settings.ingest, fetch=fetch))
    with _store(db) as store:
        if not store.feeds():
            raise click.ClickException("no feeds followed: add some with `storyline sources add URL`")
        watcher = Watcher(store, ingestor, Extractor(settings.extract), refresher(settings), settings.watch)

        def stop(signum: int, frame: object) -> None:
            watcher.stop()

        previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}

        def progress(report: CycleReport) -> None:
            if not silent:
                click.echo(report.line(), err=True)

        try:
            every = None if once else 60 * (interval or settings.watch.interval)
            watcher.run(every, progress)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            ingestor.close()


def main() -> None:
    cli(prog_name="storyline")
