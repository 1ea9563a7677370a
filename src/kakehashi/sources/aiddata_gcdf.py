"""AidData Global Chinese Development Finance Dataset 3.0 (GCDF 3.0): commitments to LAC."""

from __future__ import annotations

from kakehashi.provenance import License, RawFile, Source

SOURCE = Source(
    id="aiddata_gcdf",
    title=(
        "Global Chinese Development Finance Dataset, Version 3.0: commitments to LAC by "
        "recipient and year, and country totals, 2000–2021"
    ),
    publisher=(
        "AidData (William & Mary); recipient-year aggregation by Miles D. Williams; country "
        "totals compiled by Teal Insights"
    ),
    url="https://www.aiddata.org/",
    origin=(
        "By year: GitHub milesdwilliams15/odadata, data/cow_gcdf.csv (added in commit "
        "87a2b3792d39ccaa483e5d4b05000284cfb69d16, 2025-09-24; HEAD "
        "3c1f8955597e21246abbc1607df7b0c6f7dcd5b2). Country totals: GitHub "
        "Teal-Insights/aiddataviz, data/gcdf_country_commitments.rda (added in commit "
        "c2110e3c3be17230160656ffddd83d308bac4b27, 2025-02-01; HEAD "
        "263376f6ef15e0f1728b47230cb4f2e2ea8fa0d7)"
    ),
    version="GCDF 3.0",
    retrieved="2025-09-24",
    license=License(
        name="GCDF 3.0 free to use with citation of AidData; R packages MIT",
        url="https://www.aiddata.org/",
        note=(
            "Cite AidData (Custer et al. 2023). The MIT licence (odadata DESCRIPTION; "
            "aiddataviz repo) covers the packages that redistribute the data."
        ),
    ),
    citation=(
        "Custer et al. (2023), Global Chinese Development Finance Dataset, Version 3.0 "
        "(GCDF 3.0), AidData at William & Mary. https://www.aiddata.org/. Recipient-year "
        "aggregation by Miles D. Williams (GitHub milesdwilliams15/odadata, data/cow_gcdf.csv, "
        "commit 87a2b37); country totals compiled by Teal Insights in the R package aiddataviz "
        "(GitHub Teal-Insights/aiddataviz, data/gcdf_country_commitments.rda, commit c2110e3), "
        "with World Bank region/income group and IMF WEO (Fall 2024) GDP and population."
    ),
    units=(
        "By year: constant 2021 US$, rounded to whole dollars (commitments). Totals: "
        "total_commitments_bn in constant 2021 US$ bn; weighted_interest_rate in %; "
        "gdp_usd_bn in US$ bn and population_mn in millions (2021, IMF WEO)"
    ),
    coverage=(
        "2000–2021 by commitment year; 29 LAC33 countries (BLZ, GTM, KNA, VCT have no rows: "
        "they recognised Taiwan throughout). By year: only years with at least one project; "
        "OOF-like, ODA-like and Vague Official Finance amounts, unadjusted and adjusted; 432 "
        "rows. Totals: one row per country (total commitments, commitment-weighted interest "
        "rate, region, income level, GDP, population); 29 rows."
    ),
    caveats=(
        "Commitments, not disbursements. Includes central-bank swap lines and loans to "
        "state-owned firms; unadjusted amounts are inflated by rolled-over/refinanced "
        "facilities such as PBoC currency-swap rollovers (ARG 138.8 bn unadjusted vs 37.8 bn "
        "adjusted): use the _adj columns for de-duplicated amounts. The totals file is "
        "unadjusted. Constant 2021 US$, not comparable to current-US$ files without deflation. "
        "This is AidData GCDF, not the BU/Inter-American Dialogue China–Latin America Finance "
        "Database. weighted_interest_rate covers only loans with a known rate."
    ),
    derivation=(
        "By year: upstream (Miles D. Williams) summed projects with recommended_for_aggregates "
        "== 'Yes' by recipient, commitment year and flow class; here kept the 33 LAC33 "
        "countries (Correlates-of-War codes mapped to ISO3 by hand), added names, total_amt and "
        "total_adj, rounded values to whole US$. Totals: compiled by Teal Insights in the R "
        "package aiddataviz; converted from .rda with pyreadr and filtered to LAC33. "
        "Cross-checked: identical unadjusted totals in both files. 'retrieved' is the later of "
        "the two dated commits that added the copied files (87a2b37, 2025-09-24; c2110e3, "
        "2025-02-01); the copied HEADs have no recorded date."
    ),
    files=(
        RawFile(
            path="aiddata_gcdf/china_development_finance_lac_by_year_2000_2021.csv",
            description=(
                "Chinese development finance commitments by LAC recipient and year "
                "(recipient_iso3, recipient_name, cow_ccode, year, oof_amt, oda_amt, vof_amt, "
                "the same with _adj, total_amt, total_adj); 432 rows"
            ),
        ),
        RawFile(
            path="aiddata_gcdf/china_development_finance_lac_country_totals_2000_2021.csv",
            description=(
                "Country totals 2000–2021 compiled by Teal Insights (country_name, iso3c, "
                "total_commitments_bn, weighted_interest_rate, region_name, "
                "income_level_name, gdp_usd_bn, population_mn); 29 rows"
            ),
        ),
    ),
)
