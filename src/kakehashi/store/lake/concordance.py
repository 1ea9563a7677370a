"""HS correlation tables (UNSD or WITS) in the lake: which code became which between two
revisions, and with what share of its value."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kakehashi.errors import InputError, InvalidRequest
from kakehashi.provenance import sha256_of
from kakehashi.schema.products import HS_REVISIONS
from kakehashi.store.atomic import writer_lock
from kakehashi.store.lake.layout import carry_over, current_version, publish, stamp

_REVISION_YEAR = {str(y): rev for rev, y in HS_REVISIONS.items()} | {"1992": "HS92"}


def _revision_of(column: str) -> str | None:
    """'HS 2017 Product Code', 'From HS 2022', 'HS17', 'hs2012' -> HS17, HS22, HS17, HS12."""
    text = column.upper().replace(" ", "")
    m = re.search(r"HS(\d{4})", text)
    if m:
        return _REVISION_YEAR.get(m.group(1))
    m = re.search(r"HS(\d\d)(?!\d)", text)
    return f"HS{m.group(1)}" if m and f"HS{m.group(1)}" in HS_REVISIONS else None


def read_correlation(path: Path, from_revision: str,
                     to_revision: str) -> list[tuple[str, str]]:
    """(from_hs6, to_hs6) pairs from a correlation table saved as CSV: the UN Statistics
    Division's HS conversion and correlation tables (columns 'From HS 2017', 'To HS 2022') or
    a WITS concordance ('HS 2017 Product Code', 'HS 2022 Product Code'); the two code columns
    are found by the revisions their names carry."""
    if not path.is_file():
        raise InputError(path, "no such file", hint="Save the correlation table as CSV and "
                                                    "give its path.")
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, [])
            cols: dict[str, int] = {}
            for n, name in enumerate(header):
                rev = _revision_of(name)
                if rev and rev not in cols and ("DESC" not in name.upper()):
                    cols[rev] = n
            missing = [r for r in (from_revision, to_revision) if r not in cols]
            if missing:
                raise InputError(path, f"no code column for {', '.join(missing)} in the "
                                 f"header {header}", line=1, hint=(
                                     "Use a UNSD or WITS correlation table whose code "
                                     "columns name the revisions (e.g. 'HS 2017 Product "
                                     "Code'), or check --from/--to."))
            i, j = cols[from_revision], cols[to_revision]
            pairs: list[tuple[str, str]] = []
            for line, row in enumerate(reader, start=2):
                if len(row) <= max(i, j) or not row[i].strip() or not row[j].strip():
                    continue
                # 5 digits: a leading zero lost to a spreadsheet; fewer is not an HS6 code
                a, b = (re.sub(r"\D", "", row[k]) for k in (i, j))
                if not (5 <= len(a) <= 6 and 5 <= len(b) <= 6):
                    raise InputError(path, f"codes {row[i]!r}, {row[j]!r} are not HS "
                                     "6-digit codes", line=line,
                                     hint="Use the 6-digit correlation table.")
                pairs.append((a.zfill(6), b.zfill(6)))
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text", hint="Save the table as CSV (UTF-8).") from None
    if not pairs:
        raise InputError(path, "no code pairs", hint="Use the 6-digit correlation table.")
    return sorted(set(pairs))


def relationships(pairs: Sequence[tuple[str, str]], from_revision: str,
                  to_revision: str) -> list[dict[str, Any]]:
    """Each pair with its relationship (1:1, n:1, 1:n, n:n) and the share of the source
    code's value it carries (equal shares over a split's targets)."""
    targets: dict[str, set[str]] = {}
    sources: dict[str, set[str]] = {}
    for a, b in pairs:
        targets.setdefault(a, set()).add(b)
        sources.setdefault(b, set()).add(a)
    out = []
    for a, b in pairs:
        many_to, many_from = len(targets[a]) > 1, len(sources[b]) > 1
        rel = {(False, False): "1:1", (False, True): "n:1", (True, False): "1:n",
               (True, True): "n:n"}[(many_to, many_from)]
        out.append({"from_revision": from_revision, "from_hs6": a,
                    "to_revision": to_revision, "to_hs6": b, "relationship": rel,
                    "weight": 1.0 / len(targets[a])})
    return out


def load_concordance(lake: Path, path: Path, from_revision: str,
                     to_revision: str) -> dict[str, Any]:
    """Add a correlation table to the lake (a new version; other revision pairs kept)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    revs = [r.upper() for r in (from_revision, to_revision)]
    bad = [r for r in revs if r not in HS_REVISIONS]
    if bad or revs[0] == revs[1]:
        raise InvalidRequest(f"Revisions {from_revision} -> {to_revision}: give two different "
                             "of " + ", ".join(HS_REVISIONS) + ".")
    rows = relationships(read_correlation(path, revs[0], revs[1]), revs[0], revs[1])
    with writer_lock(lake / "lake"):
        old = current_version(lake)
        old_manifest = json.loads((old / "manifest.json").read_text())
        new = lake / "versions" / (stamp() + ".tmp")
        (new / "product_flows").mkdir(parents=True)
        try:
            carry_over(old, new, set(), concordance=False)
            table = pa.Table.from_pylist(rows)
            conc = old / "hs_concordance.parquet"
            if conc.exists():
                prev = pq.read_table(conc)
                keep = pc.invert(pc.and_(pc.equal(prev["from_revision"], revs[0]),
                                         pc.equal(prev["to_revision"], revs[1])))
                table = pa.concat_tables([prev.filter(keep), table.cast(prev.schema)])
            pq.write_table(table, new / "hs_concordance.parquet", compression="zstd")
            counts: dict[str, int] = {}
            for r in rows:
                counts[r["relationship"]] = counts.get(r["relationship"], 0) + 1
            entry = {"from_revision": revs[0], "to_revision": revs[1], "file": path.name,
                     "sha256": sha256_of(path), "pairs": len(rows), "relationships": counts,
                     "loaded": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
            mf = dict(old_manifest)
            mf["concordances"] = [c for c in old_manifest.get("concordances", [])
                                  if (c["from_revision"], c["to_revision"]) != tuple(revs)]
            mf["concordances"].append(entry)
            publish(lake, new, old, mf)
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise
    return entry
