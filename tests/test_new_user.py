"""What a new user trips over (issue 20): each case as they met it, with the answer they expect."""
from __future__ import annotations

import json

from newsclean.cli import EXIT_USAGE, _parser, main
from newsclean.summary import print_summary


def test_debug_is_accepted_before_and_after_the_subcommand():
    assert _parser().parse_args(["--debug", "run"]).debug is True
    assert _parser().parse_args(["run", "--debug"]).debug is True
    assert _parser().parse_args(["eval", "--gold", "g.jsonl", "--raw", "r", "--debug"]).debug is True
    assert _parser().parse_args(["run"]).debug is False


def test_another_raw_folder_over_an_existing_dataset_is_refused_unless_full(tmp_path, capsys):
    first, second, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    for folder in (first, second, out):
        folder.mkdir()
    (second / "p.txt").write_text("Tiêu đề\n\nMột đoạn văn.\n", encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps({"raw_root": str(first)}))
    code = main(["run", "--raw", str(second), "--out", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == EXIT_USAGE and len(err) == 1
    assert str(first) in err[0] and "--full" in err[0]


def test_a_config_file_reports_every_mistake_with_file_key_and_type(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text('shard_size = "many"\nshard_sise = 5\n[clean]\nmax_line_chars = 1.5\ncolour = 1\n')
    code = main(["run", "--raw", str(tmp_path), "--out", str(tmp_path / "o"), "--config", str(cfg)])
    err = capsys.readouterr().err
    assert code == EXIT_USAGE
    for part in (str(cfg), "shard_size = 'many' should be int", "'shard_sise'", "[clean]: max_line_chars = 1.5",
                 "'colour'"):
        assert part in err, part


def test_malformed_toml_names_the_file(tmp_path, capsys):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("shard_size = = 3\n")
    assert main(["run", "--raw", str(tmp_path), "--out", str(tmp_path / "o"), "--config", str(cfg)]) == EXIT_USAGE
    assert f"{cfg}: not valid TOML" in capsys.readouterr().err


def test_an_unwritable_output_location_names_the_output_folder_not_a_lock_file(tmp_path, capsys):
    (tmp_path / "p.txt").write_text("Title\n\nSome text.\n")
    code = main(["run", "--raw", str(tmp_path), "--out", "/proc/newsclean-out"])
    err = capsys.readouterr().err
    assert code != 0
    assert "/proc/newsclean-out" in err and ".lock" not in err


def _manifest(inputs_seen: int, reasons: dict) -> dict:
    this_run = {"mode": "incremental", "inputs_seen": inputs_seen, "new": 0, "changed": 0, "unchanged": 0,
                "gone": 0, "quarantined": 0}
    counts = {"this_run": this_run, "inputs": 0, "documents": 0, "quarantined": 0, "skipped": 0, "duplicates": 0,
              "documents_by_language": {}, "removed_by_reason": reasons, "passages": 0, "passages_by_role": {},
              "removed_lines": sum(reasons.values())}
    return {"run_id": "r", "raw_root": "raw/", "pages_read": 0, "counts": counts, "step_seconds": {}}


def test_the_summary_says_when_its_reason_list_is_cut_and_warns_on_an_empty_raw_folder(tmp_path, capsys):
    print_summary(_manifest(0, {f"reason_{i}": 10 - i for i in range(9)}), 1.0, tmp_path)
    out = capsys.readouterr()
    assert "no input files found under raw/" in out.err
    assert "top 6 of 9 reasons" in out.out


def test_two_workers_get_shards_to_share_and_small_runs_stay_whole():
    from newsclean.sources import MIN_SHARD_PAGES, pages_per_shard

    assert pages_per_shard(2002, 10000, 1) == 10000
    per = pages_per_shard(2002, 10000, 2)
    assert -(-2002 // per) >= 4  # two shards a worker
    assert pages_per_shard(150, 10000, 2) == MIN_SHARD_PAGES  # too small to split: one shard
    assert pages_per_shard(100000, 10000, 2) == 10000


def test_the_summary_says_when_workers_sat_idle(tmp_path, capsys):
    manifest = _manifest(3, {})
    manifest["shards"] = {"shards": 1, "parts": 1, "workers": 2}
    print_summary(manifest, 1.0, tmp_path)
    assert "2 workers but 1 shard(s) to clean: 1 sat idle" in capsys.readouterr().out
