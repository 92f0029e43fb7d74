"""The README documents every output column and the two set-up commands."""
from __future__ import annotations

from conftest import REPO
from newsclean.card import readme_columns
from transforms.schema import PUBLISHED


def test_readme_documents_every_column():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    for table, schema in PUBLISHED.items():
        assert f"output/{table}/" in readme
        for field in schema.columns:
            assert field.doc
            assert f"| `{field.name}` | `{field.type}` |" in readme, (table, field.name)


def test_readme_column_tables_are_the_registry():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme_columns() in readme, ("README columns differ from transforms/schema.py: "
                                        "run python -m newsclean.card README.md")
