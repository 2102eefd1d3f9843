"""The drop list: MediaWiki templates that are not article text, each with its reason.

A name (lower-case, `_` as a space) is dropped when it is listed below, or matches one of the
patterns; a name with a rendering rule (templates.py) is never dropped by a pattern.

- citation or reference: citations (`cite …`, `citation`, `vcite …`), short footnotes and
  their page numbers (`sfn`, `harvnb`, `rp`), notes (`refn`, `efn`), reference lists,
  identifiers (`ISBN`, `OCLC`, `doi`), archive links, links to other encyclopedias;
- maintenance: `citation needed` and the other inline tags (`… needed`, `… inline`),
  banners (`refimprove`, `multiple issues`), page switches (`use dmy dates`, `pp-…`);
- navigation: hatnotes (`main`, `see also`, `further`, `about`, `redirect…`), navboxes,
  sidebars, portals, sister projects, authority control, succession boxes, anchors, and
  templates standing alone after the last text of a page (wikitext.py: where navboxes go);
- layout: `clear`, column starts and ends, parser functions with no text of their own;
- picture: `flagicon`, `multiple image`, maps, language icons, audio.
"""

from __future__ import annotations

CITATION = "citation or reference"
MAINTENANCE = "maintenance"
NAVIGATION = "navigation"
LAYOUT = "layout"
PICTURE = "picture"

_LISTED = {
    CITATION: """
        citation, sfn, sfnp, sfnm, harvnb, harv, harvp, harvtxt, harvcoltxt, harvard citation,
        harvard citation no brackets, harvard citation text, harvid, rp, r, ref, refn, efn,
        efn-ua, efn-lr, efn-ur, notelist, notelist-ua, notelist-lr, reflist, refbegin, refend,
        references, #tag:ref, note label, ref label, cref, wayback, webarchive, dead link,
        isbn, issn, oclc, doi, jstor, lccn, pmid, pmc, arxiv, bibcode, asin, google books,
        books-inline, sep, sep entry, iep, inpho, philpapers, in our time, cia world factbook,
        cia world factbook link, wikisource1911enc, catholic encyclopedia, jewish encyclopedia,
        eb1911, eb1911 poster, dnb, ol author, imdb name, imdb title, imdb event, nyttopic,
        youtube, dmoz, curlie, official website, librivox author, librivox book,
        gutenberg author, gutenberg australia, internet archive author,
        internet archive short film, find a grave, c-span, britannica, mathworld, planetmath,
        scholia, library resources box, cite, vcite book, vcite journal, vcite web,
        vcite news, inconsistent citations, osmrelation-inline, page needed, pages needed,
        cite check, better source, unreliable source?, unreliable source, failed verification,
        verify source, worldcat id, govpubs, statedept, include-nasa, pwre, sfdb, cantorion,
        emedicine2, mactutor, mathgenealogy, nlab, springer, eol, imslp, goodreads author,
        itf profile, daviscup player, tennishof, wikicite, iucn, msw3 tubulidentata,
        msw3 carnivora, inflation-fn
    """,
    MAINTENANCE: """
        citation needed, cn, fact, clarify, when, which, who, whom, where, according to whom,
        by whom, vague, dubious, disputed inline, specify, or, original research inline,
        weasel inline, weasel-inline, peacock inline, update inline, relevance inline,
        year needed, multiple issues, refimprove, refimprove section, more citations needed,
        more footnotes, no footnotes, unreferenced, unreferenced section, expand section,
        expand, cleanup, pov, update, update after, good article, featured article,
        featured list, italic title, displaytitle, lowercase title, short description, bots,
        engvarb, toc limit, copyedit, globalize, confusing, essay-like, original research,
        npov, coi, advert, wikify, orphan, stub, disputed, citation style, example needed,
        quantify, elucidate, mergefrom, merge from, merge to, interwiki conflict,
        technical reasons, prone to spam, undue weight section, further cleanup, lead rewrite,
        qualify evidence, contains special characters
    """,
    NAVIGATION: """
        main, main article, see also, further, further information, details, details3, about,
        for, other uses, other uses of, hatnote, selfref, self reference, broader,
        other people, other places, dablink, also, portal, portal bar, portal-inline,
        navboxes, authority control, taxonbar, commons, commons category, commons cat,
        commonscat, commonscat-inline, commons and category, wiktionary, wikiquote,
        wikisource, wikisourcelang, wikibooks, wikispecies, wikinews, wikiversity,
        wikivoyage, wikimedia, sister project links, sisterlinks, wikipedia books, wikiatlas,
        wikisource-inline, wikisource author, anchor, anchors, toc, toc right, toc left,
        compact toc, succession box, start box, end box, lookfrom, intitle, main category,
        geographic location, book bar, related articles, persondata, coord missing,
        metaphysics, philosophy of science, ethics, philosophy of language,
        social and political philosophy, countries of europe, united states political divisions,
        academy awards, africa in topic, lincolnseries, andre agassi start boxes,
        external media, research help, wikilivres
    """,
    LAYOUT: """
        clear, clear left, clear right, clr, -, br, break, div col end, div col begin,
        col-begin, col-end, col-break, colbegin, colend, multicol-break, multicol-end,
        end div col, columns-start, column, columns-end, top, bottom, stack, stack begin,
        stack end, center bottom, center top, pagebreak, nobots, ipa notice, ipa audio link,
        pronunciation audio, audio, listen, spoken wikipedia, spoken wikipedia-2,
        defaultsort:, displaytitle:, #if:, #ifeq:, #switch:, #invoke:, #expr:, lc:, uc:,
        ucfirst:, lcfirst:, padleft:, chart/start, chart/end, chart top, chart bottom,
        algorithm-begin, algorithm-end
    """,
    PICTURE: """
        flagicon, flag icon, flagicon image, flagdeco, multiple image, multiple images,
        double image, wide image, css image crop, image frame, location map, location map many,
        location map+, superimpose, image array, photomontage, panorama, commons-inline,
        imagestack, annotated image
    """,
}
DROPPED: dict[str, str] = {
    name.strip(): reason
    for reason, names in _LISTED.items()
    for name in names.replace("\n", ",").split(",")
    if name.strip()
}
PREFIXES = (("cite ", CITATION), ("pp-", MAINTENANCE), ("use ", MAINTENANCE),
            ("navbox", NAVIGATION), ("s-", NAVIGATION), ("col-", LAYOUT),
            ("wikiproject", MAINTENANCE), ("campaignbox", NAVIGATION), ("redirect", NAVIGATION),
            ("distinguish", NAVIGATION), ("contains ", MAINTENANCE),
            ("portal:", NAVIGATION))  # fmt: skip
SUFFIXES = ((" needed", MAINTENANCE), (" inline", MAINTENANCE), ("-stub", MAINTENANCE),
            (" stub", MAINTENANCE), (" sidebar", NAVIGATION), (" navbox", NAVIGATION),
            (" topics", NAVIGATION), (" topic", NAVIGATION), (" footer", NAVIGATION),
            (" icon", PICTURE), (" portal", NAVIGATION), (" series", NAVIGATION))  # fmt: skip


def listed(name: str) -> str:
    """The reason the list gives for dropping a template, or ""."""
    reason = DROPPED.get(name)
    if reason is not None:
        return reason
    for prefix, why in PREFIXES:
        if name.startswith(prefix):
            return why
    for suffix, why in SUFFIXES:
        if name.endswith(suffix):
            return why
    return ""
