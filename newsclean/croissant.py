"""Croissant 1.0 JSON-LD metadata for a release (https://mlcommons.org/croissant/).

Built from the release's files and the contract's Arrow schemas, so every column is typed and
described. The @context is Croissant 1.0's, as mlcroissant writes it; the tests validate the
result with mlcroissant and read records from the release's Parquet through it.
"""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from transforms.schema import PUBLISHED

from .config import Config

CONTEXT = {
    "@language": "en", "@vocab": "https://schema.org/", "citeAs": "cr:citeAs", "column": "cr:column",
    "conformsTo": "dct:conformsTo", "cr": "http://mlcommons.org/croissant/", "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"}, "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/", "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"}, "extract": "cr:extract", "field": "cr:field",
    "fileProperty": "cr:fileProperty", "fileObject": "cr:fileObject", "fileSet": "cr:fileSet", "format": "cr:format",
    "includes": "cr:includes", "isLiveDataset": "cr:isLiveDataset", "jsonPath": "cr:jsonPath", "key": "cr:key",
    "md5": "cr:md5", "parentField": "cr:parentField", "path": "cr:path", "recordSet": "cr:recordSet",
    "references": "cr:references", "regex": "cr:regex", "repeated": "cr:repeated", "replace": "cr:replace",
    "samplingRate": "cr:samplingRate", "sc": "https://schema.org/", "separator": "cr:separator", "source": "cr:source",
    "subField": "cr:subField", "transform": "cr:transform",
}
LICENSE_URLS = {
    "cc-by-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "cc-by-sa-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "cc0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "odc-by": "https://opendatacommons.org/licenses/by/1-0/",
}


def _data_type(t: pa.DataType) -> tuple[str, bool]:
    """(Croissant data type, repeated) for an Arrow type."""
    if pa.types.is_list(t):
        inner, _ = _data_type(t.value_type)
        return inner, True
    if pa.types.is_integer(t):
        return "sc:Integer", False
    if pa.types.is_floating(t):
        return "sc:Float", False
    if pa.types.is_timestamp(t):
        return "sc:Date", False
    if pa.types.is_boolean(t):
        return "sc:Boolean", False
    return "sc:Text", False


def croissant_metadata(cfg: Config, version: str, released_at: str, files: list[dict], folder: Path) -> dict:
    tables = sorted({f["table"] for f in files if f.get("format") == "parquet"})
    distribution = [{
        "@type": "cr:FileSet", "@id": f"{t}-parquet", "name": f"{t}-parquet",
        "description": f"The {t} table as Parquet (zstd).", "encodingFormat": "application/x-parquet",
        "includes": f"data/{t}/*.parquet",
    } for t in tables]
    record_sets = []
    for t in tables:
        fields = []
        for field in PUBLISHED[t].columns:
            dtype, repeated = _data_type(field.type)
            entry = {"@type": "cr:Field", "@id": f"{t}/{field.name}", "name": field.name,
                     "description": field.doc, "dataType": dtype,
                     "source": {"fileSet": {"@id": f"{t}-parquet"}, "extract": {"column": field.name}}}
            if repeated:
                entry["repeated"] = True
            fields.append(entry)
        record_sets.append({"@type": "cr:RecordSet", "@id": t, "name": t,
                            "description": f"One row per {'page' if t == 'documents' else 'kept passage'}.",
                            "key": {"@id": f"{t}/{'doc_id' if t == 'documents' else 'passage_id'}"},
                            "field": fields})
    meta = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": cfg.dataset_name,
        "description": "Cleaned text of Vietnamese and English news pages (title, body, captions), with "
                       "provenance to the raw bytes, language labels and duplicate marks; made with newsclean.",
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "license": LICENSE_URLS.get(cfg.license, cfg.license),
        "version": version,
        "datePublished": released_at[:10],
        "inLanguage": ["vi", "en"],
        "citeAs": f"newsclean Vietnamese/English news, version {version}",
        "distribution": distribution,
        "recordSet": record_sets,
    }
    if cfg.homepage:
        meta["url"] = cfg.homepage
    return meta
