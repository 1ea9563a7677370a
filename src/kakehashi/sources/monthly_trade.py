"""Monthly trade of Japan, China and the US with Mexico, Brazil and Chile (Comtrade, Census)."""

from __future__ import annotations

from kakehashi.provenance import License, RawFile, Source

SOURCE = Source(
    id="monthly_trade",
    title=(
        "Monthly merchandise trade of Japan, China and the United States with Mexico, Brazil "
        "and Chile, 2010–2025"
    ),
    publisher=(
        "UN Comtrade (Japan and China as reporters) and US Census Bureau international trade "
        "API (USA as reporter); collected by a third party for a master's-thesis dashboard"
    ),
    url="https://github.com/jaimeberdejo/Widget_Meteoconomics_Master",
    origin=(
        "GitHub jaimeberdejo/Widget_Meteoconomics_Master, files data/jp/comercio_socios.csv "
        "(last changed in commit 422a8a7be8b882717bc50aafbedcb671fa75d47b, 2026-02-07), "
        "data/cn/comercio_socios.csv (c36a989d2840744c173c69c065dce01cebc8ca5f, 2026-02-07), "
        "data/us/comercio_socios.csv (67b90eabe8aeec2970681e970b53f7627ea1ad91, 2026-02-06); "
        "repo HEAD c1a953e4a9a9e103761cc73dce4587fd725e8d1d"
    ),
    version="c1a953e",
    retrieved="2026-02-07",
    license=License(
        name="No licence stated; cite UN Comtrade and US Census Bureau",
        url="https://comtradeplus.un.org/",
        note=(
            "The GitHub repository states no licence (README badge 'Academic'). Japan and "
            "China rows are UN Comtrade data (cite UN Comtrade); US rows are US Census Bureau "
            "data (US public domain)."
        ),
    ),
    citation=(
        "United Nations, UN Comtrade database (monthly, HS totals, Japan and China as "
        "reporters) and US Census Bureau, international trade API (USA as reporter): trade "
        "with Mexico, Brazil and Chile, 2010–2025, as collected in GitHub repository "
        "jaimeberdejo/Widget_Meteoconomics_Master, data/{jp,cn,us}/comercio_socios.csv "
        "(commits 422a8a7, c36a989, 67b90ea; 2026-02-06/07). https://comtradeplus.un.org/"
    ),
    units=(
        "exports_usd, imports_usd: current US$, rounded to whole dollars, reporter's view "
        "(exports FOB; imports CIF for Japan and China, US general imports customs value)"
    ),
    coverage=(
        "Monthly. Reporter × partner pairs: JPN → MEX, BRA; CHN → MEX, BRA; USA → MEX, BRA, "
        "CHL. JPN and USA 2010-01 … 2025-11; CHN 2010-01 … 2012-09 and 2016-01 … 2024-12 "
        "(2012-10 to 2015-12 missing). 1,237 rows."
    ),
    caveats=(
        "Only three LAC partners (the source covers ~17–27 fixed top partners per reporter). "
        "China has a gap from 2012-10 to 2015-12 and ends 2024-12. 2025 has 11 months. "
        "Third-party download: values as of early 2026, later revisions not included. Mixes "
        "Comtrade (JPN, CHN) and Census (USA) definitions."
    ),
    derivation=(
        "Kept only partners in LAC from the three reporter files; ISO2 → ISO3; values rounded "
        "to whole US$; column source records the upstream. 'retrieved' is the latest date of "
        "the commits that last changed the copied files (the repo HEAD c1a953e has no recorded "
        "date)."
    ),
    files=(
        RawFile(
            path="monthly_trade_jp_cn_us/jp_cn_us_monthly_trade_with_mex_bra_chl_2010_2025.csv",
            description=(
                "Monthly exports and imports by reporter (JPN/CHN/USA) and partner "
                "(MEX/BRA/CHL) (reporter_iso3, partner_iso3, year, month, exports_usd, "
                "imports_usd, source); 1,237 rows"
            ),
        ),
    ),
)
