"""Harmonized System (HS2022) codes and sections, as packaged by datahub."""

from __future__ import annotations

from kakehashi.provenance import License, RawFile, Source

SOURCE = Source(
    id="hs_codes",
    title="Harmonized System (HS2022) nomenclature: chapters, headings, subheadings, sections",
    publisher=(
        "World Customs Organization (HS nomenclature), as distributed by UN Comtrade; packaged "
        "by datahub (datasets/harmonized-system)"
    ),
    url="https://github.com/datasets/harmonized-system",
    origin=(
        "GitHub datasets/harmonized-system, data/harmonized-system.csv and data/sections.csv, "
        "HEAD 905e5a0fa29f5700d62cb3cc1265f21bc8a92329 (2024-10-25)"
    ),
    version="HS2022 (datahub harmonized-system 905e5a0)",
    retrieved="2024-10-25",
    license=License(
        name="PDDL 1.0",
        url="https://opendatacommons.org/licenses/pddl/1-0/",
    ),
    citation=(
        "World Customs Organization, Harmonized System nomenclature, HS2022 edition, as "
        "distributed by UN Comtrade; datahub GitHub repository datasets/harmonized-system, "
        "data/harmonized-system.csv and data/sections.csv, commit 905e5a0 (2024-10-25). "
        "PDDL 1.0. https://github.com/datasets/harmonized-system"
    ),
    units="Codes and English descriptions (no measures); level = number of HS digits",
    coverage=(
        "HS codes: 6,940 rows (97 chapters at level 2, 1,229 headings at level 4, 5,613 "
        "subheadings at level 6, plus one TOTAL row with level 5), with section (Roman I–XXI), "
        "hscode, description, parent, level. Sections: section, name; 21 rows."
    ),
    caveats=(
        "HS2022 edition only: older trade data in HS92/SITC need a concordance. Includes one "
        "TOTAL row (level 5) besides the codes. hs_sections.csv starts with a UTF-8 BOM."
    ),
    derivation=(
        "Copied from data/harmonized-system.csv and data/sections.csv. 'retrieved' is the date "
        "of the copied HEAD commit 905e5a0."
    ),
    files=(
        RawFile(
            path="reference/hs_codes_harmonized_system.csv",
            description="HS2022 codes (section, hscode, description, parent, level); 6,940 rows",
        ),
        RawFile(
            path="reference/hs_sections.csv",
            description="HS sections I–XXI (section, name); UTF-8 BOM",
        ),
    ),
)
