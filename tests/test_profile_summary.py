"""benchmarks/profile_run.py's reading of py-spy's raw stacks (the profile behind issue 5's top costs)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from profile_run import parse_raw, summarise  # noqa: E402

RAW = """\
process 10:"";<module> (newsclean:8);main (newsclean/cli.py:312);_find_and_load (<frozen importlib._bootstrap>:1176) 7
process 10:"";Thread.run (threading.py:982);call_task_fn (prefect/task_engine.py:1);clean_shard (newsclean/steps.py:115);clean_documents (transforms/pages.py:70);read_page (transforms/classify.py:210);line_kind (transforms/classify.py:130) 5
process 10:"";Thread.run (threading.py:982);clean_shard (newsclean/steps.py:115);clean_documents (transforms/pages.py:60);shapes_for (transforms/shapes.py:150);collect (polars/lazyframe/frame.py:2000) 3
process 10:"";Thread.run (threading.py:982);write_output (newsclean/output.py:40);_flush (newsclean/dataset.py:90) 2
process 10:"";process 11:"/x/python -m uvicorn --factory prefect.server.api.server:create_app";run (uvicorn/main.py:1) 4
process 10:"";process 11:"/x/python -m uvicorn";run_forever (asyncio/base_events.py:607);EpollSelector.select (selectors.py:468) 6
process 10:"";Thread.run (threading.py:982);_wait (flows/pipeline.py:97);as_completed (concurrent/futures/_base.py:243);Condition.wait (threading.py:629) 9
"""


def test_profile_summary_counts_processes_steps_and_own_frames(tmp_path):
    path = tmp_path / "raw.txt"
    path.write_text(RAW)
    samples = parse_raw(path)
    assert [n for _, _, n in samples] == [7, 5, 3, 2, 4, 6, 9]
    assert samples[4][0].startswith('process 11:') and samples[4][1] == [("run", "uvicorn/main.py")]
    text = summarise(samples)
    assert text.startswith("21 samples (15 more were threads blocked in a wait: left out)")
    assert "| 17 | 81.0% | `newsclean run (client, flow and tasks)` |" in text
    assert "| 4 | 19.0% | `Prefect API server` |" in text
    assert "| 8 | 38.1% | `clean` |" in text and "| 2 | 9.5% | `write` |" in text
    assert "| 5 | 23.8% | `classify.py:line_kind` |" in text
    assert "| 3 | 14.3% | `shapes.py:shapes_for` |" in text  # polars time counts to the project caller
    assert "| 8 | 38.1% | `transforms/pages.py:clean_documents` |" in text
