"""The learned relevance model (pipeline.judge): what it calls protest, what not, and that form never matters."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from pipeline.judge.classify import classify_protest
from pipeline.judge.relevance import article_features, judge, load_model
from pipeline.judge.text import words
from protestwire.cli import main
from storage.db import session_scope
from storage.models import Article

# Collective action told without the word "protesta" (the kinds the old lexicon missed).
WITHOUT_THE_WORD = [
    ("es", "Guardavidas queman gomas en la costa",
     "Los guardavidas de los balnearios del sur quemaron neumáticos frente a la bajada de la avenida costanera en "
     "reclamo de mejores condiciones de trabajo. El gremio advirtió que las medidas continuarán."),
    ("es", "Choferes inician una retención de servicios",
     "Los choferes de la empresa de colectivos decidieron iniciar una retención de servicios por el atraso en el "
     "pago de los salarios. La UTA dijo que la medida seguirá hasta que se deposite lo adeudado."),
    ("es", "Fomentistas exigen ser recibidos por el intendente",
     "Más de cien fomentistas se encuentran en el hall del palacio municipal exigiendo ser recibidos por el "
     "intendente. Reclaman obras de cloacas y asfalto prometidas hace dos años para sus barrios."),
    ("es", "Vecinos de Los Tilos reclaman urgentes soluciones",
     "Los vecinos del barrio Los Tilos reclaman urgentes soluciones por los desbordes cloacales. La sociedad de "
     "fomento juntó firmas y anunció que llevará el reclamo al Concejo Deliberante si no hay respuesta."),
    ("pt", "Rodoviários cruzam os braços e cidade fica sem ônibus",
     "Os rodoviários cruzaram os braços nesta segunda-feira e nenhum ônibus saiu das garagens. O sindicato da "
     "categoria cobra o reajuste salarial prometido pelas empresas."),
]
HARD_NEGATIVES = [
    ("es", "Denuncian el robo de una moto en el centro",
     "Un vecino denunció ante la comisaría primera que le robaron la moto que había dejado estacionada frente a su "
     "casa. La policía investiga y revisa las cámaras de seguridad de la zona."),
    ("es", "El Concejo aprobó el presupuesto municipal",
     "En la sesión ordinaria del jueves, el Concejo Deliberante aprobó por mayoría el presupuesto para el próximo "
     "año. El oficialismo destacó el aumento de la inversión en obras públicas."),
    ("es", "Firmaron la paritaria de comercio: 12% en tres tramos",
     "El sindicato de empleados de comercio y las cámaras empresarias firmaron el acuerdo salarial, que prevé un "
     "aumento del 12% en tres tramos y una suma fija en diciembre."),
    ("es", "El técnico protestó el penal y fue expulsado",
     "El entrenador protestó airadamente contra el árbitro por el penal del minuto 90 y fue expulsado. El partido "
     "terminó 2 a 1 y el equipo quedó tercero en el torneo."),
    ("en", "Copper prices rally on strong Chinese demand",
     "Copper prices rallied for a third day as Chinese demand rose, traders said. Chile's state miner expects record "
     "output this year."),
]


@pytest.mark.parametrize(("language", "title", "text"), WITHOUT_THE_WORD, ids=[t for _, t, _ in WITHOUT_THE_WORD])
def test_collective_action_without_the_word_protest_is_relevant(language: str, title: str, text: str) -> None:
    assert "protest" not in " ".join(words(title + " " + text))
    result = classify_protest(title, text, language)
    assert result.protest, result


@pytest.mark.parametrize(("language", "title", "text"), HARD_NEGATIVES, ids=[t for _, t, _ in HARD_NEGATIVES])
def test_hard_negatives_are_not_relevant(language: str, title: str, text: str) -> None:
    result = classify_protest(title, text, language)
    assert not result.protest, result
    assert result.protest_types == []


ARCHIVE_FORMS = {
    "no punctuation": lambda t, x: (t.replace(",", "").replace(".", ""), x.replace(",", "").replace(".", "")),
    "all-caps headline": lambda t, x: (t.upper(), x),
    "html leftovers": lambda t, x: (f"<b>{t}</b>", "<p>" + x.replace(". ", ".</p>\n<p>").replace("á", "&aacute;")
                                    + "</p>&nbsp;"),
}


@pytest.mark.parametrize("form", sorted(ARCHIVE_FORMS))
@pytest.mark.parametrize(("language", "title", "text"), WITHOUT_THE_WORD[:3] + HARD_NEGATIVES[:2])
def test_how_an_archive_delivers_the_text_does_not_change_the_answer(
    form: str, language: str, title: str, text: str
) -> None:
    changed_title, changed_text = ARCHIVE_FORMS[form](title, text)
    assert (changed_title, changed_text) != (title, text)
    assert judge(changed_title, changed_text, language) == judge(title, text, language)


def test_the_probability_is_calibrated_per_language() -> None:
    model = load_model()
    assert {"es", "*"} <= set(model.calibration)
    for language in ("es", "pt", "en", "fr"):
        slope, _ = model.calibration.get(language) or model.calibration["*"]
        assert slope > 0  # a higher raw score is always more likely protest
        probabilities = [model.probability(z, language) for z in (-8.0, -2.0, 0.0, 2.0, 8.0)]
        assert probabilities == sorted(probabilities) and 0.0 <= probabilities[0] < 0.1 and probabilities[-1] > 0.9
    assert model.version.startswith("relevance-")


def test_signals_name_the_features_that_moved_the_score() -> None:
    result = classify_protest("Greve geral paralisa o transporte em Recife", "Os rodoviários cruzaram os braços.")
    assert result.protest
    assert any(s.split(":")[0] in ("title", "cue title") and "greve" in s for s in result.signals), result.signals
    for signal in result.signals:
        name, _, weight = signal.rpartition(" (")
        assert name and math.isfinite(float(weight.rstrip(")")))


def test_language_is_guessed_when_not_given() -> None:
    title, text = WITHOUT_THE_WORD[4][1:]
    assert article_features(title, text).language == "pt"
    assert judge(title, text) == judge(title, text, "pt")


def test_explain_prints_the_verdict_and_its_reasons() -> None:
    record = {"id": 7, "title": "Maestros bloquean la carretera a Oruro",
              "text": "Cientos de maestros rurales bloquean la carretera en reclamo de un aumento salarial."}
    result = CliRunner().invoke(main, ["classify", "--explain"], input=json.dumps(record) + "\n")
    assert result.exit_code == 0, result.output
    first, *reasons = result.output.splitlines()
    assert re.match(r"7: protest \(score [01]\.\d\d; types: blockade", first), first
    assert len(reasons) >= len(classify_protest(record["title"], record["text"]).signals)  # and the places
    # each reason is a signed weight and a readable feature naming the article's own words
    assert any(re.match(r"\s*\+\d\.\d\d  (cue )?(title|lead|body)(: actor)?.*(bloque|maestros|reclam)", line)
               for line in reasons), result.output


def test_readme_example_is_protest() -> None:
    record = {"id": 1, "title": "Maestros bloquean la carretera a Oruro", "text": "..."}
    result = CliRunner().invoke(main, ["classify"], input=json.dumps(record) + "\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["protest"] is True


# --- classify --store: re-judge a store, resumably ---

def _store_articles(engine, count: int) -> None:  # noqa: ANN001
    texts = WITHOUT_THE_WORD + HARD_NEGATIVES
    with session_scope(engine) as session:
        for number in range(count):
            language, title, text = texts[number % len(texts)]
            session.add(Article(url=f"https://example.org/{number}", canonical_url=f"https://example.org/{number}",
                                content_hash=f"{number:064d}", title=title, body=text, language=language,
                                extractor_version="test", protest=False, protest_score=0.0, protest_types=[]))


def _judged(engine) -> dict[int, tuple]:  # noqa: ANN001
    with session_scope(engine, write=False) as session:
        return {a.id: (a.judged_with, a.protest, a.protest_score, tuple(a.protest_types))
                for a in session.scalars(select(Article))}


def test_rejudging_a_store_resumes_after_an_interruption(any_engine) -> None:  # noqa: ANN001
    from protestwire.rejudge import pending_count, rejudge

    _store_articles(any_engine, 7)
    version = load_model().version

    def interrupt(done: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rejudge(any_engine, batch=3, on_done=interrupt)
    assert pending_count(any_engine) == 4  # the first batch was committed
    outcomes = rejudge(any_engine, batch=3)
    assert outcomes["rejudged"] == 4
    judged = _judged(any_engine)
    assert {stamp for stamp, *_ in judged.values()} == {version}
    assert sum(protest for _, protest, _, _ in judged.values()) == 5  # the five told without the word
    assert rejudge(any_engine, batch=3)["rejudged"] == 0  # a finished store has nothing to do
    assert _judged(any_engine) == judged


def test_rejudging_gives_what_classify_gives(any_engine) -> None:  # noqa: ANN001
    from protestwire.rejudge import rejudge

    _store_articles(any_engine, 10)
    with session_scope(any_engine) as session:  # as if judged by an older model
        session.execute(update(Article).values(judged_with="relevance-old"))
    rejudge(any_engine)
    with session_scope(any_engine, write=False) as session:
        for article in session.scalars(select(Article)):
            expected = classify_protest(article.title, article.body, article.language)
            assert (article.protest, article.protest_score, article.protest_signals) == (
                expected.protest, expected.protest_score, expected.signals)


def test_classify_store_command(db_url: str) -> None:
    from storage.db import connect

    engine = connect(db_url)
    _store_articles(engine, 3)
    command = [sys.executable, "-m", "protestwire", "classify", "--store", "--db", db_url]
    first = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "Re-judged 3 article(s)" in first.stdout
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert "already judged by the current model" in again.stdout
    engine.dispose()


def test_newly_stored_articles_carry_the_model_version(db_url: str, tmp_path) -> None:  # noqa: ANN001
    from protestwire.rejudge import pending_count
    from storage.db import connect

    lines = tmp_path / "in.jsonl"
    lines.write_text(json.dumps({"url": "https://example.org/a", "title": WITHOUT_THE_WORD[0][1],
                                 "text": WITHOUT_THE_WORD[0][2], "language": "es"}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(lines), "--db", db_url])
    assert result.exit_code == 0, result.output
    engine = connect(db_url)
    assert pending_count(engine) == 0
    engine.dispose()


# --- reproducible training ---

def test_retraining_on_a_fixed_sample_gives_the_same_model() -> None:
    pytest.importorskip("sklearn")
    from benchmarks.relevance_data import case_items
    from pipeline.judge.relevance import model_from_json
    from pipeline.judge.training import Example, train

    sample = [Example(i.key, i.language, i.title, i.text, i.label) for i in case_items()]
    sample += [Example(f"t{n}", lang, title, text, lang != "en" or n > 2)
               for n, (lang, title, text) in enumerate(WITHOUT_THE_WORD + HARD_NEGATIVES)]
    first, _, _ = train(sample, strengths=(1.0,), log=lambda _: None)
    second, _, _ = train(list(reversed(sample)), strengths=(1.0,), log=lambda _: None)
    assert first == second
    model = model_from_json(first)
    predictions = [judge(t, x, lang, model=model).probability for lang, t, x in HARD_NEGATIVES]
    assert predictions == [judge(t, x, lang, model=model_from_json(second)).probability for lang, t, x in HARD_NEGATIVES]
