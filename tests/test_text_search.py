"""Search over the labelled real texts in four languages: keywords, entities, embeddings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kakehashi.store import build_store, open_store
from kakehashi.text import docstore, embed, quality
from kakehashi.text import gazetteer as gz
from kakehashi.text.cli import search as search_cmd
from kakehashi.text.ingest import read_targets
from kakehashi.text.search import load_rows, search

LABELLED = Path(__file__).resolve().parent / "data" / "text" / "labelled.jsonl"


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("search")
    path = tmp / "kakehashi.duckdb"
    build_store(path)
    documents = []
    for item in quality.load(LABELLED):
        f = tmp / f"{item['id']}.txt"
        f.write_text(str(item["text"]), encoding="utf-8")
        batch = read_targets([str(f)], published=item.get("published"), embeddings=True)
        assert batch.problems == []
        documents += batch.documents
    docstore.ingest_into_store(path, documents)
    return path


@pytest.fixture(scope="module")
def rows(store_file: Path) -> list[dict[str, object]]:
    s = open_store(store_file)
    try:
        return load_rows(s)
    finally:
        s.close()


def ids(store_file: Path, hits: list) -> list[str]:  # type: ignore[type-arg]
    by_doc = {d: Path(o).stem for d, o in _origins(store_file)}
    return [by_doc[h.doc_id] for h in hits]


def _origins(store_file: Path) -> list[tuple[str, str]]:
    s = open_store(store_file)
    try:
        return [tuple(r) for r in s.query("SELECT doc_id, origin FROM documents").rows]
    finally:
        s.close()


@pytest.mark.parametrize("query, top", [
    ("Japanese foreign minister meets Peru counterpart", {"en01", "en02", "en03", "en08"}),
    ("yen loan for renewable energy in Latin America", {"en06"}),
    ("préstamo de JICA a Bolivia", {"es08", "es09"}),
    ("tratado de libre comercio Japón Perú", {"es07", "es10", "es12"}),
    ("empréstimo da JICA ao BNDES", {"pt04"}),
    ("primeiro-ministro do Japão visita o Brasil", {"pt02", "pt03", "pt08"}),
    ("ペルー 外相会談", {"ja02", "ja03", "ja08"}),
    ("円借款 インフラ 中南米", {"ja05", "ja10", "ja11"}),
])
def test_queries_in_four_languages(store_file: Path, rows: list, query: str,  # type: ignore[type-arg]
                                   top: set[str]) -> None:
    hits = search(rows, query, limit=3)
    assert ids(store_file, hits)[0] in top


def test_near_duplicates_shown_once(store_file: Path, rows: list) -> None:  # type: ignore[type-arg]
    dups = [r for r in rows if r["duplicate_of"]]
    assert len(dups) == 1  # pt03 repeats pt02 with a title line added
    found = ids(store_file, search(rows, "primeiro-ministro do Japão visita o Brasil", limit=10))
    assert ("pt02" in found) != ("pt03" in found)


def test_entities_cross_languages_and_filters(store_file: Path, rows: list  # type: ignore[type-arg]
                                              ) -> None:
    found = ids(store_file, search(rows, "Perú", limit=40, semantic=False))
    assert {"en02", "es07", "ja02"} <= set(found)  # "Perú" finds Peru in en, es and ja
    ja = ids(store_file, search(rows, "Peru", language="ja", limit=40))
    assert ja and all(i.startswith("ja") for i in ja)
    mx = ids(store_file, search(rows, "agreement", country="MEX", limit=40))
    assert mx and "en13" in mx
    nikkei = ids(store_file, search(rows, "Brasil", theme="migration_nikkei", limit=40))
    assert nikkei and "pt01" in nikkei
    from datetime import date

    recent = search(rows, "Japón", since=date(2020, 1, 1), limit=40)
    assert recent and all(h.published and h.published >= date(2020, 1, 1) for h in recent)


def test_query_terms_cross_languages(store_file: Path, rows: list  # type: ignore[type-arg]
                                     ) -> None:
    from kakehashi.text.search import query_event_types, translated_terms

    assert {"peru", "visit", "visita", "viagem"} <= set(translated_terms("ペルー 訪問"))
    assert query_event_types("préstamo de JICA") == {"financing"}
    # a Japanese query finds Spanish texts about Peru visits by their words
    hits = search(rows, "ペルー 訪問", limit=10)
    spanish = [h for h in hits if h.language == "es"]
    assert spanish and all(h.keyword_rank is not None for h in spanish)
    assert {"es01", "es02"} & set(ids(store_file, spanish))


def test_embeddings_load_offline_from_the_wheel() -> None:
    assert embed.available()
    v = embed.embed(["Japón visita Perú", "Japan visits Peru"])
    assert v.shape == (2, embed.DIM)
    assert abs(float((v[0] ** 2).sum()) - 1.0) < 1e-3


def test_cli_search(store_file: Path) -> None:
    res = CliRunner().invoke(search_cmd, ["外相会談", "--store", str(store_file), "--format",
                                          "json", "--limit", "2"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert len(out) == 2 and out[0]["language"] == "ja"
    assert all(r["event_type"] in gz.EVENT_TYPES for r in out)  # the rules' (no "?")


def test_search_quality_bench_gives_the_figures_docs_text_quotes(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """bench/text_search_quality.py on the shipped texts: docs/text.md quotes its table."""
    import runpy
    import sys

    bench = Path(__file__).resolve().parents[1] / "bench" / "text_search_quality.py"
    monkeypatch.setattr(sys, "argv", [str(bench)])
    with pytest.raises(SystemExit) as done:
        runpy.run_path(str(bench), run_name="__main__")
    assert done.value.code == 0
    lines = capsys.readouterr().out.splitlines()
    assert sum(1 for line in lines if line.startswith("| ") and "| relevant |" not in line
               and "mean P@5" not in line) == 15
    bm25, entities, default = (float(x) for x in lines[-1].strip("| ").split("|")[-3:])
    assert (bm25, entities, default) == (0.49, 0.73, 0.72)
