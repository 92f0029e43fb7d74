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

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

# Quiet, fast Prefect defaults for a local run with no server configured (ephemeral mode). Set before
# Prefect is imported; anything the user exported wins.
PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": "false",
    "PREFECT_LOGGING_TO_API_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}


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

    run = sub.add_parser(
        "run", help="run the whole pipeline: ingest, clean, detect language, write",
        description="Read every file under --raw, clean it, detect languages and write the dataset "
                    "(documents/, passages/, removed/, quarantine/ Parquet, JSON Lines, manifest.json, "
                    "README.md) into --out. The new output replaces the old one only when complete.",
    )
    run.add_argument("--raw", type=Path, default=None, help="folder of raw pages, read recursively (default: raw/)")
    run.add_argument("--out", type=Path, default=None, help="output folder (default: output/)")
    run.add_argument("--config", type=Path, default=None, help="TOML file overriding the defaults (see README)")
    run.add_argument("--shard-size", type=int, default=None, help="pages per task (default: 1000)")
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

    det = sub.add_parser(
        "detect-lang", help="language of each input line as JSON Lines",
        description="Read passages, one per line, from FILE or standard input; write one JSON object per line: "
                    '{"text": ..., "lang": "vi"|"en"|"other", "score": ...}. Same code path as the pipeline.',
    )
    det.add_argument("file", nargs="?", type=Path, help="input file (default: standard input)")
    det.add_argument("--lang-detector", choices=["fasttext", "langdetect"], default="fasttext")
    return p


def _cmd_run(args) -> int:
    from newsclean.config import load_config
    from newsclean.dataset import OutputLocked, output_lock

    cfg = load_config(args.config, raw=args.raw, out=args.out, shard_size=args.shard_size,
                      lang_detector=args.lang_detector, workers=args.workers, dask_address=args.dask_address,
                      full=args.full)
    if not cfg.raw.is_dir():
        raise UserError(f"raw folder {cfg.raw} does not exist or is not a folder")
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)
    # Prefect logs a failed task with its traceback; the CLI reports the failure in one line.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING" if args.debug else "CRITICAL")
    t0 = time.perf_counter()
    from prefect.settings import temporary_settings

    from flows.pipeline import run_flow

    try:
        with output_lock(cfg.out), temporary_settings(updates={"flows.heartbeat_frequency": None}):
            manifest = run_flow(cfg)
    except OutputLocked as exc:
        raise UserError(str(exc)) from exc
    _print_summary(manifest, time.perf_counter() - t0, cfg.out)
    return EXIT_OK


def _print_summary(manifest: dict, wall: float, out: Path) -> None:
    c = manifest["counts"]
    pages = manifest.get("pages_read", 0)
    langs = ", ".join(f"{k} {v}" for k, v in c["documents_by_language"].items()) or "none"
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(c["removed_by_reason"].items(), key=lambda kv: -kv[1])[:6])
    print(f"newsclean: run {manifest['run_id']} done in {wall:.1f}s ({pages / wall if wall else 0:,.1f} pages/s)")
    r = c["this_run"]
    print(f"  this run ({r['mode']}): {r['inputs_seen']} inputs seen, {r['new']} new, {r['changed']} changed, "
          f"{r['unchanged']} unchanged, {r['gone']} gone, {r['quarantined']} quarantined")
    print(f"  dataset: inputs {c['inputs']}: documents {c['documents']}, quarantined {c['quarantined']}, "
          f"skipped {c['skipped']}; duplicates marked {c['duplicates']}")
    print(f"  documents by language: {langs}")
    print(f"  passages {c['passages']} ({', '.join(f'{k} {v}' for k, v in c['passages_by_role'].items())}); "
          f"removed lines {c['removed_lines']}")
    if reasons:
        print(f"  removed by reason: {reasons}")
    if c["quarantined"]:
        print(f"  quarantined by error: {', '.join(f'{k} {v}' for k, v in c['quarantined_by_error'].items())} "
              f"(see {out}/quarantine/)")
    steps = ", ".join(f"{k} {v:.2f}s" for k, v in manifest["step_seconds"].items())
    print(f"  step seconds: {steps}")
    print(f"  output: {out}/ (manifest.json, README.md)")


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
          f"{rep['ontopic_wrongly_removed']} (n={rep['ontopic_n']})  lang_acc {rep['lang_accuracy']} (n={rep['lang_n']})")
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
    for text, (lang, score) in zip(batch, detect_many(batch, params)):
        sys.stdout.write(json.dumps({"text": text, "lang": lang, "score": score}, ensure_ascii=False) + "\n")
    sys.stdout.flush()


class UserError(Exception):
    """A problem the user can fix (bad path, busy output): reported in one line."""


def main(argv: list[str] | None = None) -> int:
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a file-size limit becomes an OSError, not a kill
    args = _parser().parse_args(argv)
    _setup_logging(getattr(args, "quiet", False))
    commands = {"run": _cmd_run, "eval": _cmd_eval, "detect-lang": _cmd_detect_lang}
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
