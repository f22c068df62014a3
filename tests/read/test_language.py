from storyline.read.language import detect_language, main_language


def test_news_sentences_in_three_languages() -> None:
    english = (
        "The city council voted on Tuesday to rebuild the old bridge over the river, "
        "after engineers warned that its pillars were cracking."
    )
    german = (
        "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke über den Fluss neu zu "
        "bauen, nachdem Ingenieure vor Rissen in den Pfeilern gewarnt hatten."
    )
    italian = (
        "Il consiglio comunale ha deciso martedì di ricostruire il vecchio ponte sul fiume, "
        "dopo che gli ingegneri avevano segnalato crepe nei piloni."
    )
    assert detect_language(english) == "en"
    assert detect_language(german) == "de"
    assert detect_language(italian) == "it"


def test_too_little_text_is_not_guessed() -> None:
    assert detect_language("ECB") is None
    assert detect_language("") is None
    assert detect_language("2024-06-06 12:00 | 3.75%") is None


def test_main_language_is_the_most_common_known_one() -> None:
    assert main_language(["en", None, "it", "en"]) == "en"
    assert main_language([None, None]) is None
