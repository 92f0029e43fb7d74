"""A run's summary in words: the lines `newsclean run` prints and the Markdown of the Prefect
artifact. Both read the manifest's numbers, so they never disagree with it."""
from __future__ import annotations

import sys
from pathlib import Path


def summary_markdown(manifest: dict) -> str:
    """Markdown tables: this run's inputs, the dataset's documents and passages by language, and
    removed lines by reason."""
    c, r = manifest["counts"], manifest["counts"]["this_run"]
    rows = [f"# newsclean run `{manifest['run_id']}` ({r['mode']})", "",
            "| inputs seen | new | changed | unchanged | gone | quarantined | documents carried |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            f"| {r['inputs_seen']} | {r['new']} | {r['changed']} | {r['unchanged']} | {r['gone']} | "
            f"{r['quarantined']} | {r['documents_carried']} |", "",
            "| language | documents | passages |", "|---|---:|---:|"]
    langs = sorted(set(c["documents_by_language"]) | set(c["passages_by_language"]))
    rows += [f"| {lang} | {c['documents_by_language'].get(lang, 0)} | {c['passages_by_language'].get(lang, 0)} |"
             for lang in langs]
    rows += [f"| **all** | {c['documents']} | {c['passages']} |", "", "| removed because | lines |", "|---|---:|"]
    rows += [f"| {k} | {v} |" for k, v in sorted(c["removed_by_reason"].items(), key=lambda kv: -kv[1])]
    kinds = ", ".join(f"{k} {v}" for k, v in c["duplicates_by_kind"].items()) or "none"
    rows += ["", f"Duplicates marked: {c['duplicates']} ({kinds})."]
    return "\n".join(rows) + "\n"


TOP_REASONS = 6


def print_summary(manifest: dict, wall: float, out: Path) -> None:
    """What `newsclean run` prints when it is done."""
    c = manifest["counts"]
    pages = manifest.get("pages_read", 0)
    langs = ", ".join(f"{k} {v}" for k, v in c["documents_by_language"].items()) or "none"
    by_reason = sorted(c["removed_by_reason"].items(), key=lambda kv: -kv[1])
    reasons = ", ".join(f"{k} {v}" for k, v in by_reason[:TOP_REASONS])
    if len(by_reason) > TOP_REASONS:
        reasons += f" (top {TOP_REASONS} of {len(by_reason)} reasons; all in the manifest)"
    print(f"newsclean: run {manifest['run_id']} done in {wall:.1f}s ({pages / wall if wall else 0:,.1f} pages/s)")
    r = c["this_run"]
    print(f"  this run ({r['mode']}): {r['inputs_seen']} inputs seen, {r['new']} new, {r['changed']} changed, "
          f"{r['unchanged']} unchanged, {r['gone']} gone, {r['quarantined']} quarantined")
    if r["inputs_seen"] == 0:
        print(f"newsclean: warning: no input files found under {manifest.get('raw_root', 'the raw folder')}; "
              "the dataset is empty", file=sys.stderr)
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
    if "orchestration_seconds" in manifest:
        work = sum(manifest["step_work_seconds"].values())
        flow = manifest["wall_seconds"]
        share = manifest["orchestration_seconds"] / flow if flow else 0
        print(f"  time: flow {flow:.2f}s = steps' own work {work:.2f}s + orchestration "
              f"{manifest['orchestration_seconds']:.2f}s ({share:.0%}); start-up and shut-down outside the flow "
              f"{wall - flow:.2f}s")
    sh = manifest.get("shards")
    if sh and sh["workers"] > 1 and sh["parts"] < sh["workers"]:
        print(f"  note: {sh['workers']} workers but {sh['parts']} shard(s) to clean: "
              f"{sh['workers'] - sh['parts']} sat idle (too few pages to split)")
    print(f"  output: {out}/ (manifest.json, README.md)")
