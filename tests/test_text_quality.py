"""The extractor's quality on the labelled set of real texts: the numbers docs/text.md reports.

These assert the measured counts of the shipped texts (so the report cannot drift from the
code), not that the goals are met: every part of it has been tuned on. The unseen parts, whose
figures fall short of the event-type goal in es and pt, are in labelled_unshipped.jsonl, which
ships labels without texts: only its form is tested here, and docs/text.md reports its scores,
each measured once with the texts before its errors were read.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from kakehashi.text import gazetteer as gz
from kakehashi.text import quality

LABELLED = Path(__file__).resolve().parent / "data" / "text" / "labelled.jsonl"
UNSHIPPED = LABELLED.with_name("labelled_unshipped.jsonl")
# es and pt: 8 dev, 9 heldout2, 20 of each of heldout3-7, 30 of each of heldout8-18 (29 pt in
# heldout9: one Portuguese text turned out to repeat a heldout6 one and was dropped)
UNSHIPPED_PER_LANGUAGE = {"es": 447, "pt": 446}
UNSHIPPED_SPLITS = {"dev", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6",
                    "heldout7", "heldout8", "heldout9", "heldout10", "heldout11",
                    "heldout12", "heldout13", "heldout14", "heldout15", "heldout16",
                    "heldout17", "heldout18"}

# (split, language, field): (true positives, false positives, false negatives)
EXPECTED = {
    ('dev', 'all', 'countries'): (40, 0, 0),
    ('dev', 'all', 'event_type'): (27, 1, 1),
    ('dev', 'all', 'themes'): (80, 6, 0),
    ('dev', 'en', 'countries'): (9, 0, 0),
    ('dev', 'en', 'event_type'): (6, 1, 1),
    ('dev', 'en', 'themes'): (23, 1, 0),
    ('dev', 'es', 'countries'): (12, 0, 0),
    ('dev', 'es', 'event_type'): (7, 0, 0),
    ('dev', 'es', 'themes'): (12, 1, 0),
    ('dev', 'ja', 'countries'): (8, 0, 0),
    ('dev', 'ja', 'event_type'): (7, 0, 0),
    ('dev', 'ja', 'themes'): (18, 2, 0),
    ('dev', 'pt', 'countries'): (11, 0, 0),
    ('dev', 'pt', 'event_type'): (7, 0, 0),
    ('dev', 'pt', 'themes'): (27, 2, 0),
    ('heldout', 'all', 'countries'): (37, 0, 0),
    ('heldout', 'all', 'event_type'): (28, 3, 3),
    ('heldout', 'all', 'themes'): (80, 11, 7),
    ('heldout', 'en', 'countries'): (6, 0, 0),
    ('heldout', 'en', 'event_type'): (8, 0, 0),
    ('heldout', 'en', 'themes'): (17, 5, 1),
    ('heldout', 'es', 'countries'): (9, 0, 0),
    ('heldout', 'es', 'event_type'): (5, 2, 2),
    ('heldout', 'es', 'themes'): (22, 0, 0),
    ('heldout', 'ja', 'countries'): (13, 0, 0),
    ('heldout', 'ja', 'event_type'): (8, 0, 0),
    ('heldout', 'ja', 'themes'): (21, 4, 2),
    ('heldout', 'pt', 'countries'): (9, 0, 0),
    ('heldout', 'pt', 'event_type'): (7, 1, 1),
    ('heldout', 'pt', 'themes'): (20, 2, 4),
}


@pytest.fixture(scope="module")
def items() -> list[dict[str, object]]:
    return quality.load(LABELLED)


def test_labelled_set_is_real_and_balanced(items: list[dict[str, object]]) -> None:
    for lang in ("en", "es", "pt", "ja"):
        mine = [i for i in items if i["lang"] == lang]
        assert len(mine) >= 14, lang
        assert {i["split"] for i in mine} == {"dev", "heldout"}
    for item in items:
        assert item["url"] and item["licence"], item["id"]


def test_scores_are_what_the_report_says(items: list[dict[str, object]]) -> None:
    scores = quality.evaluate(items)
    measured = {k: (s.tp, s.fp, s.fn) for k, s in scores.items()}
    assert measured == EXPECTED


def test_country_f1_is_perfect_on_both_parts(items: list[dict[str, object]]) -> None:
    scores = quality.evaluate(items)
    for split in ("dev", "heldout"):
        assert scores[(split, "all", "countries")].f1 == 1.0
    assert round(scores[("heldout", "all", "event_type")].f1, 2) == 0.9
    assert round(scores[("heldout", "all", "themes")].f1, 2) == 0.90


def test_unshipped_labels_are_well_formed() -> None:
    items = quality.load(UNSHIPPED)
    assert len(items) == sum(UNSHIPPED_PER_LANGUAGE.values())
    for lang in ("es", "pt"):
        mine = [i for i in items if i["lang"] == lang]
        assert len(mine) == UNSHIPPED_PER_LANGUAGE[lang]
        assert {i["split"] for i in mine} == UNSHIPPED_SPLITS
    ids = [i["id"] for i in items] + [i["id"] for i in quality.load(LABELLED)]
    assert len(ids) == len(set(ids))
    # a text that repeats another (same address, same excerpt) would be scored as unseen twice
    urls = [i["url"] for i in items] + [i["url"] for i in quality.load(LABELLED)]
    assert len(urls) == len(set(urls))
    assert len({i["sha256"] for i in items}) == len(items)
    for item in items:
        assert "text" not in item and item["url"] and item["licence"], item["id"]
        assert len(item["sha256"]) == 64 and item["chars"] > 0
        labels = item["labels"]
        assert labels["event_type"] in gz.EVENT_TYPES
        assert set(labels["themes"]) <= set(gz.THEMES)
        assert all(len(c) == 3 and c.isupper() for c in labels["countries"])


def test_texts_are_attached_only_when_their_checksum_matches(tmp_path: Path) -> None:
    text = "Japón y Perú firmaron hoy un acuerdo."
    item = {"id": "x1", "lang": "es", "split": "heldout2", "published": None,
            "sha256": hashlib.sha256(text.encode()).hexdigest(), "chars": len(text),
            "labels": {"countries": ["PER"], "event_type": "agreement_signed", "themes": []}}
    other = {**item, "id": "x2"}
    shipped = json.loads(LABELLED.read_text(encoding="utf-8").splitlines()[0])
    (tmp_path / "x1.txt").write_text(text, encoding="utf-8")
    (tmp_path / "x2.txt").write_text(text + " (edited)", encoding="utf-8")
    kept, missing = quality.attach_texts([shipped, item, other], tmp_path)
    assert [i["id"] for i in kept] == [shipped["id"], "x1"] and missing == ["x2"]
    assert kept[1]["text"] == text
    assert quality.attach_texts([item], None) == ([], ["x1"])
    scores = quality.evaluate(kept)
    both = quality.combine(scores, ("dev", "heldout2"), "both")
    assert both[("both", "all", "event_type")] == quality.Score(2, 0, 0)


@pytest.mark.parametrize("text, want", [
    # "afirmó" (said) holds "firmó" (signed): a signing cue starts a word
    ("El embajador afirmó que Japón y Bolivia afirman su amistad.", None),
    # naming an agreement is not signing one
    ("La comunidad espera un Acuerdo de Seguridad Social; el acuerdo protegería a miles.",
     "other"),
    # a visit named as the setting of the event of the sentence is not the event
    ("Durante visita de Estado ao Japão, o presidente firmou acordos com o governo.",
     "agreement_signed"),
    # a loan agreement is financing, not a signing
    ("Paraguay firmará en mayo un convenio de préstamo con Japón.", "financing"),
    # hosting a visitor is a visit
    ("El presidente recibió este jueves en el palacio al ministro de Japón.", "visit"),
    # a cue in a relative clause of the title is not the news; ratifying brings into force
    ("Es el tercer tratado que firma Japón\nEl Parlamento ratificó hoy el tratado con Perú, "
     "que entrará en vigor este año.", "agreement_in_force"),
    ("Já está em vigor acordo previdenciário\nO acordo, assinado em 2010, beneficia "
     "brasileiros.", "agreement_in_force"),
    # a signing with a lender and an amount of money, or of a grant, is financing
    ("Brasil e banco japonês firmarão contrato\nO contrato com o JBIC libera R$ 1 bilhão "
     "para etanol.", "financing"),
    ("Firma de Canje de Notas\nEl embajador firmó el canje de notas relativo a la Cooperación "
     "Financiera No Reembolsable para un proyecto.", "financing"),
    # a phone call is a meeting; an invitation to visit is not a visit
    ("La canciller mantuvo una conversación telefónica con su par japonesa, que la invitó a "
     "realizar una visita oficial a Tokio.", "meeting"),
    # a prime minister on an official visit who holds talks there is on a visit (the guide:
    # an official received abroad is on a visit even when the text dwells on the talks)
    ("O primeiro-ministro, em visita oficial ao Brasil, realizou a Cúpula com a presidenta.",
     "visit"),
    # a business mission is a visit
    ("Uma missão empresarial do Brasil estará no Japão até abril.", "visit"),
    # a meeting held as the follow-up to a visit is a meeting; so is talks where a date with
    # dots stands between "recebeu" and the visitor: the visitor was received
    ("Se realizó la Reunión de Consulta Política, como parte del seguimiento a la visita "
     "oficial del presidente a Japón.", "meeting"),
    ("O presidente recebeu nesta quinta-feira (07.01.2021) o ministro do Japão.", "visit"),
    # what an anniversary commemorates is not the news
    ("La princesa asistió a la ceremonia del aniversario de la firma del convenio de "
     "voluntarios.", "other"),
    # "vai entrar em vigor", a legislature approving an agreement: into force
    ("A isenção de vistos entre Brasil e Japão vai entrar em vigor no dia 30.",
     "agreement_in_force"),
    ("Aprobado acuerdo de inversión entre Colombia y Japón\nEl Congreso aprobó el proyecto "
     "de ley.", "agreement_in_force"),
    # a law's "Apruébase el Convenio" ratifies it; money before the lender is still a loan
    ("Ley 19.938\nApruébase el Convenio entre Uruguay y Japón.", "agreement_in_force"),
    ("Sabesp assina contrato no Japão\nA Sabesp assina empréstimo de US$ 62,5 milhões com a "
     "Japan International Cooperation Agency.", "financing"),
    # embarking for Japan is a visit; a cycle of lectures is a forum, a press conference not
    ("O governador embarcou nesta sexta-feira para o Japão.", "visit"),
    ("La universidad organizó un ciclo de conferencias sobre Japón.", "forum"),
    ("En conferencia de prensa, el ministro habló de Japón.", None),
    # a deed in the lead wins over the visit it happened on
    ("El presidente cerró una gira por Japón y consiguió préstamos para obras de agua.",
     "financing"),
    ("El comisionado recibió al presidente de JICA, con quien firmó un acuerdo de desminado.",
     "agreement_signed"),
    # an envoy of Japan calling on a governor or a mayor is a meeting ...
    ("Prefeito recebe cônsul do Japão\nO prefeito recebeu a visita do cônsul-geral do Japão.",
     "meeting"),
    ("Palácio recebe visita do embaixador japonês\nO governador recebeu o embaixador.",
     "meeting"),
    # ... unless a minister of Japan comes too
    ("El presidente recibió al canciller de Japón y al embajador de Japón en visita oficial.",
     "visit"),
    # talks with a Japanese minister held in the region, or talks in Tokyo, are a visit
    ("Montevideo, 9 ene.- El ministro de Asuntos Exteriores de Japón se reunió con la "
     "vicecanciller uruguaya.", "visit"),
    ("El presidente de Paraguay se reunió en Tokio con el primer ministro.", "visit"),
    ("Os chanceleres reuniram-se. O encontro faz parte da série de viagens do ministro.",
     "visit"),
    # a call, or talks at a summit, stay a meeting
    ("Lula conversou por telefone com o primeiro-ministro do Japão.", "meeting"),
    ("O primeiro-ministro do Japão reuniu-se em Lima com o presidente do Peru, à margem da "
     "cúpula da APEC.", "meeting"),
    ("The minister met his counterpart during the latter's visit to Japan.", "meeting"),
    # a donation or a sum granted is financing
    ("Japón donó a Haití equipos médicos para sus hospitales.", "financing"),
    ("Japón concederá a Honduras 500 millones de yenes para un proyecto de agua.", "financing"),
    ("Japão vai doar US$ 5 milhões para ajudar o Haiti.", "financing"),
    # a law that approves an agreement brings it into force
    ("Aprueban Convenio entre Colombia y Japón para evitar la doble tributación.",
     "agreement_in_force"),
    # talks after a G20 summit are a meeting, even with a state visit announced
    ("Lula e o primeiro-ministro se encontraram após a cúpula do G20. Lula fará uma visita de "
     "Estado ao Japão.", "meeting"),
    # a Japanese leader named without his title, met in a capital of the region
    ("A relação é importante, disse Kishida após um encontro em Assunção com o presidente.",
     "visit"),
    # a bilateral summit held in Tokyo is a visit
    ("Panamá y Japón celebraron una cumbre en la ciudad de Tokio con el primer ministro.",
     "visit"),
    ("La Plenaria Empresarial reunió a líderes empresariales de México y Japón.", "forum"),
    ("El mandatario arribó a Uruguay desde Japón con su comitiva.", "visit"),
    # a signing ceremony is a signing, not a ceremony
    ("A cerimônia de assinatura do termo de irmandade ocorreu no Paço.", "agreement_signed"),
    # the opening (past a line that only dates the text) tells of a signing; the talks the
    # rest of the text counts more often are not the news
    ("Chile y Japón estrechan lazos\n3 de mayo de 2024\nLos gobiernos dieron un paso con la "
     "firma de un memorando de cooperación.\nMás tarde los ministros se reunieron en un "
     "encuentro y dialogaron. El encuentro fue cordial.", "agreement_signed"),
    # what is signed is a loan, stated with its amount; not a loan an agreement led to
    ("El canje de notas fue firmado ayer en Asunción. El proyecto será financiado con un "
     "préstamo de Japón por 200 millones de dólares.", "financing"),
    ("Argentina y Japón firmaron un acuerdo de inversiones que abrió paso a un crédito por 60 "
     "millones de dólares. El acuerdo fue firmado por ambos cancilleres.", "agreement_signed"),
    ("Artículo único: Promúlgase el Convenio entre Chile y Japón.", "agreement_in_force"),
    # a delegation received is a visit; an ambassador received is a meeting
    ("O governador recebeu nesta terça-feira uma comitiva de deputados japoneses.", "visit"),
    ("El alcalde recibió al embajador de Japón en su despacho.", "meeting"),
    ("El canciller recibió en la cancillería a su par de Japón.", "visit"),
    # an arrival ceremony is a visit; a donation in kind is financing; a political dialogue
    # held by video is a meeting
    ("A cerimônia de chegada do primeiro-ministro será no Planalto.", "visit"),
    ("Un donativo de Japón llegó a las familias afectadas por el huracán.", "financing"),
    ("Se celebró el Diálogo Político entre Japón y Paraguay por videoconferencia.", "meeting"),
    # talks on a trip the opening names as their setting, or under a dateline in Japan, were
    # held abroad: a visit; not talks that follow up an earlier visit
    ("En el marco de su gira por la región, el viceministro japonés se reunió con el "
     "presidente.", "visit"),
    ("Como parte del seguimiento a la visita oficial del presidente, los cancilleres se "
     "reunieron.", "meeting"),
    ("Japón y Venezuela estrechan lazos\n(TOKIO) El primer ministro y el presidente "
     "venezolano decidieron ampliar la cooperación. Luego se reunieron con empresarios.",
     "visit"),
    ("El viceministro llegó hoy a Nicaragua con una delegación.", "visit"),
    # ... but not when an ambassador is named: a resident envoy's call
    ("Japón destaca la cooperación con Cuba\nTokio, 25 de enero.- El ministro de Salud de Japón "
     "se reunió ayer con el embajador cubano.", "meeting"),
    ("DECRETO Promulgatorio del Acuerdo entre México y Japón, firmado en 2011.",
     "agreement_in_force"),
    ("O Plenário da Câmara aprovou o tratado firmado entre Brasil e Japão.",
     "agreement_in_force"),
    ("Brasil e Japão assinam acordo de R$ 1 bi para investimentos.", "financing"),
    ("石破総理は、来日しているペルーの大統領と会談しました。", "visit"),
])
def test_event_type_rules(text: str, want: str | None) -> None:
    from kakehashi.text.extract import classify_event

    assert classify_event(text)[0] == want


def test_the_opening_goes_past_a_line_that_only_dates_the_text() -> None:
    from kakehashi.text.extract import opening_end

    text = "Japón dona equipos\n8 de octubre de 2025\nEl embajador entregó los equipos. Luego."
    assert text[:opening_end(text, 18)].endswith("entregó los equipos. ")


def test_lead_is_the_title_or_the_first_sentence() -> None:
    from kakehashi.text.extract import lead_end

    assert lead_end("Japón y Perú firman un acuerdo\nBody. More.") == 30
    # a dateline or a section's name is not the lead: the line after it is
    text = "Tegucigalpa, Honduras.\n\nLa princesa hizo una visita. Luego firmó."
    assert text[:lead_end(text)].endswith("La princesa hizo una visita. ")
    assert lead_end("日本とペルー\n本文。") == 6
    text = "Sr. Patriota fará uma visita ao Japão. Além do encontro com o ministro."
    assert text[:lead_end(text)] == "Sr. Patriota fará uma visita ao Japão. "


@pytest.mark.parametrize("text, absent, present", [
    # an institution's name does not make its words a theme
    ("La ministra de Comercio, Industria y Turismo asistió a la cena.", "trade", None),
    ("O Banco Japonês para a Cooperação Internacional (JBIC) assinou.", "oda_cooperation",
     None),
    # "importancia" is not "importa"; food and human security are not security
    ("Destacó la importancia de la relación.", "trade", None),
    ("La inseguridad alimentaria afecta a las comunidades.", "diplomacy_security",
     "food_agriculture"),
    # a grant to a community project is development cooperation
    ("La Embajada firmó un contrato de donación para un proyecto comunitario.", None,
     "oda_cooperation"),
    ("Celebran 130 años de relaciones diplomáticas entre Japón y Perú.", None,
     "diplomacy_security"),
    # road safety and legal certainty are not security; partners named strategic are
    ("Obras para garantizar la seguridad vial y la seguridad jurídica.", "diplomacy_security",
     None),
    ("Ambos países son socios estratégicos.", None, "diplomacy_security"),
    # singular "ambiental", plural "mudanças climáticas"; roads and sanitation; a
    # reimbursable cooperation is a loan
    ("Cooperación en materia ambiental.", None, "environment_climate"),
    ("O debate sobre as mudanças climáticas.", None, "environment_climate"),
    ("Proyectos de saneamiento básico y carreteras.", None, "infrastructure"),
    ("La cooperación reembolsable para el Corredor.", None, "finance_lending"),
    # an alliance named strategic, peacekeeping and demining are diplomacy and security;
    # development cooperation and humanitarian aid are ODA
    ("Una alianza estratégica entre Argentina y Japón.", None, "diplomacy_security"),
    ("El proyecto de desminado en Colombia.", None, "diplomacy_security"),
    ("Japón es socio en cooperación para el desarrollo.", None, "oda_cooperation"),
    ("Japão envia ajuda humanitária ao Haiti.", None, "oda_cooperation"),
])
def test_theme_rules(text: str, absent: str | None, present: str | None) -> None:
    from kakehashi.text.extract import find_themes

    themes = find_themes(text)[0]
    assert absent is None or absent not in themes
    assert present is None or present in themes


@pytest.mark.parametrize("text, want", [
    ("La Fundación Mario Santo Domingo recibió USD 228.563.", []),
    ("O Ministro Almir Lima Nascimento falou em Brasília.", ["BRA"]),
    ("O Consulado-Geral do Japão em Manaus assinou o contrato.", ["BRA"]),
    ("La embajada en Santo Domingo y la de Lima.", ["DOM", "PER"]),
])
def test_places_in_names_are_not_countries(text: str, want: list[str]) -> None:
    from kakehashi.text.extract import extract

    assert extract(text).countries == want



def test_docs_give_the_number_of_unshipped_labels() -> None:
    """docs/text.md states how many unseen texts were labelled; it must match the file."""
    docs = (Path(__file__).resolve().parents[1] / "docs" / "text.md").read_text(encoding="utf-8")
    stated = re.search(r"labelled_unshipped\.jsonl`: (\d+) \((\d+) \+ (\d+)\)", docs)
    assert stated, "docs/text.md no longer states the count of labelled_unshipped.jsonl"
    total, es, pt = (int(v) for v in stated.groups())
    assert (es, pt) == (UNSHIPPED_PER_LANGUAGE["es"], UNSHIPPED_PER_LANGUAGE["pt"])
    assert total == len(quality.load(UNSHIPPED)) == es + pt
