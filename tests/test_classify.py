import pytest

from pipeline.judge.classify import ClassifyOptions, classify_protest

PROTESTS = [
    ("es", "Transportistas bloquean la carretera Oruro-La Paz",
     "Cientos de transportistas mantienen el bloqueo de la carretera por segundo día. Los dirigentes exigen al gobierno "
     "que garantice el abastecimiento de diésel y advirtieron con ampliar los bloqueos a otras rutas."),
    ("es", "Vecinos realizan un cacerolazo en Cochabamba",
     "Los vecinos salieron a las calles con ollas y cacerolas para protestar contra el alza de tarifas."),
    ("pt", "Professores entram em greve em Goiás",
     "Os professores da rede estadual decidiram em assembleia entrar em greve por tempo indeterminado. O sindicato "
     "exige reajuste salarial e a categoria fez uma passeata até a sede do governo."),
    ("en", "Students march through Santiago over university fees",
     "Thousands of students marched through central Santiago on Thursday. Police used water cannon as protesters "
     "demanded free tuition; the students' union said the protest would continue."),
    ("es", "Mineros cumplen una semana en huelga de hambre en Potosí",
     "Un grupo de mineros cooperativistas cumple siete días en huelga de hambre frente a la gobernación."),
]
NOT_PROTESTS = [
    ("es", "El técnico protestó al árbitro tras la derrota",
     "El entrenador protestó airadamente contra el árbitro por el penal en el minuto 90. El partido de fútbol terminó 2-1 "
     "y el club analizará el torneo."),
    ("es", "El BCR mantiene su tasa de interés",
     "El Banco Central de Reserva mantuvo su tasa de referencia en 4,25% ante la buena marcha de la economía."),
    ("es", "Desfile militar por el aniversario patrio",
     "Las Fuerzas Armadas realizaron el tradicional desfile por la avenida principal con la presencia del presidente."),
    ("en", "Chilean wine exports reach a record",
     "Wine exports grew 12 percent this year, led by shipments to China and the United States, the association said."),
    ("pt", "Inflação desacelera em outubro",
     "O índice de preços ao consumidor subiu 0,2% em outubro, segundo o IBGE, abaixo das expectativas do mercado."),
]


@pytest.mark.parametrize(("language", "title", "text"), PROTESTS, ids=[t for _, t, _ in PROTESTS])
def test_protest_coverage_scores_high(language: str, title: str, text: str) -> None:
    result = classify_protest(title, text, language)
    assert result.protest, result
    assert result.protest_score >= 0.5
    assert result.protest_types and "protest" not in result.protest_types or result.protest_types == ["protest"]
    assert any(s.split(":")[0] in ("title", "cue title") for s in result.signals), result.signals


@pytest.mark.parametrize(("language", "title", "text"), NOT_PROTESTS, ids=[t for _, t, _ in NOT_PROTESTS])
def test_non_protest_news_scores_low(language: str, title: str, text: str) -> None:
    result = classify_protest(title, text, language)
    assert not result.protest, result
    assert result.protest_types == []


def test_action_types_are_named() -> None:
    result = classify_protest(*PROTESTS[0][1:])
    assert "blockade" in result.protest_types


def test_threshold_option_changes_the_decision_not_the_score() -> None:
    title, text = "Marcha en Lima", "Una marcha recorrió el centro de Lima."
    score = classify_protest(title, text).protest_score
    loose = classify_protest(title, text, options=ClassifyOptions(threshold=max(score - 0.01, 0.001)))
    strict = classify_protest(title, text, options=ClassifyOptions(threshold=min(score + 0.01, 0.999)))
    assert loose.protest_score == strict.protest_score
    assert loose.protest and not strict.protest


def test_threshold_must_be_a_probability() -> None:
    with pytest.raises(ValueError):
        ClassifyOptions(threshold=1.5)


# --- Written es/pt/en articles (tests/data/classify_cases.jsonl, also the benchmark's "written" set) ---

import json  # noqa: E402
from pathlib import Path  # noqa: E402

from pipeline.judge.geotag import geotag  # noqa: E402

CASES = [json.loads(line) for line in
         (Path(__file__).parent / "data" / "classify_cases.jsonl").read_text(encoding="utf-8").splitlines() if line]


# Known misses of the learned model, kept visible: these cases sit in the frozen evaluation set
# (benchmarks/relevance/eval_ids.txt), so the model never trained on them and they may not be tuned for.
KNOWN_MISSES = {"en-passing": "a protest mentioned in passing in a central-bank story is still scored relevant"}


@pytest.mark.parametrize("case", [
    pytest.param(c, marks=pytest.mark.xfail(reason=KNOWN_MISSES[c["id"]], strict=True)) if c["id"] in KNOWN_MISSES
    else c for c in CASES], ids=[c["id"] for c in CASES])
def test_written_articles(case: dict) -> None:
    result = classify_protest(case["title"], case["text"], case["language"])
    assert result.protest is case["protest"], result
    for kind in case["types"]:
        assert kind in result.protest_types, result
    if case["country"]:
        assert geotag(case["title"], case["text"]).event_country == case["country"]


def test_every_action_type_is_covered_by_a_written_case() -> None:
    from pipeline.judge.classify import ACTION_STEMS

    covered = {kind for case in CASES for kind in case["types"]}
    assert covered >= set(ACTION_STEMS) - {"protest"}


def test_signals_say_why() -> None:
    result = classify_protest("Greve geral paralisa o transporte em Recife", "Os rodoviários cruzaram os braços.")
    assert "strike" in result.protest_types
    assert any(s.split(":")[0] in ("title", "cue title") and "greve" in s for s in result.signals), result.signals


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Earthquake strikes Peru's coast", "A magnitude 6.1 earthquake strikes the coast near Lima."),
        ("Pondrán en marcha el nuevo tren", "El gobierno pondrá en marcha el tren eléctrico en marzo."),
        ("Cartórios: protestos de títulos sobem", "Os protestos de títulos em cartório subiram 5%."),
        ("Toma de posesión del nuevo alcalde", "El alcalde juró en la toma de posesión ante el concejo."),
    ],
)
def test_other_senses_of_action_words_are_not_protests(title: str, text: str) -> None:
    assert not classify_protest(title, text).protest


def test_a_snippet_without_title_is_scored_by_its_first_sentence() -> None:
    result = classify_protest("", "Thousands of teachers went on strike in Caracas. The union demands higher pay.")
    assert result.protest and "strike" in result.protest_types
