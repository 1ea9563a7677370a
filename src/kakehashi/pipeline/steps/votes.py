"""un_votes, un_roll_calls and un_roll_call_issues: UN General Assembly voting (Voeten)."""

from __future__ import annotations

from kakehashi.pipeline.context import StepContext
from kakehashi.schema.tables import UN_ROLL_CALL_ISSUES, UN_ROLL_CALLS, UN_VOTES

VOTES = "un_votes/un_votes.csv.gz"
ROLL_CALLS = "un_votes/un_roll_calls.csv.gz"
ISSUES = "un_votes/un_roll_call_issues.csv"
INPUTS = (VOTES, ROLL_CALLS, ISSUES)
TABLES = (UN_ROLL_CALLS, UN_ROLL_CALL_ISSUES, UN_VOTES)


def build(ctx: StepContext) -> dict[str, str]:
    votes = ctx.read_csv(VOTES, "raw_un_votes", {"rcid": "INTEGER", "country": "VARCHAR",
                                                 "country_code": "VARCHAR", "vote": "VARCHAR"})
    calls = ctx.read_csv(ROLL_CALLS, "raw_un_roll_calls", {
        "rcid": "INTEGER", "session": "DOUBLE", "importantvote": "TINYINT", "date": "DATE",
        "unres": "VARCHAR", "amend": "TINYINT", "para": "TINYINT", "short": "VARCHAR",
        "descr": "VARCHAR"})
    issues = ctx.read_csv(ISSUES, "raw_un_issues", {"rcid": "INTEGER", "short_name": "VARCHAR",
                                                    "issue": "VARCHAR"})
    by_code = ctx.map_column(votes, "country_code", "un_votes", "iso2")
    by_name = ctx.map_column(votes, "country", "un_votes", "name",
                             where="country_code IS NULL")
    return {
        "un_roll_calls": f"""
            SELECT rcid, CAST(session AS SMALLINT) AS session, date,
                   CAST(year(date) AS SMALLINT) AS year, importantvote = 1 AS important_vote,
                   unres AS resolution, amend = 1 AS amendment, para = 1 AS paragraph,
                   short AS short_title, descr AS description
            FROM {calls}""",
        "un_roll_call_issues": f"""
            SELECT rcid, short_name AS issue_code, issue FROM {issues}""",
        "un_votes": f"""
            SELECT v.rcid, coalesce(c.code, n.code) AS country_iso3,
                   CASE WHEN v.vote IN ('yes', 'no', 'abstain') THEN v.vote
                        ELSE error('{VOTES}: unknown vote ' || v.vote) END AS vote
            FROM {votes} v LEFT JOIN {by_code} c ON c.value = v.country_code
            LEFT JOIN {by_name} n ON n.value = v.country AND v.country_code IS NULL""",
    }
