"""The README documents every output column and the two set-up commands."""
from __future__ import annotations

from conftest import REPO
from newsclean.dataset import COLUMN_DOCS, TABLES


def test_readme_documents_every_column():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    for table, schema in TABLES.items():
        assert f"output/{table}/" in readme
        for field in schema:
            assert COLUMN_DOCS[table][field.name]
            assert f"| `{field.name}` | `{field.type}` |" in readme, (table, field.name)
