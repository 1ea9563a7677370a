"""datahub country-codes (UN M49, ISO 3166, UNTERM, GeoNames, CLDR) and the LAC33 list."""

from __future__ import annotations

from kakehashi.provenance import License, RawFile, Source

SOURCE = Source(
    id="country_codes",
    title="Country codes: ISO 3166, UN M49 regions and UNTERM names; LAC33 country list",
    publisher=(
        "datahub (datasets/country-codes), compiled from UN Statistics Division M49, ISO 3166, "
        "UNTERM, GeoNames and CLDR"
    ),
    url="https://github.com/datasets/country-codes",
    origin=(
        "GitHub datasets/country-codes, data/country-codes.csv, HEAD "
        "caa72d1e0e5af8876c170bb36a9e4d64a01bba88 (2026-05-15)"
    ),
    version="caa72d1",
    retrieved="2026-05-15",
    license=License(
        name="PDDL 1.0",
        url="https://opendatacommons.org/licenses/pddl/1-0/",
        note="ISO codes' own terms are noted upstream.",
    ),
    citation=(
        "datahub, Country codes (datasets/country-codes), compiled from UN Statistics Division "
        "M49, ISO 3166, UNTERM, GeoNames and CLDR; GitHub repository datasets/country-codes, "
        "data/country-codes.csv, commit caa72d1 (2026-05-15). PDDL 1.0. "
        "https://github.com/datasets/country-codes"
    ),
    units="Codes and names (no measures); sids, lldc, ldc and in_lac33_celac are flags",
    coverage=(
        "country_codes.csv: 249 rows (countries and territories), 56 columns incl. "
        "ISO3166-1-Alpha-3, M49, Region Name, Sub-region Name ('Latin America and the "
        "Caribbean': 52 entries incl. territories), Intermediate Region Name, UNTERM names in "
        "6 languages. lac33_countries.csv: the 33 LAC33 countries (CELAC/ECLAC sovereign "
        "members), 33 rows."
    ),
    caveats=(
        "The M49 'Latin America and the Caribbean' sub-region (52 entries) includes "
        "territories; LAC33 is the 33 sovereign CELAC/ECLAC members. In M49, Mexico is in "
        "intermediate region 'Central America'. ISO codes carry their own terms (noted "
        "upstream)."
    ),
    derivation=(
        "country_codes.csv copied from data/country-codes.csv. lac33_countries.csv derived from "
        "it: the 33 LAC33 countries with columns iso3, iso2, m49, iso_numeric, name_en, "
        "unterm_name_en, unterm_name_es, region, sub_region, intermediate_region (Caribbean / "
        "Central America / South America), sids, lldc, ldc, capital, currency, "
        "in_lac33_celac. 'retrieved' is the date of the copied HEAD commit caa72d1."
    ),
    files=(
        RawFile(
            path="reference/country_codes.csv",
            description="datahub country codes, 249 rows × 56 columns",
        ),
        RawFile(
            path="reference/lac33_countries.csv",
            description=(
                "The 33 LAC33 countries with ISO/M49 codes, English and Spanish names, M49 "
                "regions, SIDS/LLDC/LDC flags, capital and currency; 33 rows"
            ),
        ),
    ),
)
