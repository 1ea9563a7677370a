"""Fundar / Argendata: Argentina's exports by destination and Lall technology class."""

from __future__ import annotations

from kakehashi.provenance import License, RawFile, Source

SOURCE = Source(
    id="argendata_lall",
    title=(
        "Argentina's goods exports by destination and technology intensity (Lall "
        "classification), 2002–2023"
    ),
    publisher=(
        "Fundar / Argendata (Argentina); upstream not stated in the file (values in thousand "
        "USD, consistent with CEPII BACI)"
    ),
    url="https://argendata.fund.ar/",
    origin=(
        "GitHub argendatafundar/data, INDUST/composicion_exportaciones_intensidad_destino.csv, "
        "HEAD 5bd80d3bf28b004e55cc70571de547f0b1c73279 (2026-04-22)"
    ),
    version="5bd80d3",
    retrieved="2026-04-22",
    license=License(
        name="CC BY-NC-SA 4.0",
        url="https://creativecommons.org/licenses/by-nc-sa/4.0/",
        note="non-commercial, share-alike (repo LICENSE)",
    ),
    citation=(
        "Fundar / Argendata, 'composicion_exportaciones_intensidad_destino' (Argentina's "
        "exports by destination and Lall technology class, 2002–2023), GitHub repository "
        "argendatafundar/data, INDUST, commit 5bd80d3 (2026-04-22). CC BY-NC-SA 4.0. "
        "https://argendata.fund.ar/"
    ),
    units="expo: exports, thousand US$; prop: percent of Argentina's exports to that destination",
    coverage=(
        "Exporter Argentina only; destinations JPN, CHN, USA, KOR and LAC33; 2002–2023, "
        "annual; Lall classes (Spanish labels): primary products, resource-based, low-, "
        "medium- and high-tech manufactures. 3,744 rows."
    ),
    caveats=(
        "One exporter only (Argentina). Upstream source not stated (values consistent with "
        "CEPII BACI). The only product-composition-by-destination file found in the data search. "
        "Non-commercial, share-alike licence."
    ),
    derivation=(
        "Filtered to destinations JPN, CHN, USA, KOR and LAC33; added exporter_iso3 = ARG. "
        "SOURCES.md abbreviates the commit as 5bd80d3b…, the same HEAD of argendatafundar/data "
        "given in full for the Argendata share files. 'retrieved' is the date of that copied "
        "HEAD commit."
    ),
    files=(
        RawFile(
            path="argendata/argentina_exports_by_destination_lall_2002_2023.csv",
            description=(
                "Argentina's exports by destination, year and Lall class (exporter_iso3, anio, "
                "importer_iso3, geonombreFundar, clasificacion_lall, expo, prop); 3,744 rows"
            ),
        ),
    ),
)
