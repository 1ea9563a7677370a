"""IMF Direction of Trade Statistics (DOTS): bilateral trade of LAC33 and comparators."""

from __future__ import annotations

from kakehashi.provenance import License, RawFile, Source

SOURCE = Source(
    id="imf_dots",
    title=(
        "Direction of Trade Statistics (DOTS): exports FOB and imports CIF by partner, "
        "LAC33 and comparators, 1960–2020"
    ),
    publisher="International Monetary Fund (IMF), Direction of Trade Statistics (DOTS)",
    url="https://data.imf.org/",
    origin=(
        "GitHub SamLeBlanc/Direction-of-Trade-Map, data/DOTS/DOTS_1.xlsx … DOTS_235.xlsx "
        "(235 per-reporter workbooks exported from the IMF data portal), added in commit "
        "a769819d9b25a21a362d6cabfb10f150903f834d (2022-02-02); "
        "repo HEAD a0b40afbac7cefc59a4b35c1ebe541ac546aafad"
    ),
    version="IMF DOTS, vintage early 2022 (data to 2020)",
    retrieved="2022-02-02",
    license=License(
        name="IMF terms of use (data); repository MIT",
        url="https://www.imf.org/en/about/copyright-and-terms",
        note=(
            "Free reuse with attribution to the IMF. The MIT licence covers the GitHub "
            "repository; the data are IMF data."
        ),
    ),
    citation=(
        "International Monetary Fund, Direction of Trade Statistics (DOTS): exports FOB to and "
        "imports CIF from partner countries, 1960–2020 (vintage early 2022). Per-reporter "
        "workbooks exported from the IMF data portal, as published in GitHub repository "
        "SamLeBlanc/Direction-of-Trade-Map, data/DOTS, commit a769819 (2022-02-02). "
        "https://data.imf.org/"
    ),
    units=(
        "value_usd_mn: current US dollars, millions; estimated: 1 = value estimated by the IMF "
        "(typically from partner data)"
    ),
    coverage=(
        "1960–2020, annual. 234 reporters (all 33 LAC33 countries as reporters, most from 1960; "
        "ATG from 2000, KNA and LCA from 1981, DMA from 1976, VCT from 1977); 242 partner "
        "names (countries and IMF aggregates). Rows where reporter or partner is in LAC33, plus "
        "every row reported by JPN, CHN, USA, KOR and the aggregates European Union, Euro Area, "
        "World, Western Hemisphere. 791,369 rows; about 5 % of values flagged estimated."
    ),
    caveats=(
        "Ends in 2020 (vintage early 2022; no 2021+). Totals only, no product breakdown. "
        "Exports are FOB and imports CIF, so mirror flows differ. IMF aggregates are mixed with "
        "countries in partner_name: filter on partner_iso3 not null for countries only "
        "(aggregates and historical entities such as World, Western Hemisphere, European Union, "
        "Euro Area, USSR, Czechoslovakia, Yemen Arab Rep. have empty ISO3). Values as published "
        "then; later IMF revisions are not included."
    ),
    derivation=(
        "Each workbook's two sheets ('Exports, FOB to Partner Countries', 'Imports, CIF from "
        "Partner Countries'; reporter × partner × year, USD millions) reshaped to long format; "
        "the IMF suffix ' e' (estimated) moved to column estimated; thousands separators "
        "removed; the exact duplicate Nicaragua workbook (DOTS_143/144) de-duplicated; ISO3 "
        "added with country_converter (Aruba, Curaçao, Sint Maarten set to ABW, CUW, SXM). "
        "Filtered from the full 2.58 M-row table to rows whose reporter or partner is in LAC33, "
        "plus every row whose reporter is JPN, CHN, USA, KOR, European Union, Euro Area, World "
        "or Western Hemisphere. 'retrieved' is the date of commit a769819, which added the "
        "workbooks (the repo HEAD a0b40af has no recorded date)."
    ),
    files=(
        RawFile(
            path="imf_dots/imf_dots_lac_bilateral_1960_2020.csv.gz",
            description=(
                "Bilateral exports FOB / imports CIF, reporter × partner × year, long format "
                "(reporter_name, reporter_iso3, partner_name, partner_iso3, flow, year, "
                "value_usd_mn, estimated, reporter_is_lac, partner_is_lac); 791,369 rows"
            ),
        ),
    ),
)
