"""CEPII BACI at HS6, as the product lake holds it (not part of the bundled snapshot: its
files are ~11 M rows a year and come from `kakehashi update --source baci` or the user)."""

from __future__ import annotations

from kakehashi.provenance import License, Source

SOURCE = Source(
    id="baci",
    title="CEPII BACI: bilateral trade flows by HS6 product, reconciled",
    publisher="CEPII",
    url="https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37",
    origin="BACI_{HS}_Y{year}_V{release}.csv files of the BACI_{HS}_V{release}.zip release",
    version="",  # the release, from the ingested files' names (see the lake's manifest)
    retrieved="",  # when the files were ingested, from the lake's manifest
    license=License("Etalab Open Licence 2.0",
                    "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"),
    citation="Gaulier, G. and Zignago, S. (2010) BACI: International Trade Database at the "
             "Product-Level. The 1994-2007 Version. CEPII Working Paper 2010-23.",
    units="Current US dollars (BACI v is in thousands: multiplied by 1,000); tons",
    coverage="All exporters and importers BACI covers (~200 economies), HS6 products, the "
             "years of the ingested files.",
    caveats="Mirror flows reconciled by CEPII (exports FOB): not what either country "
            "reported. Codes are in the release's HS revision (e.g. HS92 from 1995 on); "
            "comparing across revisions needs a concordance.",
    derivation="t,i,j,k,v,q read as typed CSV; i and j mapped to ISO3 with BACI's "
               "country_codes file; k zero-padded to 6 digits; v x 1,000; q kept as tons.",
)
