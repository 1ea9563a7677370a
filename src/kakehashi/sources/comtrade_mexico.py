"""UN Comtrade, Mexico as reporter: trade by HS4 heading and partner (truncated partners)."""

from __future__ import annotations

from kakehashi.provenance import License, RawFile, Source

SOURCE = Source(
    id="comtrade_mexico",
    title=(
        "Mexico's merchandise trade by HS4 heading and partner, 2015–2021 (main partners per "
        "heading only)"
    ),
    publisher=(
        "UN Comtrade (Mexico as reporter); downloaded through the Comtrade API by a third party "
        "for a student dashboard project"
    ),
    url="https://comtradeplus.un.org/",
    origin=(
        "GitHub coderchemivan/Comercio_exterior, app/data/world_trade.csv (last changed in "
        "commit 661619be13548870ed6b51955b0cbe989adfc890, 2022-11-14; HEAD "
        "94b9d821820a84de8e736efbf6793da6b3d1aad5); partner codes decoded with the repo's "
        "app/data/countries.csv"
    ),
    version="94b9d82",
    retrieved="2022-11-14",
    license=License(
        name="No licence stated; cite UN Comtrade",
        url="https://comtradeplus.un.org/",
        note=(
            "The GitHub repository states no licence; the data are UN Comtrade data: cite UN "
            "Comtrade; Comtrade terms apply to redistribution."
        ),
    ),
    citation=(
        "United Nations, UN Comtrade database, Mexico as reporter: imports and exports by HS "
        "4-digit heading and partner, 2015–2021 (primary value as reported by Mexico), "
        "downloaded through the Comtrade API by a third party; extract from GitHub repository "
        "coderchemivan/Comercio_exterior, app/data/world_trade.csv, commit 661619b "
        "(2022-11-14). https://comtradeplus.un.org/"
    ),
    units="value_usd: current US$ (Comtrade primary value as reported by Mexico)",
    coverage=(
        "Reporter MEX, 2015–2021, annual; imports and exports; 1,192 HS4 headings; 141 partner "
        "countries (partner 'World' rows dropped). 75,885 rows."
    ),
    caveats=(
        "IMPORTANT, truncated partners: the download script kept, per HS4 × year × flow, only "
        "partners above a share threshold (roughly >0.5–1 % of that product's trade), so small "
        "flows are missing and sums understate totals. Coverage against IMF DOTS "
        "(Mexico-reported totals): imports from Japan 84–90 % (16.06 vs 19.04 bn in 2019), "
        "exports to Japan only 50–79 % (2.11 vs 4.10 bn in 2019), imports from China ~90 %, "
        "exports to the US ~98 %. Use for composition (which HS chapters dominate), not for "
        "totals. HS edition as reported by Mexico (may differ by year at 4 digits). Single "
        "reporter (Mexico); third-party download."
    ),
    derivation=(
        "Dropped the partner 'World' rows (inconsistent across years in the source); flow code "
        "1 → import, 2 → export (verified: Mexico's beef and pork exports go to Japan and the "
        "US); partner codes decoded with the repo's app/data/countries.csv; added ISO3, HS2 and "
        "zero-padded HS4 codes. 'retrieved' is the date of commit 661619b, the last change to "
        "the copied file (the repo HEAD 94b9d82 has no recorded date)."
    ),
    files=(
        RawFile(
            path="comtrade_mexico/mexico_trade_by_hs4_partner_2015_2021.csv.gz",
            description=(
                "Mexico's imports and exports by HS4 and partner, truncated to main partners "
                "per heading (reporter_iso3, year, flow, hs_section, hs2, hs4, partner_m49, "
                "partner_iso3, partner_name, value_usd); 75,885 rows"
            ),
        ),
    ),
)
