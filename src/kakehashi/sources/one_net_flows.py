"""ONE Campaign net flows (World Bank IDS and OECD DAC2a): official flows to LAC by counterpart."""

from __future__ import annotations

from kakehashi.provenance import License, RawFile, Source

SOURCE = Source(
    id="one_net_flows",
    title=(
        "Net flows: official and private debt flows and grants to LAC countries by creditor or "
        "donor, 2000–2022"
    ),
    publisher=(
        "ONE Campaign ('Net flows' research dataset), built from World Bank International Debt "
        "Statistics (IDS) and OECD DAC2a"
    ),
    url="https://github.com/ONEcampaign/net_flows",
    origin=(
        "GitHub ONEcampaign/net_flows, output/full_flows_country.parquet (last changed in commit "
        "fd906fc542c7d3d3936f88207b9c0e4d146c314c, 2024-04-14; repo HEAD "
        "ecfe4b6e6d4567b811ccb845a6c3162217353ed7, 2024-12-03); built by the repo's "
        "scripts/data/inflows.py and outflows.py (code not copied)"
    ),
    version="ecfe4b6",
    retrieved="2024-12-03",
    license=License(
        name="CC BY 4.0 (World Bank IDS data); OECD terms (DAC data); repository MIT",
        url="https://creativecommons.org/licenses/by/4.0/",
        note=(
            "Underlying IDS data CC BY 4.0 (World Bank); DAC data under OECD terms (free reuse "
            "with attribution); the ONE repository is MIT."
        ),
    ),
    citation=(
        "ONE Campaign, 'Net flows' dataset (GitHub ONEcampaign/net_flows, "
        "output/full_flows_country.parquet, commit fd906fc, 2024-04-14; repo HEAD ecfe4b6, "
        "2024-12-03), built from World Bank International Debt Statistics (CC BY 4.0) and OECD "
        "DAC Table DAC2a grant flows (via the oda_data package). "
        "https://github.com/ONEcampaign/net_flows"
    ),
    units=(
        "value_usd: current US$; inflows (grants received, loan disbursements) positive, "
        "outflows (debt service: principal + interest) negative"
    ),
    coverage=(
        "2000–2022, annual; only the 23 LAC countries that report to IDS (low/middle income "
        "borrowers): ARG BLZ BOL BRA COL CRI DMA DOM ECU GRD GTM GUY HND HTI JAM LCA MEX NIC "
        "PER PRY SLV SUR VCT (no CHL, URY, PAN, TTO, BHS, BRB, ATG, KNA, CUB, VEN). All "
        "counterparts (144 distinct creditors/donors, e.g. Japan, China, United States, "
        "Inter-American Development Bank, Bondholders), counterpart_type Bilateral / "
        "Multilateral / Private; indicators Bilateral Grants, Bilateral Concessional Debt, "
        "Bilateral Non-Concessional Debt, Multilateral Grants, Multilateral Concessional Debt, "
        "Multilateral Non-Concessional Debt, Private - banks, Private - bonds, Private - other. "
        "35,905 rows."
    ),
    caveats=(
        "IDS covers public and publicly guaranteed debt only (e.g. Chinese loans to private "
        "firms are excluded). Concessional vs non-concessional split follows IDS codes (BLTC vs "
        "BLAT). Grants are DAC2a (DAC donors only: no Chinese grants). Zero and missing rows "
        "were dropped upstream. Only the current-price version was kept (a constant-price "
        "version exists in the source). Some Chinese banks are classed as private creditors."
    ),
    derivation=(
        "Kept rows whose debtor/recipient is a LAC33 country and prices == current; added "
        "country_iso3; renamed columns; fixed the double space in 'Private  - banks'; all "
        "counterparts kept so shares can be computed. 'retrieved' is the date of the copied "
        "repo HEAD ecfe4b6 (the file itself last changed in fd906fc, 2024-04-14)."
    ),
    files=(
        RawFile(
            path="wb_ids_oneflows/official_flows_lac_by_counterpart_2000_2022.csv.gz",
            description=(
                "Inflows and outflows by LAC country, counterpart, indicator and year (year, "
                "country_iso3, country_name, counterpart, counterpart_type, indicator, flow, "
                "income_level, value_usd); 35,905 rows"
            ),
        ),
    ),
)
