"""Search in scripts written without spaces: Chinese, Japanese and Korean libraries of a few
articles each (tests/fixtures/cjk, written for these tests). A word of one, two or more
characters finds exactly the articles whose text holds it, in the sections that hold it; the
same texts in a ZIM archive give the hits libzim's own search gives, with their sections."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES

from termpedia.content.display import section_display
from termpedia.content.library import Shelf, load_article
from termpedia.index.build import update
from termpedia.index.scripts import SEPARATORS, WORD
from termpedia.index.search import Index
from termpedia.index.syntax import prepare

CJK = FIXTURES / "cjk"
QUERIES = {
    "zh": [
        "首都", "政治", "建城史", "经济", "中心", "地铁", "外滩", "小笼包", "城墙", "长城",
        "京", "中华人民", "黄浦江", "明朝", "北方游牧",
    ],
    "ja": [
        "経済", "日本", "首都", "中心地", "金閣寺", "祇園祭", "山手線", "噴火", "富士山",
        "京", "寺院", "明治維新",
    ],
    "ko": ["서울", "수도", "항구", "한글", "세종대왕", "지하철", "음식", "자음", "한강"],
}  # fmt: skip


@pytest.fixture(scope="module")
def cjk_index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    root = tmp_path_factory.mktemp("cjk") / "index"
    shelves = [Shelf(language, CJK / language, language=language) for language in QUERIES]
    report = update(root, shelves)
    assert report.problems == []
    return Index(root, archives=[])


def holding(word: str, language: str) -> set[tuple[str, str]]:
    """(title, heading path) of every section whose searchable text holds `word`: its text,
    its heading path and its article's title (and, for the lead, the infobox values)."""
    found = set()
    for path in sorted((CJK / language).glob("*.txt")):
        article = load_article(path)
        infobox = " ".join(value for _, value in article.infobox)
        for number, (section, trail) in enumerate(article.outline()):
            text = f"{section_display(section).text} {' '.join(trail)} {article.title}"
            if number == 0:
                text += infobox
            if word in text:
                found.add((article.title, " > ".join(trail)))
    return found


@pytest.mark.parametrize(
    ("language", "word"), [(lang, word) for lang, words in QUERIES.items() for word in words]
)
def test_a_word_finds_exactly_the_sections_that_hold_it(
    cjk_index: Index, language: str, word: str
) -> None:
    wanted = holding(word, language)
    assert wanted, f"the fixture holds no {word!r}"
    hits = cjk_index.search(word, limit=100, library=language).hits
    assert {(hit.title, hit.section) for hit in hits} == wanted


def test_a_phrase_of_four_characters_finds_only_the_article_holding_it(cjk_index: Index) -> None:
    hits = cjk_index.search("三千多年").hits
    assert [(hit.title, hit.section) for hit in hits] == [("北京", "历史")]
    assert cjk_index.search("三千多月").hits == ()
    assert prepare("三千多年").text == '"三千多年"~1'


def test_the_matched_characters_are_highlighted(cjk_index: Index) -> None:
    hit = next(h for h in cjk_index.search("建城史").hits if h.section == "历史")
    marked = "".join(hit.snippet.text[a:b] for a, b in hit.snippet.spans)
    assert "建城" in marked and "城史" in marked
    found = cjk_index.matches_in("首都", "北京是中华人民共和国的首都。", "zh")
    assert found and all("北京是中华人民共和国的首都。"[a:b] in "首都" for a, b in found)


def test_one_character_is_found_and_marked_alone_wherever_it_stands(cjk_index: Index) -> None:
    # The index holds a character inside a run only in the bigram it starts (index/scripts.py):
    # a query of one character asks for its prefix, and marks that character alone.
    assert prepare("京").text == "京*"
    assert prepare('"京"').text == "京*"
    hits = cjk_index.search("京", limit=100, library="zh").hits
    assert ("北京", "") in {(hit.title, hit.section) for hit in hits}
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert len({hit.score for hit in hits}) > 1, "ranked, not all scored alike"
    for hit in hits:
        assert hit.snippet is not None
        marked = {hit.snippet.text[a:b] for a, b in hit.snippet.spans}
        assert marked == ({"京"} if "京" in hit.snippet.text else set())
    text = "北京是中华人民共和国的首都，京城。"
    assert [text[a:b] for a, b in cjk_index.matches_in("京", text, "zh")] == ["京", "京"]


def test_a_cjk_query_is_never_corrected(cjk_index: Index) -> None:
    result = cjk_index.search("首都首都首都")
    assert result.suggestion is None


def test_exact_cjk_titles_come_first_and_complete(cjk_index: Index) -> None:
    assert cjk_index.search("京都").hits[0].title == "京都"
    assert [e.title for e in cjk_index.complete("富士")] == ["富士山"]
    assert cjk_index.catalog.resolve("서울").entry is not None


def test_full_width_latin_is_folded(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.txt").write_text("= Ｗｉｋｉ =\n\nＷｉｋｉ是一个网站。\n", "utf-8")
    update(tmp_path / "index", [Shelf("mixed", folder, language="zh")])
    index = Index(tmp_path / "index", archives=[])
    assert [hit.title for hit in index.search("wiki").hits] == ["Ｗｉｋｉ"]
    assert [hit.title for hit in index.search("网站").hits] == ["Ｗｉｋｉ"]


def test_a_latin_library_finds_chinese_names_it_quotes(tmp_path: Path) -> None:
    folder = tmp_path / "en"
    folder.mkdir()
    (folder / "a.txt").write_text("= Mao =\n\nThe leader 毛泽东 was born in 韶山.\n", "utf-8")
    update(tmp_path / "index", [Shelf("en", folder)])
    index = Index(tmp_path / "index", archives=[])
    assert [hit.title for hit in index.search("泽东").hits] == ["Mao"]
    assert [hit.title for hit in index.search("毛泽东").hits] == ["Mao"]
    assert index.search("东韶").hits == ()


def test_thai_is_searched_by_the_same_bigrams(tmp_path: Path) -> None:
    """Thai has no word segmenter here: its runs are bigrams too, so any run of a text is
    found in the articles that hold it, and only there."""
    folder = tmp_path / "th"
    folder.mkdir()
    (folder / "a.txt").write_text("= ภาษาไทย =\n\nภาษาไทยเป็นภาษาราชการของประเทศไทย\n", "utf-8")
    (folder / "b.txt").write_text("= กรุงเทพ =\n\nกรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย\n", "utf-8")
    update(tmp_path / "index", [Shelf("th", folder, language="th")])
    index = Index(tmp_path / "index", archives=[])

    def titles(query: str) -> set[str]:
        return {hit.title for hit in index.search(query, library="th").hits}

    assert titles("ประเทศ") == {"ภาษาไทย", "กรุงเทพ"}
    assert titles("ราชการ") == {"ภาษาไทย"}
    assert titles("เมืองหลวง") == {"กรุงเทพ"}
    assert titles("หลวงราชการ") == set()


def test_the_punctuation_of_these_scripts_separates_words() -> None:
    """`。，、「」` and the rest are never part of a run: a run stops at them."""
    for mark in SEPARATORS:
        assert not WORD.search(mark), f"{mark!r} (U+{ord(mark):04X}) is read as a word"
    assert WORD.findall("ジョン・スミス「東京」") == ["ジョン", "スミス", "東京"]


def test_as_you_type_the_full_text_takes_a_runs_bigrams_and_enter_its_phrase(
    cjk_index: Index,
) -> None:
    """While typing, a run of three or more characters is looked for in titles and headings as
    its phrase and in the full text as its bigrams in any order (checking the phrase over
    long postings of common bigrams cost up to 75 ms a key); Enter checks the phrase."""
    from termpedia.index import plan

    typing = plan.instant("三千多年", cjk_index.fields, cjk_index.vocabulary)
    assert [attempt.text for attempt in typing.attempts] == ['"三千多年"~1', "三千 千多 多年"]
    assert ("北京", "历史") in {
        (hit.title, hit.section) for hit in cjk_index.instant("三千多年").hits
    }
    assert [(hit.title, hit.section) for hit in cjk_index.search("三千多年").hits] == [
        ("北京", "历史")
    ]


@pytest.mark.parametrize("character", ["京", "都", "中", "서"])
def test_a_characters_postings_are_read_alike_from_the_files_and_through_whoosh(
    cjk_index: Index, character: str
) -> None:
    """The one ordered walk of the term dictionary (w3) gives what looking up each word the
    character starts does (the plain reader, through Whoosh's API)."""
    from termpedia.index.plain import PlainPostings
    from termpedia.index.schema import body_field
    from termpedia.index.w3.postings import W3Postings

    searcher = cjk_index._searcher
    for language in ("zh", "ja", "ko"):
        field = body_field(language)
        fast = W3Postings(searcher).read_prefix(field, character)
        slow = PlainPostings(searcher).read_prefix(field, character)
        pairs = sorted(zip(fast.ids.tolist(), fast.weights.tolist(), strict=True))
        assert pairs == sorted(zip(slow.ids.tolist(), slow.weights.tolist(), strict=True))
    assert len(W3Postings(searcher).read_prefix(body_field("zh"), "京").ids) >= 4
