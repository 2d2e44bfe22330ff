import pytest

from pipeline.extract.language import detect_language, hint_code


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        ("Los transportistas bloquearon la carretera entre Oruro y La Paz por la escasez de diésel.", None, "es"),
        ("Os professores da rede estadual decidiram entrar em greve por tempo indeterminado.", None, "pt"),
        ("Thousands of students marched through central Santiago on Thursday.", None, "en"),
        ("Manifestasyon nan Pòtoprens: moun yo mande gouvènman an demisyone.", "ht", "ht"),
        # A page declared Portuguese that is really Spanish text: the text wins.
        ("Los transportistas bloquearon la carretera entre Oruro y La Paz por la escasez de diésel.", "pt-BR", "es"),
        ("Paro", "es-PE", "es"),  # too short to read: the declaration decides
        ("", None, None),
    ],
)
def test_detect_language(text, hint, expected) -> None:
    assert detect_language(text, hint) == expected


def test_hint_codes() -> None:
    assert [hint_code(h) for h in ("pt-BR", "es_PE", "EN", "", None, "spanish")] == ["pt", "es", "en", None, None, None]
