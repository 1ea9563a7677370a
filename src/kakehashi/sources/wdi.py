"""World Bank World Development Indicators (WDI): 21 selected indicators."""

from __future__ import annotations

from kakehashi.provenance import License, RawFile, Source

SOURCE = Source(
    id="wdi",
    title="World Development Indicators: 21 selected macro, trade, aid and debt indicators",
    publisher="World Bank, World Development Indicators (WDI)",
    url="https://datacatalog.worldbank.org/search/dataset/0037712",
    origin=(
        "GitHub datasets/world-development-indicators (datahub core, automated update), files "
        "indicators/<code>/data.csv and datapackage.json, "
        "HEAD 4ebec5a2273f531ba238a34dbe440394dc5a6c4b (2026-07-01)"
    ),
    version="4ebec5a",
    retrieved="2026-07-01",
    license=License(
        name="CC BY 4.0",
        url="https://creativecommons.org/licenses/by/4.0/",
        note="World Bank; stated in each datapackage.json.",
    ),
    citation=(
        "World Bank, World Development Indicators: NY.GDP.MKTP.CD, NY.GDP.MKTP.KD.ZG, "
        "NY.GDP.PCAP.CD, NY.GDP.PCAP.KD.ZG, SP.POP.TOTL, SP.POP.GROW, BX.KLT.DINV.CD.WD, "
        "DT.ODA.ODAT.CD, DT.ODA.ODAT.GN.ZS, TX.VAL.MRCH.CD.WT, TM.VAL.MRCH.CD.WT, "
        "NE.EXP.GNFS.ZS, NE.IMP.GNFS.ZS, TG.VAL.TOTL.GD.ZS, TX.VAL.MMTL.ZS.UN, "
        "TX.VAL.FUEL.ZS.UN, PA.NUS.FCRF, NY.GDP.DEFL.KD.ZG, DT.DOD.DECT.CD, BX.TRF.PWKR.CD.DT, "
        "TT.PRI.MRCH.XD.WD. Via datahub GitHub repository datasets/world-development-indicators, "
        "commit 4ebec5a (2026-07-01). CC BY 4.0. "
        "https://datacatalog.worldbank.org/search/dataset/0037712"
    ),
    units=(
        "Per indicator (see indicator_name in wdi_indicators_meta.csv), e.g. current US$ for "
        "GDP, FDI net inflows, net ODA received, merchandise exports/imports, external debt "
        "stocks and remittances; annual % for growth rates; LCU per US$ for PA.NUS.FCRF"
    ),
    coverage=(
        "1960–2025 (most series to 2024/2025; ODA to 2023; external debt to 2024); 133–264 "
        "economies and WB aggregates depending on indicator (external debt only for borrowing "
        "countries); all LAC33 present for GDP; WB aggregates kept (e.g. LCN Latin America & "
        "Caribbean, WLD, EUU, EAS). 21 indicators: NY.GDP.MKTP.CD, NY.GDP.MKTP.KD.ZG, "
        "NY.GDP.PCAP.CD, NY.GDP.PCAP.KD.ZG, SP.POP.TOTL, SP.POP.GROW, BX.KLT.DINV.CD.WD, "
        "DT.ODA.ODAT.CD, DT.ODA.ODAT.GN.ZS, TX.VAL.MRCH.CD.WT, TM.VAL.MRCH.CD.WT, "
        "NE.EXP.GNFS.ZS, NE.IMP.GNFS.ZS, TG.VAL.TOTL.GD.ZS, TX.VAL.MMTL.ZS.UN, "
        "TX.VAL.FUEL.ZS.UN, PA.NUS.FCRF, NY.GDP.DEFL.KD.ZG, DT.DOD.DECT.CD, BX.TRF.PWKR.CD.DT, "
        "TT.PRI.MRCH.XD.WD. 259,086 rows."
    ),
    caveats=(
        "Latest years are provisional and revised with each release. country_code mixes ISO3 "
        "economies and WB aggregate codes (LCN, WLD, EUU, EAS, …). Japan's bilateral aid series "
        "DC.DAC.JPNL.CD is not in this indicator set (see source wdi_japan_oda)."
    ),
    derivation=(
        "The 21 per-indicator data.csv files stacked into one long table (indicator_code, "
        "country_name, country_code, year, value), all economies and WB aggregates kept; "
        "per-indicator names, licence, row counts and year spans listed in "
        "wdi_indicators_meta.csv. 'retrieved' is the date of the copied HEAD commit 4ebec5a."
    ),
    files=(
        RawFile(
            path="wdi/wdi_selected_indicators.csv.gz",
            description=(
                "21 WDI indicators, long format (indicator_code, country_name, country_code, "
                "year, value); 259,086 rows"
            ),
        ),
        RawFile(
            path="wdi/wdi_indicators_meta.csv",
            description=(
                "One row per indicator: indicator_code, indicator_name, license, rows, "
                "first_year, last_year, countries"
            ),
        ),
    ),
)
