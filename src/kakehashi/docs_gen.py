"""Reference pages generated from the code: tables (from the schema) and sources."""

from __future__ import annotations

from kakehashi.schema.products import LAKE_TABLES
from kakehashi.schema.spec import TableSpec
from kakehashi.schema.tables import TABLES
from kakehashi.sources import SOURCES

NON_COMMERCIAL = tuple(s.id for s in SOURCES.values() if "NC" in s.license.name)


def tables_markdown() -> str:
    out = [
        "# Tables",
        "",
        "Generated from `src/kakehashi/schema/tables.py` by `kakehashi docs`; do not edit by hand.",
        "Every table is in the store (`kakehashi sql \"SELECT * FROM <table> LIMIT 5\"`).",
        "The store also describes itself in `sources`, `source_files`, `table_catalog`,",
        "`column_catalog` and `build_info`.",
        "",
    ]
    for spec in TABLES.values():
        out += _table_section(spec, "../sources.md#")
    out += [
        "# The product lake",
        "",
        "Parquet beside the store (`<store folder>/products/current/`), written by",
        "`kakehashi products ingest` and `kakehashi products concordance`; see",
        "[products.md](../products.md). Read with `kakehashi products ...` or any Parquet "
        "reader.",
        "",
    ]
    for spec in LAKE_TABLES.values():
        out += _table_section(spec, "../products.md#")
    return "\n".join(out)


def _table_section(spec: TableSpec, source_link: str) -> list[str]:
    sources = ", ".join(f"[{s}]({source_link}{s})" for s in spec.sources) or "see above"
    out = [f"## {spec.name}", "", spec.description, ""]
    if spec.primary_key:
        out += [f"Key: `{', '.join(spec.primary_key)}`. Sources: {sources}.", ""]
    out += ["| column | type | unit | required | meaning |", "|---|---|---|---|---|"]
    for c in spec.columns:
        out.append(f"| `{c.name}` | {c.dtype} | {c.unit} | {'' if c.nullable else 'yes'} "
                   f"| {c.description.replace('|', '/')} |")
    out.append("")
    return out


def sources_markdown() -> str:
    out = [
        "# Sources and licences",
        "",
        "Generated from `src/kakehashi/sources/` by `kakehashi docs`; do not edit by hand.",
        "",
        "Kakehashi's code is MIT-licensed. The data keep their publishers' licences, which",
        "differ: most are CC BY 4.0 or free reuse with attribution (IMF, UNCTAD, UN Comtrade,",
        "AEI, AidData),",
        "the reference code lists are PDDL, and "
        + ", ".join(f"`{s}`" for s in NON_COMMERCIAL)
        + " are **CC BY-NC-SA 4.0: non-commercial use only, share-alike**. The bundled snapshot",
        "(`src/kakehashi/snapshot/`) carries the same licences, source by source; every table,",
        "chart and API answer names the sources it uses.",
        "",
        "| source | publisher | licence | version |",
        "|---|---|---|---|",
    ]
    for s in SOURCES.values():
        out.append(f"| [{s.id}](#{s.id}) | {s.publisher} | [{s.license.name}]({s.license.url}) "
                   f"| {s.version} |")
    out.append("")
    for s in SOURCES.values():
        out += [
            f"## {s.id}",
            "",
            f"**{s.title}**",
            "",
            f"- Publisher: {s.publisher}",
            f"- Web: {s.url or 'none'}",
            f"- Origin of the copy: {s.origin}",
            f"- Version: {s.version}; retrieved: {s.retrieved or 'not recorded'}",
            f"- Licence: [{s.license.name}]({s.license.url})"
            + (f" ({s.license.note})" if s.license.note else ""),
            f"- Citation: {s.citation}",
            f"- Units: {s.units}",
            f"- Coverage: {s.coverage}",
            f"- Caveats: {s.caveats}",
            f"- Derivation: {s.derivation}",
        ]
        out += [f"- File: `{f.path}`: {f.description}" for f in s.files]
        out.append("")
    return "\n".join(out)
