"""World Bank WDI series DC.DAC.JPNL.CD: Japan's net bilateral ODA to LAC33."""

from __future__ import annotations

from kakehashi.provenance import License, RawFile, Source

SOURCE = Source(
    id="wdi_japan_oda",
    title=(
        "Net bilateral aid flows from DAC donors, Japan (current US$), DC.DAC.JPNL.CD, "
        "to LAC33 recipients, 1960–2023"
    ),
    publisher=(
        "World Bank, World Development Indicators (from OECD DAC Table DAC2a, net ODA "
        "disbursements, recipient view)"
    ),
    url="https://datacatalog.worldbank.org/search/dataset/0037712",
    origin=(
        "GitHub open-numbers/ddf--world_bank--world_development_indicators (Gapminder "
        "open-numbers DDF copy of WDI), datapoints/ddf--datapoints--dc_dac_jpnl_cd--by--economy"
        "--year.csv at commit 7ac85f9bac6328f533ed73abd94b1587ba8fc7dd"
    ),
    version="WDI vintage with data to 2023 (open-numbers commit 7ac85f9)",
    retrieved="",
    license=License(
        name="CC BY 4.0",
        url="https://creativecommons.org/licenses/by/4.0/",
        note=(
            "WDI data (World Bank; original source OECD DAC). The licence of the open-numbers "
            "repository was not checked."
        ),
    ),
    citation=(
        "World Bank, World Development Indicators, series DC.DAC.JPNL.CD 'Net bilateral aid "
        "flows from DAC donors, Japan (current US$)' (source: OECD DAC, Table DAC2a), vintage "
        "with data to 2023; via GitHub repository "
        "open-numbers/ddf--world_bank--world_development_indicators, commit 7ac85f9. "
        "CC BY 4.0. https://datacatalog.worldbank.org/search/dataset/0037712"
    ),
    units="value_usd: current US$, rounded to whole dollars; negative = net repayments",
    coverage=(
        "1960–2023, annual; the 33 LAC33 recipients plus aggregates LCN (WB Latin America & "
        "Caribbean) and WLD (all recipients), flagged is_aggregate = 1. Rows only where the "
        "source has a value (years without Japanese ODA are absent, not 0); countries drop out "
        "after graduating from the DAC list (CHL and URY end 2017, TTO 2010, BRB 2010, "
        "KNA 2013, BHS 1995). 1,817 rows."
    ),
    caveats=(
        "Net flows (gross disbursements minus loan repayments), not gross ODA or grant "
        "equivalent; negative values mean repayments of earlier ODA loans exceed new "
        "disbursements. No sector split. Recipient-side DAC2a view: bilateral only, excludes "
        "Japan's contributions via multilaterals. Values transcribed by hand from the source "
        "text (see derivation). The sum of the 33 countries matches LCN to ±0.01 mn in "
        "1960–1974 and 2012–2018 and differs by at most USD 27 mn elsewhere (LCN also includes "
        "small territories and, apparently, regional/unallocated amounts)."
    ),
    derivation=(
        "The repository is about 1.3 GB, so the single datapoints file was read as text "
        "(full file, 292,265 characters) and the rows for the 33 LAC33 economies and the "
        "aggregates lcn and wld were transcribed into this CSV; values then rounded to whole "
        "US$. Checked: no duplicates, no missing LAC33 economy, country sums against LCN as "
        "stated in caveats. 'retrieved' is left empty: SOURCES.md gives no date for commit "
        "7ac85f9 or for the copy."
    ),
    files=(
        RawFile(
            path="wb_wdi_aid/japan_net_bilateral_oda_to_lac_1960_2023.csv",
            description=(
                "Japan's net bilateral ODA by LAC33 recipient and year, plus LCN and WLD "
                "(indicator_code, recipient_iso3, recipient_name, is_aggregate, year, "
                "value_usd); 1,817 rows"
            ),
        ),
    ),
)
