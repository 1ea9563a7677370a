"""Open Trade Statistics (rOpenSci tradestatistics) section and country reference tables."""

from __future__ import annotations

from kakehashi.provenance import License, RawFile, Source

SOURCE = Source(
    id="ots_reference",
    title="Open Trade Statistics reference tables: HS sections and countries",
    publisher="Open Trade Statistics (M. Vargas), based on UN Comtrade",
    url="https://github.com/ropensci/tradestatistics",
    origin=(
        "GitHub ropensci/tradestatistics, data/ots_sections.rda and data/ots_countries.rda, "
        "HEAD 4c0b85989f0085f4eb4c16eaefab6214b7854b6b (2024-08-23)"
    ),
    version="4c0b859",
    retrieved="2024-08-23",
    license=License(
        name="Apache-2.0",
        url="https://www.apache.org/licenses/LICENSE-2.0",
    ),
    citation=(
        "M. Vargas, Open Trade Statistics, R package tradestatistics (rOpenSci), based on UN "
        "Comtrade: ots_sections and ots_countries; GitHub repository ropensci/tradestatistics, "
        "commit 4c0b859 (2024-08-23). Apache-2.0. https://github.com/ropensci/tradestatistics"
    ),
    units="Codes and English names (no measures)",
    coverage=(
        "Sections: section_code (01–21, plus 99), section_fullname_english; 22 rows. "
        "Countries: country_iso (lower-case ISO3), names, continent_name_english, "
        "continent_id; 275 rows."
    ),
    caveats=(
        "country_iso is lower-case ISO3 (upper-case it before joining). Section 99 is outside "
        "the 21 HS sections."
    ),
    derivation=(
        "Converted from .rda with pyreadr. 'retrieved' is the date of the copied HEAD commit "
        "4c0b859."
    ),
    files=(
        RawFile(
            path="reference/ots_sections.csv",
            description="OTS sections (section_code, section_fullname_english); 22 rows",
        ),
        RawFile(
            path="reference/ots_countries.csv",
            description=(
                "OTS countries (country_iso, country_name_english, country_fullname_english, "
                "continent_name_english, continent_id); 275 rows"
            ),
        ),
    ),
)
