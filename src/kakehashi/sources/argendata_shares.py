"""Fundar / Argendata: partner shares of goods exports and imports, 1962–66 vs 2017–21."""

from __future__ import annotations

from kakehashi.provenance import License, RawFile, Source

SOURCE = Source(
    id="argendata_shares",
    title=(
        "Change in export destinations and import origins: partner shares of goods trade, "
        "average 1962–1966 vs 2017–2021"
    ),
    publisher=(
        "Fundar / Argendata (Argentina), derived from international trade data (upstream "
        "not stated)"
    ),
    url="https://argendata.fund.ar/",
    origin=(
        "GitHub argendatafundar/data, COMEXT/cambio_destinos_exportacion.csv and "
        "COMEXT/cambio_origenes_importacion.csv, HEAD "
        "5bd80d3bf28b004e55cc70571de547f0b1c73279 (2026-04-22)"
    ),
    version="5bd80d3",
    retrieved="2026-04-22",
    license=License(
        name="CC BY-NC-SA 4.0",
        url="https://creativecommons.org/licenses/by-nc-sa/4.0/",
        note="non-commercial, share-alike (repo LICENSE)",
    ),
    citation=(
        "Fundar / Argendata, 'cambio_destinos_exportacion' and 'cambio_origenes_importacion' "
        "(partner shares of goods exports and imports, averages 1962–1966 and 2017–2021), "
        "GitHub repository argendatafundar/data, COMEXT, commit 5bd80d3 (2026-04-22). "
        "CC BY-NC-SA 4.0. https://argendata.fund.ar/"
    ),
    units=(
        "Percent of the reporter's goods exports (imports) going to (coming from) the partner: "
        "*_pca = average 1962–1966, *_pcb = average 2017–2021"
    ),
    coverage=(
        "37 reporters (LAC33 + JPN, CHN, USA, KOR) × all partners; two windows, 1962–1966 and "
        "2017–2021. 6,452 rows in each file."
    ),
    caveats=(
        "Shares only, no values. Empty = no recorded trade in that window. Third-party derived "
        "product; the upstream source is not stated in the file docs (column names "
        "location_name_short_en and partner_code follow the Harvard Growth Lab Atlas of "
        "Economic Complexity SITC data: likely, not confirmed). Non-commercial, share-alike "
        "licence."
    ),
    derivation=(
        "Filtered to reporters (geocodigoFundar) in LAC33 + JPN, CHN, USA, KOR; all partners "
        "kept; columns unchanged. 'retrieved' is the date of the copied HEAD commit 5bd80d3."
    ),
    files=(
        RawFile(
            path="argendata/export_destination_shares_1962_66_vs_2017_21.csv",
            description=(
                "Share of each reporter's goods exports by destination (geocodigoFundar, "
                "geonombreFundar, location_name_short_en, partner_code, "
                "partner_name_short_en, export_value_pca, export_value_pcb); 6,452 rows"
            ),
        ),
        RawFile(
            path="argendata/import_origin_shares_1962_66_vs_2017_21.csv",
            description=(
                "Share of each reporter's goods imports by origin (geocodigoFundar, "
                "geonombreFundar, location_name_short_en, partner_code, "
                "partner_name_short_en, import_value_pca, import_value_pcb); 6,452 rows"
            ),
        ),
    ),
)
