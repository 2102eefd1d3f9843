"""The Whoosh documents of an article: one per section, the lead first."""

from __future__ import annotations

from collections.abc import Iterator

from termpedia.content.article import Article
from termpedia.content.display import section_display

from .schema import body_field
from .titles import fold, near_key, short_name


def documents(article: Article, library: str, language: str = "en") -> Iterator[dict[str, object]]:
    """One Whoosh document per section of the article (the lead first)."""
    title = article.title
    field = body_field(language)
    names = ",".join(fold(name) for name in (title, *article.aliases))
    near = ",".join(dict.fromkeys(filter(None, map(near_key, (title, *article.aliases)))))
    # The names subpages and prefixed pages go by count as title words, and as titles.
    shorts = [s for s in dict.fromkeys(map(short_name, (title, *article.aliases))) if s]
    short = ",".join(dict.fromkeys(k for s in shorts for k in (fold(s), near_key(s)) if k))
    infobox = "\n".join(value for _, value in article.infobox)
    for position, (section, trail) in enumerate(article.outline()):
        text = section_display(section).text
        # The body field carries every searchable word of the section: its text, the
        # article's title, the heading path and (for the lead) the infobox values, so
        # that queries are matched on it alone (title and heading matches only boost).
        head = f"{title}\n{' '.join(trail)}\n"
        searched = f"{head}{infobox}\n{text}" if position == 0 else f"{head}{text}"
        doc: dict[str, object] = {
            "key": f"{library}/{title}#{section.anchor}",
            "file": article.path,
            "library": library,
            "name": title,
            "anchor": section.anchor,
            "position": position,
            "heading": " > ".join(trail),
            "language": language,
            "text": text,
            field: searched,
            "links": ",".join(fold(link.target) for link in section.links if link.target),
        }
        if position == 0:
            doc["title"] = " ".join((title, *article.aliases, *shorts))
            doc["names"] = names
            doc["near"] = near
            if short:
                doc["short"] = short
        yield doc
