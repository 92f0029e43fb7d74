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


def test_the_readme_configuration_example_quotes_the_defaults():
    """Every value in the README's TOML example is the setting's default (and a valid setting)."""
    import dataclasses
    import re
    import tomllib

    from newsclean.config import Config, load_config

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Configuration"):readme.index("## Inputs")]
    example = tomllib.loads(re.search(r"```toml\n(.*?)```", section, re.S).group(1))
    defaults = Config()
    for key, value in example.items():
        if isinstance(value, dict):
            part = getattr(defaults, key)
            for sub, v in value.items():
                assert v == getattr(part, sub), f"README [{key}] {sub} = {v}, default {getattr(part, sub)}"
        else:
            default = getattr(defaults, key)
            assert value == default, f"README {key} = {value}, default {default}"
    assert dataclasses.is_dataclass(load_config())


def test_registry_polars_types_are_what_polars_reads_from_the_arrow_schema():
    import polars as pl

    from transforms import schema

    tables = [t for t in vars(schema).values() if isinstance(t, schema.Table)]
    assert len(tables) >= 10
    for table in tables:
        assert table.polars == dict(pl.from_arrow(table.arrow.empty_table()).schema), table.name
