"""UNCTAD Bilateral FDI Statistics (2014 edition): FDI inflows by origin, LAC hosts."""

from __future__ import annotations

from kakehashi.provenance import License, RawFile, Source

SOURCE = Source(
    id="unctad_fdi",
    title=(
        "Bilateral FDI Statistics, Table 1 'FDI flows in the host economy, by geographical "
        "origin', LAC hosts and LAC origins, 2001–2012"
    ),
    publisher="UNCTAD, Bilateral FDI Statistics (FDI/TNC database)",
    url="https://unctad.org/",
    origin=(
        "GitHub desmarais-lab/FDI_IGERT_H, folder 'Cleaning Code/FDI Raw Data/<ISO3>.csv' "
        "(206 host files) at commit f4fd9cb94ba9ae74be131008ac125ba280a4aadb (2016-09-25; "
        "removed from later HEADs)"
    ),
    version="UNCTAD FDI/TNC database, 2014 edition",
    retrieved="2016-09-25",
    license=License(
        name="No licence stated; cite UNCTAD",
        url="https://unctad.org/",
        note="The GitHub repository states no licence; the data are UNCTAD's: cite UNCTAD.",
    ),
    citation=(
        "UNCTAD, Bilateral FDI Statistics (FDI/TNC database, 2014 edition), Table 1 'FDI flows "
        "in the host economy, by geographical origin', 2001–2012; host tables as published in "
        "GitHub repository desmarais-lab/FDI_IGERT_H, 'Cleaning Code/FDI Raw Data', commit "
        "f4fd9cb (2016-09-25). https://unctad.org/"
    ),
    units="fdi_inflow_usd_mn: net FDI inflows, current US$ millions (may be negative)",
    coverage=(
        "2001–2012, annual; 31 LAC hosts (no CUB, GUY); 105 hosts in total (non-LAC hosts only "
        "where the origin is LAC); origins at levels 0 (World) to 4 (single economy). "
        "18,588 rows, 6.5 % with empty values."
    ),
    caveats=(
        "Flows, not stocks; net flows can be negative; ends 2012. Japan's own outward table is "
        "not in the source set: use LAC hosts' inflows from 'Japan'; JPN as host = FDI into "
        "Japan. For small hosts UNCTAD gives only partner-reported data (data_basis = "
        "mirror_reported_by_origin_economy). origin_name mixes regions and economies: filter "
        "on origin_level (4 = single economy)."
    ),
    derivation=(
        "Parsed each host table; the region/economy hierarchy gives origin_name and "
        "origin_level (0 = World … 4 = single economy); UNCTAD negative notation ('- -8', "
        "'--1 422') converted to negative numbers, '..' to empty; original cell kept in "
        "raw_value. Kept rows where host or origin is in LAC33. Hosts whose table header is "
        "'Reporting economy' flagged data_basis = mirror_reported_by_origin_economy, others "
        "host_reported. 'retrieved' is the date of the copied commit f4fd9cb."
    ),
    files=(
        RawFile(
            path="unctad_fdi/unctad_bilateral_fdi_inflows_lac_2001_2012.csv",
            description=(
                "FDI inflows by host and origin (host_iso3, host_name, origin_name, "
                "origin_iso3, origin_level, year, fdi_inflow_usd_mn, raw_value, data_basis, "
                "host_is_lac); 18,588 rows"
            ),
        ),
    ),
)
