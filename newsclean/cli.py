"""`newsclean` command line: run the pipeline, detect languages, and friends.

Errors on bad input or a busy output end with one clear line and a non-zero exit code, never a
traceback wall (pass --debug to see one).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import time
from pathlib import Path

from newsclean import prefect_settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

def _setup_logging(quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s newsclean: %(message)s", "%H:%M:%S"))
    log = logging.getLogger("newsclean")
    log.handlers[:] = [handler]
    log.setLevel(logging.WARNING if quiet else logging.INFO)
    log.propagate = False


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="newsclean",
        description="Turn raw scraped Vietnamese/English news page text into a cleaned Parquet + JSON dataset.",
    )
    p.add_argument("--debug", action="store_true", help="show full tracebacks on errors")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_run(sub)
    _add_eval(sub)
    _add_publish(sub)
    _add_serve(sub)
    _add_report(sub)
    _add_detect_lang(sub)
    _add_show(sub)
    for command in sub.choices.values():  # `newsclean run ... --debug` as well as `newsclean --debug run ...`
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                             help="show full tracebacks on errors")
    return p


def _add_run(sub) -> None:
    run = sub.add_parser(
        "run", help="run the whole pipeline: ingest, clean, detect language, write",
        description="Read every file under --raw, clean it, detect languages and write the dataset "
                    "(documents/, passages/, removed/, quarantine/ Parquet, JSON Lines, manifest.json, "
                    "README.md) into --out. The new output replaces the old one only when complete.",
    )
    run.add_argument("--raw", default=None, help="raw files, read recursively: a folder or an fsspec URL such as "
                                                 "s3://bucket/prefix (default: raw/)")
    run.add_argument("--languages", default=None, metavar="vi,en",
                     help="keep only documents in these languages; the rest go to the filtered table")
    run.add_argument("--out", type=Path, default=None, help="output folder (default: output/)")
    run.add_argument("--config", type=Path, default=None, help="TOML file overriding the defaults (see README)")
    run.add_argument("--shard-size", type=int, default=None, help="at most N pages per task (default: 10000; shards "
                                                                  "also stop at shard_bytes, 4 MiB)")
    run.add_argument("--lang-detector", choices=["fasttext", "langdetect"], default=None,
                     help="general language detector behind the vi/en rule (default: fasttext)")
    run.add_argument("--workers", type=int, default=None,
                     help="run shard tasks in N worker processes on this machine (default: 1)")
    run.add_argument("--dask-address", default=None, metavar="tcp://HOST:8786",
                     help="run shard tasks on an existing Dask cluster (workers need this project installed "
                          "and the raw and output folders at the same paths)")
    run.add_argument("--full", action="store_true", default=None,
                     help="rebuild the dataset from scratch instead of processing only new and changed files")
    run.add_argument("--quiet", action="store_true", help="only warnings and the final summary")


def _add_eval(sub) -> None:
    ev = sub.add_parser(
        "eval", help="score the cleaner against gold readings of pages",
        description="Clean every page under --raw (one batch, no Prefect) and compare with --gold "
                    "(expected.json format or JSON Lines, as ../shared/tools/score_run.py reads). Prints "
                    "per-page errors, then kept-content P/R/F1, role accuracy, trailing removal and metadata accuracy.",
    )
    ev.add_argument("--gold", type=Path, required=True, help="gold readings (.json or .jsonl)")
    ev.add_argument("--raw", type=Path, required=True, help="folder holding the gold pages")
    ev.add_argument("--config", type=Path, default=None, help="TOML file overriding the defaults")
    ev.add_argument("--json", action="store_true", help="print the report as JSON")
    ev.add_argument("--one-by-one", action="store_true",
                    help="clean each page as a batch of its own (no repetition signal across pages)")
    ev.add_argument("--max-errors", type=int, default=50, help="how many per-line errors to print")


def _add_publish(sub) -> None:
    pub = sub.add_parser(
        "publish", help="build a checked, versioned release from the output and upload it",
        description="Build a release from --out (documents and passages as Parquet and gzipped JSON Lines, "
                    "dataset card with a Hugging Face header, Croissant metadata, SHA256SUMS, changelog against "
                    "the target's previous release) and upload it to TARGET: a folder, s3://BUCKET/PREFIX "
                    "(AWS_* settings; --endpoint-url for S3-compatible servers) or hf://datasets/OWNER/NAME "
                    "(token from HF_TOKEN). Refused when a check fails or the version exists.",
    )
    pub.add_argument("--version", required=True, help="release version MAJOR.MINOR.PATCH")
    pub.add_argument("--to", required=True, metavar="TARGET", help="folder, s3://BUCKET/PREFIX or "
                                                                   "hf://datasets/OWNER/NAME")
    pub.add_argument("--out", type=Path, default=None, help="the dataset to publish (default: output/)")
    pub.add_argument("--config", type=Path, default=None, help="TOML file (license, dataset name, ...)")
    pub.add_argument("--build-dir", type=Path, default=Path("build"), help="where the release is assembled (default: "
                                                                           "build/)")
    pub.add_argument("--keep-build", action="store_true", help="keep the assembled release under --build-dir "
                                                                "after uploading (a dry run always keeps it)")
    pub.add_argument("--exclude-duplicates", action="store_true", help="leave out documents marked duplicate_of")
    pub.add_argument("--endpoint-url", default=None, help="S3-compatible endpoint (default: AWS_ENDPOINT_URL)")
    pub.add_argument("--dry-run", action="store_true", help="build and check, print the operations, upload nothing")


def _add_serve(sub) -> None:
    srv = sub.add_parser(
        "serve", help="run the pipeline on a schedule as a Prefect deployment",
        description="Serve the pipeline as a Prefect deployment that runs incrementally on --cron or --interval. "
                    "Without PREFECT_API_URL a local Prefect server is started on 127.0.0.1 (database in "
                    "--state) and stopped on Ctrl-C; with it, that server is used. Runs show in the server's UI.",
    )
    when = srv.add_mutually_exclusive_group(required=True)
    when.add_argument("--cron", help='cron schedule, e.g. "0 2 * * *" (server time zone UTC)')
    when.add_argument("--interval", type=float, help="run every SECONDS")
    srv.add_argument("--raw", type=Path, default=Path("raw"), help="folder of raw pages (default: raw/)")
    srv.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")
    srv.add_argument("--config", type=Path, default=None, help="TOML file overriding the defaults")
    srv.add_argument("--state", type=Path, default=Path(".state"),
                     help="where the local Prefect server keeps its database and log (default: .state/)")
    srv.add_argument("--name", default="newsclean", help="deployment name (default: newsclean)")


def _add_report(sub) -> None:
    rep = sub.add_parser(
        "report", help="an HTML report of the dataset with plots",
        description="Write an HTML page (self-contained, no network) with documents per publisher and month, "
                    "passages by language, removed lines by reason and length distributions.",
    )
    rep.add_argument("--out", type=Path, default=None, help="the dataset (default: output/)")
    rep.add_argument("--to", type=Path, default=None, help="HTML file to write (default: <out>/../report.html)")


def _add_detect_lang(sub) -> None:
    det = sub.add_parser(
        "detect-lang", help="language of each input line as JSON Lines",
        description="Read passages, one per line, from FILE or standard input; write one JSON object per line: "
                    '{"text": ..., "lang": "vi"|"en"|"other", "score": ...}. Same code path as the pipeline.',
    )
    det.add_argument("file", nargs="?", type=Path, help="input file (default: standard input)")
    det.add_argument("--lang-detector", choices=["fasttext", "langdetect"], default="fasttext")


def _add_show(sub) -> None:
    show = sub.add_parser(
        "show", help="print a raw page's text as the pipeline reads it (what offsets point into)",
        description="Read one raw file (or one record of a container) the way ingest does and print its decoded, "
                    "normalised text: passages' and removed lines' char_start/char_end and line numbers point into "
                    "exactly this text.",
    )
    show.add_argument("raw_path", help="the file's path relative to --raw (as in the raw_path column)")
    show.add_argument("--raw", default="raw", help="the raw root (default: raw/)")
    show.add_argument("--record", type=int, default=None, help="the record within a container (raw_record)")
    show.add_argument("--config", type=Path, default=None, help="TOML file (its [input] field mapping applies)")


def _cmd_show(args) -> int:
    from newsclean.config import load_config
    from newsclean.rawfiles import read_files

    cfg = load_config(args.config, raw=args.raw)
    docs, bad, _ = read_files(cfg.raw, [args.raw_path], cfg.max_file_mb, params=cfg.input)
    rows = docs.filter(_record_filter(args.record))
    if rows.height == 0:
        why = "; ".join(f"{r['error']}: {r['detail']}" for r in bad.iter_rows(named=True)) or "no such page"
        raise UserError(f"{args.raw_path}" + (f" record {args.record}" if args.record is not None else "") + f": {why}")
    sys.stdout.write(rows["text"][0])
    return EXIT_OK


def _record_filter(record: int | None):
    import polars as pl

    return pl.col("raw_record").is_null() if record is None else pl.col("raw_record") == record


def _cmd_run(args) -> int:
    from newsclean.config import load_config
    from newsclean.dataset import OutputLocked, output_lock
    from newsclean.sources import SourceError, source_for

    languages = tuple(x.strip() for x in args.languages.split(",") if x.strip()) if args.languages else None
    cfg = load_config(args.config, raw=args.raw, out=args.out, shard_size=args.shard_size,
                      lang_detector=args.lang_detector, workers=args.workers, dask_address=args.dask_address,
                      full=args.full, input_languages=languages)
    try:
        source_for(cfg.raw).check()
    except SourceError as exc:
        raise UserError(str(exc)) from exc
    _refuse_another_raw_root(cfg)
    prefect_settings.apply(prefect_settings.QUIET_RUN)
    # Prefect logs a failed task with its traceback; the CLI reports the failure in one line.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING" if args.debug else "CRITICAL")
    t0 = time.perf_counter()
    api = None  # stopped at exit, and with this process even on kill -9
    try:
        with output_lock(cfg.out):  # before importing Prefect: a busy output is refused at once
            if not os.environ.get("PREFECT_API_URL"):  # no server configured: start Prefect's temporary one now
                from newsclean.localserver import EarlyAPI

                api = EarlyAPI.shared()
            from prefect.settings import temporary_settings

            from flows.pipeline import run_flow

            updates = {"flows.heartbeat_frequency": None}
            if api is not None:
                api.ready(float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]))
                updates["api.url"] = api.api_url  # the client, workers and the flow's tasks all use it
            with temporary_settings(updates=updates):
                manifest = run_flow(cfg)
    except OutputLocked as exc:
        raise UserError(str(exc)) from exc
    from newsclean.summary import print_summary

    print_summary(manifest, time.perf_counter() - t0, cfg.out)
    return EXIT_OK


def _same_root(a: str, b: str) -> bool:
    if "://" in a or "://" in b:
        return a.rstrip("/") == b.rstrip("/")
    return Path(a).resolve() == Path(b).resolve()


def _refuse_another_raw_root(cfg) -> None:
    """An incremental run over a dataset built from another raw folder would mix the two (the old
    folder's documents staying as 'gone' rows): refused unless --full rebuilds from the new one. A
    folder that was moved or copied (it still holds most of the files the dataset was built from)
    is the same raw data and goes on."""
    from newsclean.layout import OutputFolder, read_json

    manifest = OutputFolder(cfg.out).manifest
    if cfg.full or not manifest.is_file():
        return
    try:
        data = read_json(manifest)
        before = data.get("raw_root")
        paths = {row["raw_path"] for row in data.get("inputs", [])}
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return
    if not before or _same_root(str(before), str(cfg.raw)):
        return
    if "://" not in str(cfg.raw) and paths and sum((Path(cfg.raw) / p).is_file() for p in paths) * 2 > len(paths):
        return
    raise UserError(f"{cfg.out} holds a dataset built from {before}, not {cfg.raw}; an incremental run would "
                    f"mix the two. Pass --full to rebuild it from {cfg.raw} alone, or choose another --out")


def _cmd_eval(args) -> int:
    from newsclean.config import load_config
    from newsclean.evaluate import load_gold, predict, score

    cfg = load_config(args.config)
    gold = load_gold(args.gold, args.raw)
    preds, seconds = predict(args.raw, cfg.clean, cfg.lang, one_by_one=args.one_by_one)
    rep = score(gold, preds, args.raw)
    rep["clean_ms_per_page"] = round(1000 * seconds / max(len(preds), 1), 3)
    if args.json:
        print(json.dumps(rep, ensure_ascii=False, indent=1))
        return EXIT_OK
    for e in rep["errors"][: args.max_errors]:
        print("  " + e)
    if len(rep["errors"]) > args.max_errors:
        print(f"  ... {len(rep['errors']) - args.max_errors} more")
    m = rep["metadata"]
    print(f"pages {rep['pages']}  lines {rep['lines']}  kept P/R/F1 {rep['kept_precision']}/{rep['kept_recall']}/"
          f"{rep['kept_f1']}  role_acc {rep['role_accuracy']}")
    print(f"trailing removed {rep['trailing_removed']} (n={rep['trailing_n']})  on-topic wrongly removed "
          f"{rep['ontopic_wrongly_removed']} (n={rep['ontopic_n']})  lang_acc {rep['lang_accuracy']} "
          f"(n={rep['lang_n']})")
    print(f"metadata: published {m['published']}  source_url {m['source_url']}  title {m['title']}  "
          f"(pages carrying each: {rep['metadata_n']})  clean {rep['clean_ms_per_page']} ms/page")
    return EXIT_OK


def _cmd_detect_lang(args) -> int:
    from transforms.langid import LangParams, detect_many

    params = LangParams(detector=args.lang_detector)
    src = open(args.file, encoding="utf-8", errors="replace") if args.file else sys.stdin
    with src:
        batch: list[str] = []
        for line in src:
            batch.append(line.rstrip("\n").rstrip("\r"))
            if len(batch) >= 10_000:
                _write_langs(batch, params, detect_many)
                batch = []
        _write_langs(batch, params, detect_many)
    return EXIT_OK


def _write_langs(batch: list[str], params, detect_many) -> None:
    for text, (lang, score) in zip(batch, detect_many(batch, params), strict=True):
        sys.stdout.write(json.dumps({"text": text, "lang": lang, "score": score}, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _cmd_publish(args) -> int:
    from newsclean.config import load_config
    from newsclean.publish import PublishRefused, publish

    cfg = load_config(args.config, out=args.out)
    try:
        rep = publish(cfg.out, args.version, args.to, cfg, args.build_dir, dry_run=args.dry_run,
                      exclude_duplicates=args.exclude_duplicates, endpoint_url=args.endpoint_url,
                      keep_build=args.keep_build)
    except PublishRefused as exc:
        print("newsclean: publish refused:", file=sys.stderr)
        for failure in exc.failures:
            print(f"  - {failure}", file=sys.stderr)
        return EXIT_FAILED
    verb = "would upload" if rep["dry_run"] else "uploaded"
    print(f"newsclean: release {rep['version']} -> {rep['target']} ({verb} {len(rep['operations'])} files; "
          f"previous {rep['previous_version'] or 'none'})")
    if rep["dry_run"]:
        for op in rep["operations"]:
            size = f"{op['bytes']:,} bytes" if op.get("bytes") is not None else ""
            print(f"  {op['op']:<22} {op['path']}  {size}")
    c = rep["counts"]
    print(f"  documents {c['documents']}, passages {c['passages']}, by language "
          f"{', '.join(f'{k} {v}' for k, v in c['documents_by_language'].items())}; left out: "
          f"{', '.join(f'{k} {v}' for k, v in rep['excluded'].items())}")
    if rep["release_folder"]:
        print(f"  built in {rep['release_folder']}")
    return EXIT_OK


def _cmd_serve(args) -> int:
    from newsclean.config import load_config
    from newsclean.serve import serve

    load_config(args.config, raw=args.raw, out=args.out)  # a bad config fails here, not at 2 a.m.
    if not args.raw.is_dir():
        raise UserError(f"raw folder {args.raw} does not exist or is not a folder")
    if args.interval is not None and args.interval <= 0:
        raise UserError("--interval must be a positive number of seconds")
    prefect_settings.apply(prefect_settings.SERVED)
    return serve(args.raw, args.out, args.config, args.cron, args.interval, args.state, args.name)


def _cmd_report(args) -> int:
    from newsclean.config import load_config
    from newsclean.report import write_report

    cfg = load_config(None, out=args.out)
    if not (cfg.out / "manifest.json").exists():
        raise UserError(f"{cfg.out} holds no dataset (no manifest.json): run `newsclean run` first")
    dest = args.to or cfg.out.parent / "report.html"
    numbers = write_report(cfg.out, dest)
    print(f"newsclean: report written to {dest} ({numbers['documents']} documents, {numbers['passages']} passages)")
    return EXIT_OK


class UserError(Exception):
    """A problem the user can fix (bad path, busy output): reported in one line."""


def main(argv: list[str] | None = None) -> int:
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a file-size limit becomes an OSError, not a kill
    args = _parser().parse_args(argv)
    _setup_logging(getattr(args, "quiet", False))
    commands = {"run": _cmd_run, "eval": _cmd_eval, "detect-lang": _cmd_detect_lang, "publish": _cmd_publish,
                "report": _cmd_report, "serve": _cmd_serve, "show": _cmd_show}
    try:
        return commands[args.command](args)
    except KeyboardInterrupt:
        print("newsclean: interrupted; the previous output is untouched", file=sys.stderr)
        return 130
    except (UserError, ValueError, OSError) as exc:
        if args.debug:
            raise
        print(f"newsclean: error: {exc}", file=sys.stderr)
        return EXIT_FAILED if not isinstance(exc, (UserError, ValueError)) else EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - the run itself failed: one line, details with --debug
        if args.debug:
            raise
        print(f"newsclean: run failed: {type(exc).__name__}: {exc} (rerun with --debug for the traceback; "
              "the previous output is untouched)", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
