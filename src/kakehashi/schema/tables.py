"""Every table in the store, documented once: the reference page is generated from here."""

from __future__ import annotations

from kakehashi.schema.spec import Column as C
from kakehashi.schema.spec import TableSpec

ISO3_NOTE = (
    "ISO 3166-1 alpha-3 code, or a Kakehashi entity code for aggregates and historical "
    "entities (see countries.kind)"
)

COUNTRIES = TableSpec(
    name="countries",
    description=(
        "Countries, territories, aggregates and historical entities, with names in four "
        "languages. Aggregates (World, EU, IMF and World Bank groups) and historical entities "
        "(USSR, Yugoslavia) are kept apart by `kind`."
    ),
    primary_key=("iso3",),
    sources=("country_codes", "cldr", "ots_reference"),
    columns=(
        C("iso3", "VARCHAR", ISO3_NOTE + ".", nullable=False),
        C("iso2", "VARCHAR", "ISO 3166-1 alpha-2 code (economies only)."),
        C("m49", "INTEGER", "UN M49 numeric code (economies only)."),
        C("name_en", "VARCHAR", "Name in English (CLDR short name where one exists).",
          nullable=False),
        C("name_es", "VARCHAR", "Name in Spanish (CLDR)."),
        C("name_pt", "VARCHAR", "Name in Portuguese (CLDR)."),
        C("name_ja", "VARCHAR", "Name in Japanese (CLDR)."),
        C("kind", "VARCHAR",
          "economy | aggregate | historical | unspecified (a source's 'not specified' bucket).",
          nullable=False),
        C("region", "VARCHAR", "M49 region (e.g. Americas)."),
        C("sub_region", "VARCHAR", "M49 sub-region (e.g. Latin America and the Caribbean)."),
        C("lac_subregion", "VARCHAR",
          "For LAC33 members: Caribbean, Central America or South America (M49 intermediate "
          "region; Mexico is Central America)."),
        C("capital", "VARCHAR", "Capital city (English)."),
        C("is_lac33", "BOOLEAN", "One of the 33 CELAC/ECLAC sovereign members.", nullable=False),
        C("is_comparator", "BOOLEAN",
          "Japan's comparators in Kakehashi: JPN, CHN, USA, KOR and the EU (EUU).",
          nullable=False),
    ),
)

TRADE_FLOWS = TableSpec(
    name="trade_flows",
    description=(
        "Bilateral merchandise trade totals as reported by `reporter_iso3`: annual (IMF DOTS, "
        "1960-2020) and monthly (Japan, China and the USA with Mexico, Brazil and Chile, "
        "2010-2025)."
    ),
    primary_key=("source_id", "reporter_iso3", "partner_iso3", "flow", "year", "month"),
    sources=("imf_dots", "monthly_trade"),
    columns=(
        C("reporter_iso3", "VARCHAR", "Reporting economy. " + ISO3_NOTE + ".", nullable=False),
        C("partner_iso3", "VARCHAR", "Partner economy or aggregate. " + ISO3_NOTE + ".",
          nullable=False),
        C("flow", "VARCHAR", "export (reporter's exports to partner) | import.", nullable=False),
        C("year", "SMALLINT", "Calendar year.", nullable=False),
        C("month", "TINYINT", "Month 1-12 for monthly rows; null for annual rows."),
        C("value_usd", "DOUBLE", "Trade value, current US dollars.", unit="USD",
          nullable=False),
        C("valuation", "VARCHAR",
          "FOB (exports) | CIF (imports) | customs (US general imports, customs value).",
          nullable=False),
        C("value_basis", "VARCHAR",
          "reported | estimated (IMF estimate, typically from the partner's data).",
          nullable=False),
        C("source_id", "VARCHAR", "Source of the row (see sources).", nullable=False),
    ),
)

PRODUCT_TRADE = TableSpec(
    name="product_trade",
    description=(
        "Mexico's trade by HS 4-digit heading and partner, 2015-2021, as reported by Mexico to "
        "UN Comtrade. Small partners are missing (see the source's caveats): use for "
        "composition, not totals."
    ),
    primary_key=("reporter_iso3", "partner_iso3", "flow", "year", "hs4"),
    sources=("comtrade_mexico", "hs_codes"),
    columns=(
        C("reporter_iso3", "VARCHAR", "Reporting economy (MEX).", nullable=False),
        C("partner_iso3", "VARCHAR", "Partner. " + ISO3_NOTE + ".", nullable=False),
        C("flow", "VARCHAR", "export | import (Mexico's view).", nullable=False),
        C("year", "SMALLINT", "Calendar year.", nullable=False),
        C("hs_section", "TINYINT", "HS section number, 1-21.", nullable=False),
        C("hs2", "VARCHAR", "HS chapter, 2 digits.", nullable=False),
        C("hs4", "VARCHAR", "HS heading, 4 digits.", nullable=False),
        C("hs2_description", "VARCHAR", "HS2022 chapter description (null if not in HS2022)."),
        C("hs4_description", "VARCHAR", "HS2022 heading description (null if not in HS2022)."),
        C("value_usd", "DOUBLE", "Trade value, current US dollars (Comtrade primary value).",
          unit="USD", nullable=False),
        C("source_id", "VARCHAR", "Source of the row.", nullable=False),
    ),
)

TRADE_SHARES_LONG_RUN = TableSpec(
    name="trade_shares_long_run",
    description=(
        "Share of a reporter's goods exports going to (or imports coming from) each partner, "
        "averaged over 1962-1966 and 2017-2021 (Fundar / Argendata)."
    ),
    primary_key=("reporter_iso3", "partner_iso3", "flow"),
    sources=("argendata_shares",),
    columns=(
        C("reporter_iso3", "VARCHAR", "Reporter (LAC33, JPN, CHN, USA, KOR).", nullable=False),
        C("partner_iso3", "VARCHAR", "Partner. " + ISO3_NOTE + ".", nullable=False),
        C("flow", "VARCHAR", "export | import.", nullable=False),
        C("share_1962_1966_pct", "DOUBLE", "Share of the reporter's trade, mean 1962-1966.",
          unit="%"),
        C("share_2017_2021_pct", "DOUBLE", "Share of the reporter's trade, mean 2017-2021.",
          unit="%"),
        C("source_id", "VARCHAR", "Source of the row.", nullable=False),
    ),
)

EXPORT_COMPOSITION = TableSpec(
    name="export_composition",
    description=(
        "Argentina's exports by destination and Lall technology class, 2002-2023 "
        "(Fundar / Argendata)."
    ),
    primary_key=("exporter_iso3", "importer_iso3", "year", "lall_class"),
    sources=("argendata_lall",),
    columns=(
        C("exporter_iso3", "VARCHAR", "Exporter (ARG).", nullable=False),
        C("importer_iso3", "VARCHAR", "Destination.", nullable=False),
        C("year", "SMALLINT", "Calendar year.", nullable=False),
        C("lall_class", "VARCHAR",
          "primary | resource_based | low_tech | medium_tech | high_tech (Lall 2000).",
          nullable=False),
        C("lall_class_es", "VARCHAR", "The class as published (Spanish).", nullable=False),
        C("value_usd", "DOUBLE", "Exports, current US dollars.", unit="USD", nullable=False),
        C("share_pct", "DOUBLE", "Share of Argentina's exports to that destination.", unit="%"),
        C("source_id", "VARCHAR", "Source of the row.", nullable=False),
    ),
)

OFFICIAL_FINANCE = TableSpec(
    name="official_finance",
    description=(
        "Official finance received by LAC countries by creditor or donor: Japan's net bilateral "
        "ODA (WDI/OECD DAC2a), grants and loan flows by counterpart (World Bank IDS and OECD "
        "DAC via ONE), and Chinese development finance commitments (AidData GCDF 3.0)."
    ),
    primary_key=("source_id", "year", "creditor_name", "creditor_type", "recipient_iso3",
                 "instrument", "measure"),
    sources=("wdi_japan_oda", "one_net_flows", "aiddata_gcdf"),
    columns=(
        C("year", "SMALLINT", "Calendar year (commitment year for AidData).", nullable=False),
        C("creditor_iso3", "VARCHAR",
          "Creditor or donor country; null for multilateral and private creditors."),
        C("creditor_name", "VARCHAR", "Creditor or donor as named by the source.",
          nullable=False),
        C("creditor_type", "VARCHAR", "bilateral | multilateral | private.", nullable=False),
        C("recipient_iso3", "VARCHAR", "Recipient or debtor. " + ISO3_NOTE + ".",
          nullable=False),
        C("instrument", "VARCHAR",
          "net_oda | grant | concessional_loan | non_concessional_loan | private_bank_loan | "
          "bond | private_other | oda_like | oof_like | vague_official.", nullable=False),
        C("measure", "VARCHAR",
          "net_disbursement (gross minus repayments) | inflow (grants received or loan "
          "disbursements) | debt_service (principal and interest paid, negative) | commitment | "
          "commitment_adjusted (AidData, refinancing removed).", nullable=False),
        C("value_usd", "DOUBLE", "Value in US dollars at the prices in `prices`.", unit="USD",
          nullable=False),
        C("prices", "VARCHAR", "current | constant_2021.", nullable=False),
        C("source_id", "VARCHAR", "Source of the row.", nullable=False),
    ),
)

FINANCE_COUNTRY_TOTALS = TableSpec(
    name="china_finance_totals",
    description=(
        "AidData GCDF 3.0 Chinese development finance commitments 2000-2021 by LAC recipient, "
        "with the commitment-weighted interest rate (compiled by Teal Insights)."
    ),
    primary_key=("recipient_iso3",),
    sources=("aiddata_gcdf",),
    columns=(
        C("recipient_iso3", "VARCHAR", "Recipient.", nullable=False),
        C("total_commitments_usd", "DOUBLE", "Commitments 2000-2021, constant 2021 US dollars "
          "(unadjusted).", unit="USD 2021", nullable=False),
        C("weighted_interest_rate_pct", "DOUBLE",
          "Commitment-weighted interest rate of loans with a known rate.", unit="%"),
        C("income_level", "VARCHAR", "World Bank income group."),
        C("gdp_usd", "DOUBLE", "GDP 2021 (IMF WEO Fall 2024).", unit="USD"),
        C("population", "DOUBLE", "Population 2021 (IMF WEO Fall 2024).", unit="persons"),
        C("source_id", "VARCHAR", "Source of the row.", nullable=False),
    ),
)

FDI_FLOWS = TableSpec(
    name="fdi_flows",
    description=(
        "Net FDI inflows into a host economy by origin (UNCTAD bilateral FDI statistics, "
        "2001-2012). Region rows (origin_level < 4, or 'Other ...') have no origin_iso3."
    ),
    primary_key=("host_iso3", "origin_name", "origin_level", "year"),
    sources=("unctad_fdi",),
    columns=(
        C("host_iso3", "VARCHAR", "Host economy. " + ISO3_NOTE + ".", nullable=False),
        C("origin_iso3", "VARCHAR", "Origin economy; null for regions and groups."),
        C("origin_name", "VARCHAR", "Origin as named by UNCTAD.", nullable=False),
        C("origin_level", "TINYINT", "0 = World ... 4 = single economy (UNCTAD hierarchy).",
          nullable=False),
        C("year", "SMALLINT", "Calendar year.", nullable=False),
        C("value_usd", "DOUBLE", "Net FDI inflow, current US dollars; may be negative; null "
          "where UNCTAD shows '..'.", unit="USD"),
        C("raw_value", "VARCHAR", "The cell as published (USD millions, UNCTAD notation)."),
        C("data_basis", "VARCHAR",
          "host_reported | mirror_reported_by_origin_economy.", nullable=False),
        C("source_id", "VARCHAR", "Source of the row.", nullable=False),
    ),
)

MACRO_INDICATORS = TableSpec(
    name="macro_indicators",
    description="World Development Indicators for all economies and World Bank aggregates.",
    primary_key=("indicator_code", "country_iso3", "year"),
    sources=("wdi",),
    columns=(
        C("indicator_code", "VARCHAR", "WDI series code (see indicators).", nullable=False),
        C("country_iso3", "VARCHAR", ISO3_NOTE + ".", nullable=False),
        C("year", "SMALLINT", "Calendar year.", nullable=False),
        C("value", "DOUBLE", "Value in the indicator's unit (see indicators.unit).",
          nullable=False),
        C("source_id", "VARCHAR", "Source of the row.", nullable=False),
    ),
)

INDICATORS = TableSpec(
    name="indicators",
    description="The WDI series in macro_indicators, with their units.",
    primary_key=("indicator_code",),
    sources=("wdi",),
    columns=(
        C("indicator_code", "VARCHAR", "WDI series code.", nullable=False),
        C("name", "VARCHAR", "Series name as published.", nullable=False),
        C("unit", "VARCHAR", "Unit of the values.", nullable=False),
        C("license", "VARCHAR", "Licence as published in the metadata.", nullable=False),
        C("first_year", "SMALLINT", "First year with data.", nullable=False),
        C("last_year", "SMALLINT", "Last year with data.", nullable=False),
    ),
)

UN_ROLL_CALLS = TableSpec(
    name="un_roll_calls",
    description="UN General Assembly roll-call votes 1946 - January 2020 (Voeten).",
    primary_key=("rcid",),
    sources=("un_votes",),
    columns=(
        C("rcid", "INTEGER", "Roll-call id.", nullable=False),
        C("session", "SMALLINT", "UNGA session number.", nullable=False),
        C("date", "DATE", "Date of the vote.", nullable=False),
        C("year", "SMALLINT", "Year of the vote.", nullable=False),
        C("important_vote", "BOOLEAN", "Classified important by the US State Department."),
        C("resolution", "VARCHAR", "Resolution number."),
        C("amendment", "BOOLEAN", "Vote on an amendment."),
        C("paragraph", "BOOLEAN", "Vote on a paragraph."),
        C("short_title", "VARCHAR", "Short title."),
        C("description", "VARCHAR", "Description."),
    ),
)

UN_ROLL_CALL_ISSUES = TableSpec(
    name="un_roll_call_issues",
    description="Issue categories of UNGA roll calls (six categories; a vote may have several).",
    primary_key=("rcid", "issue_code"),
    sources=("un_votes",),
    columns=(
        C("rcid", "INTEGER", "Roll-call id.", nullable=False),
        C("issue_code", "VARCHAR", "me | nu | di | hr | co | ec.", nullable=False),
        C("issue", "VARCHAR", "Issue category name.", nullable=False),
    ),
)

UN_VOTES = TableSpec(
    name="un_votes",
    description="How each country voted on each UNGA roll call (absences are not rows).",
    primary_key=("rcid", "country_iso3"),
    sources=("un_votes",),
    columns=(
        C("rcid", "INTEGER", "Roll-call id (see un_roll_calls).", nullable=False),
        C("country_iso3", "VARCHAR", ISO3_NOTE + ".", nullable=False),
        C("vote", "VARCHAR", "yes | abstain | no.", nullable=False),
    ),
)

EVENTS = TableSpec(
    name="events",
    description=(
        "Curated Japan-LAC events 1990-2025. Dates keep their precision: a year-only date "
        "stays year-only (date_precision), and date_start/date_end give the period it covers."
    ),
    primary_key=("event_id",),
    sources=("events",),
    columns=(
        C("event_id", "VARCHAR", "Stable id: the date as given and a slug of the title.",
          nullable=False),
        C("date_text", "VARCHAR", "Date as given (YYYY, YYYY-MM or YYYY-MM-DD).",
          nullable=False),
        C("date_precision", "VARCHAR", "year | month | day.", nullable=False),
        C("end_date_text", "VARCHAR", "End date as given, for multi-day events."),
        C("date_start", "DATE", "First day the date can mean.", nullable=False),
        C("date_end", "DATE", "Last day the (end) date can mean.", nullable=False),
        C("year", "SMALLINT", "Year of date_start.", nullable=False),
        C("event_type", "VARCHAR",
          "visit | agreement_signed | agreement_in_force | meeting | financing | forum | other.",
          nullable=False),
        C("japanese_actor", "VARCHAR", "Main Japanese person or body.", nullable=False),
        C("lac_countries", "VARCHAR[]", "ISO3 codes of the LAC countries concerned.",
          nullable=False),
        C("region_wide", "BOOLEAN", "The event concerns LAC as a whole.", nullable=False),
        C("title", "VARCHAR", "Title (written by the curators).", nullable=False),
        C("description", "VARCHAR", "Description (written by the curators).", nullable=False),
        C("source_urls", "VARCHAR[]", "Web sources.", nullable=False),
        C("confidence", "VARCHAR", "verified | unverified.", nullable=False),
        C("notes", "VARCHAR", "Curators' notes."),
    ),
)

EVENT_COUNTRIES = TableSpec(
    name="event_countries",
    description="One row per event and LAC country concerned (for joins).",
    primary_key=("event_id", "country_iso3"),
    sources=("events",),
    columns=(
        C("event_id", "VARCHAR", "Event (see events).", nullable=False),
        C("country_iso3", "VARCHAR", "LAC33 country.", nullable=False),
    ),
)

INVESTMENTS = TableSpec(
    name="investments",
    description=(
        "Chinese investment deals of USD 100 million or more in South America, 2005-2021 "
        "(AEI China Global Investment Tracker)."
    ),
    primary_key=("deal_id",),
    sources=("aei_cgit",),
    columns=(
        C("deal_id", "INTEGER", "Row number in the published file (1-based).", nullable=False),
        C("year", "SMALLINT", "Year of the deal.", nullable=False),
        C("month", "TINYINT", "Month of the deal (1-12)."),
        C("investor_iso3", "VARCHAR", "Investor country (CHN).", nullable=False),
        C("investor", "VARCHAR", "Investing companies.", nullable=False),
        C("value_usd", "DOUBLE", "Deal value, current US dollars.", unit="USD", nullable=False),
        C("share_pct", "DOUBLE", "Share acquired, where the source gives one number.", unit="%"),
        C("share_text", "VARCHAR", "Share as published (several investors: e.g. '45, 35, 20')."),
        C("transaction_party", "VARCHAR", "Counterpart company."),
        C("sector", "VARCHAR", "Sector.", nullable=False),
        C("subsector", "VARCHAR", "Subsector."),
        C("host_iso3", "VARCHAR", "Host country.", nullable=False),
        C("bri", "BOOLEAN", "Flagged as Belt and Road."),
        C("greenfield", "BOOLEAN", "Flagged as greenfield."),
        C("source_id", "VARCHAR", "Source of the row.", nullable=False),
    ),
)

HS_PRODUCTS = TableSpec(
    name="hs_products",
    description="Harmonized System 2022 chapters, headings and subheadings.",
    primary_key=("hs_code",),
    sources=("hs_codes",),
    columns=(
        C("hs_code", "VARCHAR", "HS code (2, 4 or 6 digits).", nullable=False),
        C("level", "TINYINT", "2 = chapter, 4 = heading, 6 = subheading.", nullable=False),
        C("description", "VARCHAR", "Description.", nullable=False),
        C("parent", "VARCHAR", "Parent code (chapters: TOTAL).", nullable=False),
        C("section_number", "TINYINT", "HS section, 1-21.", nullable=False),
    ),
)

HS_SECTIONS = TableSpec(
    name="hs_sections",
    description="The 21 HS sections, with short and full names.",
    primary_key=("section_number",),
    sources=("hs_codes", "ots_reference"),
    columns=(
        C("section_number", "TINYINT", "Section number, 1-21.", nullable=False),
        C("section_roman", "VARCHAR", "Section in Roman numerals.", nullable=False),
        C("name", "VARCHAR", "Name (datasets/harmonized-system).", nullable=False),
        C("name_full", "VARCHAR", "Full English name (Open Trade Statistics)."),
    ),
)

TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        COUNTRIES,
        TRADE_FLOWS,
        PRODUCT_TRADE,
        TRADE_SHARES_LONG_RUN,
        EXPORT_COMPOSITION,
        OFFICIAL_FINANCE,
        FINANCE_COUNTRY_TOTALS,
        FDI_FLOWS,
        MACRO_INDICATORS,
        INDICATORS,
        UN_ROLL_CALLS,
        UN_ROLL_CALL_ISSUES,
        UN_VOTES,
        EVENTS,
        EVENT_COUNTRIES,
        INVESTMENTS,
        HS_PRODUCTS,
        HS_SECTIONS,
    )
}
