"""American Enterprise Institute China Global Investment Tracker: deals in South America."""

from __future__ import annotations

from kakehashi.provenance import License, RawFile, Source

SOURCE = Source(
    id="aei_cgit",
    title="China Global Investment Tracker: Chinese investment deals in South America, 2005–2021",
    publisher=(
        "American Enterprise Institute (AEI), China Global Investment Tracker (Derek Scissors)"
    ),
    url="https://www.aei.org/china-global-investment-tracker/",
    origin=(
        "GitHub Thom-J-H/China_South_America, South_America_China_Trade.xlsx (despite the "
        "name, it holds the CGIT investment deals), HEAD "
        "ac15fca35a7e9334770ba22f613fc85cdddc2c12 (2022-06-16)"
    ),
    version="ac15fca",
    retrieved="2022-06-16",
    license=License(
        name="CC0 1.0 (repo); AEI tracker freely available, cite AEI",
        url="https://creativecommons.org/publicdomain/zero/1.0/",
        note=(
            "The GitHub repository is CC0; AEI states the tracker is freely available for "
            "download: cite AEI."
        ),
    ),
    citation=(
        "Derek Scissors, China Global Investment Tracker, American Enterprise Institute: "
        "investment deals in South America, 2005–2021; extract in GitHub repository "
        "Thom-J-H/China_South_America, South_America_China_Trade.xlsx, commit ac15fca "
        "(2022-06-16). https://www.aei.org/china-global-investment-tracker/"
    ),
    units="Quantity in Millions: USD millions; Share Size: percent",
    coverage=(
        "139 deals, 2005–2021, South America only (BRA 69, PER 18, ARG 18, CHL 13, VEN 6, "
        "ECU 6, COL 5, GUY 4); total USD 132.6 bn."
    ),
    caveats=(
        "Deals of USD 100 m or more only; investment only (not CGIT construction contracts); "
        "no Mexico, Central America or Caribbean; third-party extract of one CGIT vintage."
    ),
    derivation=(
        "Converted xlsx → csv unchanged. 'retrieved' is the date of the copied HEAD commit ac15fca."
    ),
    files=(
        RawFile(
            path="aei_cgit/china_investment_south_america_deals.csv",
            description=(
                "One row per deal (Year, Month, Investor, Quantity in Millions, Share Size, "
                "Transaction Party, Sector, Subsector, Country, Region, BRI, Greenfield); "
                "139 rows"
            ),
        ),
    ),
)
