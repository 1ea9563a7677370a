"""UN General Assembly roll-call votes (Voeten), as packaged in the R package unvotes."""

from __future__ import annotations

from kakehashi.provenance import License, RawFile, Source

SOURCE = Source(
    id="un_votes",
    title="United Nations General Assembly roll-call votes, 1946–2020",
    publisher=(
        "Erik Voeten, 'Data and Analyses of Voting in the UN General Assembly' (Harvard "
        "Dataverse), as packaged in the R package unvotes (David Robinson)"
    ),
    url="https://hdl.handle.net/1902.1/12379",
    origin=(
        "GitHub dgrtwo/unvotes, data/un_votes.rda, data/un_roll_calls.rda, "
        "data/un_roll_call_issues.rda, HEAD 7eb7034314ff79c49c9e0785fcd9d216fa04cf14 "
        "(2021-03-08)"
    ),
    version="7eb7034",
    retrieved="2021-03-08",
    license=License(
        name="MIT (unvotes package); cite Voeten's dataset",
        url="https://opensource.org/licenses/MIT",
        note=(
            "The R package unvotes is MIT; the underlying data are Erik Voeten's dataset: "
            "cite it (Harvard Dataverse hdl:1902.1/12379)."
        ),
    ),
    citation=(
        "Erik Voeten, 'Data and Analyses of Voting in the UN General Assembly', Harvard "
        "Dataverse, hdl:1902.1/12379; as packaged in the R package unvotes by David Robinson "
        "(GitHub dgrtwo/unvotes, commit 7eb7034, 2021-03-08). "
        "https://hdl.handle.net/1902.1/12379"
    ),
    units=(
        "Votes: categorical vote (yes / abstain / no) per country and roll call; roll calls: "
        "session, date, resolution; issues: one of 6 issue categories"
    ),
    coverage=(
        "UNGA roll-call votes 1946-01-01 … 2020-01-14; 200 countries. 870,109 votes; 6,203 "
        "roll calls; 5,745 issue tags."
    ),
    caveats=(
        "Absences are not rows. country_code is ISO 3166-1 alpha-2: convert before joining "
        "ISO3 tables. 2020 has only January votes. Not every roll call has an issue tag "
        "(5,745 tags for 6,203 roll calls)."
    ),
    derivation=(
        "Converted from .rda to CSV with pyreadr, unchanged. 'retrieved' is the date of the "
        "copied HEAD commit 7eb7034."
    ),
    files=(
        RawFile(
            path="un_votes/un_votes.csv.gz",
            description="Votes (rcid, country, country_code ISO2, vote); 870,109 rows",
        ),
        RawFile(
            path="un_votes/un_roll_calls.csv.gz",
            description=(
                "Roll calls (rcid, session, importantvote, date, unres, amend, para, short, "
                "descr); 6,203 rows"
            ),
        ),
        RawFile(
            path="un_votes/un_roll_call_issues.csv",
            description="Issue tags (rcid, short_name, issue); 5,745 rows",
        ),
    ),
)
