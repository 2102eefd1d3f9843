"""The Chinese, Japanese and Korean test articles written into ZIM archives with libzim's
Creator and read in place: termpedia's hits equal libzim's own search's hits for the same
words (at the article level), and termpedia also names the section."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from conftest import FIXTURES, cli_env, run_cli

from termpedia.content.display import section_display
from termpedia.content.library import load_article
from tests.bench.zimsynth import ZimPage, article_html, write_zim

CJK = FIXTURES / "cjk"
LANGUAGES = {"zh": "zho", "ja": "jpn", "ko": "kor"}
WORDS = {
    "zh": ["首都", "政治", "建城史", "经济", "中心", "外滩", "小笼包", "长城", "京", "黄浦江"],
    "ja": ["経済", "日本", "首都", "中心地", "金閣寺", "山手線", "噴火", "京", "寺院"],
    "ko": ["서울", "수도", "항구", "한글", "세종대왕", "지하철", "음식"],
}


def as_page(path: Path) -> ZimPage:
    """The article as mwoffliner would write it: sections, and See also as a list of links."""
    article = load_article(path)
    sections = [
        (section.heading, html.escape(section_display(section).text))
        for section, trail in article.outline()
        if trail and section.heading != "See also"
    ]
    if article.see_also:
        items = "".join(
            f"<li><a href='{html.escape(link.target)}'>{html.escape(link.target)}</a></li>"
            for link in article.see_also
        )
        sections.append(("See also", f"</p><ul>{items}</ul><p>"))
    lead = html.escape(section_display(article.lead).text)
    return ZimPage(
        article.title.replace(" ", "_"), article.title, article_html(article.title, sections, lead)
    )


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_termpedia_finds_what_libzim_finds_and_names_the_section(
    tmp_path: Path, language: str
) -> None:
    pages = [as_page(path) for path in sorted((CJK / language).glob("*.txt"))]
    zim = write_zim(
        tmp_path / f"{language}.zim", pages, main=pages[0].path, language=LANGUAGES[language]
    )
    env = cli_env(tmp_path / "home")
    assert run_cli(env, "import", "zim", str(zim)).code == 0
    listed = run_cli(env, "library", "list", "--json").json()
    assert listed[0]["language"] == language  # type: ignore[index]
    built = run_cli(env, "index")
    assert built.code == 0, built.err
    from libzim.reader import Archive
    from libzim.search import Query, Searcher

    archive = Archive(str(zim))
    for word in WORDS[language]:
        search = Searcher(archive).search(Query().set_query(word))
        theirs = {archive.get_entry_by_path(p).title for p in search.getResults(0, 50)}
        run = run_cli(env, "search", f"{word} library:{language}", "--json", "--limit", "50")
        assert run.code in (0, 1), run.err
        hits = run.json() if run.code == 0 else []
        assert isinstance(hits, list)
        ours = {hit["title"] for hit in hits}
        assert ours == theirs, word
        for hit in hits:
            assert hit["section"] or hit["anchor"] == "", hit
