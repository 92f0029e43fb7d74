"""Raw file discovery and reading, and the all-or-nothing output machinery, on real files."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsclean.dataset import OutputLocked, output_lock, recover, swap_into_place
from newsclean.rawfiles import make_doc_id, read_files
from newsclean.sources import Found, LocalSource


def test_discovery_symlinks_hidden_nested_and_odd_names(tmp_path):
    root = tmp_path / "raw"
    deep = root / "a" / "b" / "c" / "d"
    deep.mkdir(parents=True)
    (deep / "tin tức mới.txt").write_text("Tiêu đề\n\nNội dung bài viết khá dài để đọc.", encoding="utf-8")
    (root / ".gitkeep").write_text("")
    outside = tmp_path / "secret.txt"
    outside.write_text("outside")
    (root / "link-out.txt").symlink_to(outside)
    (root / "link-in.txt").symlink_to(deep / "tin tức mới.txt")
    (root / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    found = {f.rel_path: f.problem for f in LocalSource(root).discover()}
    assert found == {
        ".gitkeep": "skipped_hidden",
        "a/b/c/d/tin tức mới.txt": None,
        "dangling.txt": "broken_symlink",
        "link-in.txt": None,
        "link-out.txt": "symlink_outside_root",
    }
    docs, bad, _ = read_files(root, ["a/b/c/d/tin tức mới.txt", "link-in.txt"], 64)
    assert docs.height == 2 and bad.height == 0
    assert docs["raw_sha256"][0] == docs["raw_sha256"][1]
    assert docs["doc_id"][0] != docs["doc_id"][1]  # same bytes, two places: two documents


def test_doc_id_is_stable():
    assert make_doc_id("x/y.txt", "ab" * 32) == make_doc_id("x/y.txt", "ab" * 32)
    assert make_doc_id("x/y.txt", "ab" * 32) != make_doc_id("x/z.txt", "ab" * 32)


def test_vanished_and_oversized_files_are_quarantined(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"a" * (2 * 1024 * 1024))
    docs, bad, _ = read_files(tmp_path, ["gone.txt", "big.txt"], max_file_mb=1)
    assert docs.height == 0
    assert dict(zip(bad["raw_path"], bad["error"], strict=True)) == {"gone.txt": "vanished", "big.txt": "too_large"}


def test_swap_replaces_output_and_recover_restores_a_set_aside_one(tmp_path):
    out = tmp_path / "output"
    out.mkdir()
    (out / "v").write_text("1")
    staged = tmp_path / "output.tmp-r2"
    staged.mkdir()
    (staged / "v").write_text("2")
    swap_into_place(staged, out, "r2")
    assert (out / "v").read_text() == "2" and not staged.exists()
    # a crash between the two renames of the fallback path leaves only output.old-*
    os.rename(out, tmp_path / "output.old-r3")
    (tmp_path / "output.tmp-r3").mkdir()
    notes = recover(out)
    assert (out / "v").read_text() == "2"
    assert not list(tmp_path.glob("output.*-r3")) and len(notes) == 2


def test_second_writer_is_refused(tmp_path):
    out = tmp_path / "output"
    code = ("import sys,time; sys.path.insert(0, %r)\n"
            "from newsclean.dataset import output_lock\n"
            "from pathlib import Path\n"
            "with output_lock(Path(%r)):\n    print('locked', flush=True); time.sleep(30)\n") % (
        str(Path(__file__).resolve().parents[1]), str(out))
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(OutputLocked, match="being written by pid"):
            with output_lock(out):
                pass
    finally:
        holder.kill()
        holder.wait()
    with output_lock(out):  # free again once the holder is gone
        pass


def test_shards_stop_at_the_page_cap_or_the_byte_budget(tmp_path):
    from newsclean.sources import plan_shards

    sizes = {"a": 10, "b": 10, "c": 50, "d": 200, "e": 5, "f": 5, "g": 5}
    for name, n in sizes.items():
        (tmp_path / name).write_bytes(b"x" * n)
    found = LocalSource(tmp_path).discover() + [Found("vanished", None)]
    names = sorted(sizes) + ["vanished"]
    assert plan_shards(found, max_pages=3, max_bytes=100) == [["a", "b", "c"], ["d"], ["e", "f", "g"], ["vanished"]]
    assert plan_shards(found, max_pages=100, max_bytes=70) == [["a", "b", "c"], ["d"], ["e", "f", "g", "vanished"]]
    assert sum(plan_shards(found, 10_000, 4 << 20), []) == names
