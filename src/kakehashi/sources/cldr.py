"""Unicode CLDR territory names (en, es, pt, ja), as bundled with the Babel package."""

from __future__ import annotations

from kakehashi.provenance import License, Source

SOURCE = Source(
    id="cldr",
    title="Unicode CLDR territory names in English, Spanish, Portuguese and Japanese",
    publisher="Unicode Consortium (CLDR), via the Babel package",
    url="https://cldr.unicode.org/",
    origin="Python package Babel (CLDR locale data shipped inside the package)",
    version="CLDR as bundled with Babel (version recorded at build time)",
    retrieved="",
    license=License(
        name="Unicode License v3",
        url="https://www.unicode.org/license.txt",
    ),
    citation=(
        "Unicode Consortium, Unicode Common Locale Data Repository (CLDR), territory names "
        "(en, es, pt, ja), as bundled with the Python package Babel. https://cldr.unicode.org/"
    ),
    units="Territory display names (text), keyed by ISO 3166-1 alpha-2 code",
    coverage="Territory names in English, Spanish, Portuguese and Japanese",
    caveats=(
        "The CLDR version depends on the installed Babel, so names can change between "
        "builds; record the version at build time."
    ),
    derivation=(
        "Country names in es, pt and ja are looked up by ISO 3166-1 alpha-2 code with "
        "babel.Locale(lang).territories when the snapshot is derived. No file in the data "
        "folder; 'retrieved' is empty because the data come with the installed package."
    ),
    files=(),
)
