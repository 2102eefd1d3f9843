"""A deterministic synthetic library for scale benchmarks (not part of the test run).

Usage: .venv/bin/python tests/bench/synth.py OUT_DIR --sections 100000 [--seed 1]

Word statistics come from the shared Wikipedia sample when it is there (word frequencies of
its wikitext, so the Zipf curve is real), else from the bundled articles. Articles have 3 to
25 sections of 40 to 400 words, an infobox, inline links to other synthetic titles and a See
also list, so the index, the links and the reader see realistic shapes.
"""

from __future__ import annotations

import argparse
import bz2
import collections
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT.parent / "shared" / "corpora" / "enwiki-sample.xml.bz2"


def vocabulary(limit: int = 30000) -> tuple[list[str], list[int]]:
    """Words and their counts, most frequent first."""
    if SAMPLE.exists():
        text = bz2.decompress(SAMPLE.read_bytes()).decode("utf-8", "replace")
    else:
        text = " ".join(
            p.read_text("utf-8") for p in (ROOT / "content" / "data" / "articles").glob("*.txt")
        )
    counts = collections.Counter(w.lower() for w in re.findall(r"[A-Za-z][a-z]{1,14}", text))
    common = counts.most_common(limit)
    return [w for w, _ in common], [c for _, c in common]


def generate(out: Path, sections: int, seed: int = 1) -> tuple[int, int]:
    """Write articles until `sections` sections exist; returns (articles, sections)."""
    rng = random.Random(seed)
    words, weights = vocabulary()
    cumulative = list(_accumulate(weights))
    out.mkdir(parents=True, exist_ok=True)

    def text(n: int) -> str:
        chosen = rng.choices(words, cum_weights=cumulative, k=n)
        sentences, start = [], 0
        while start < n:
            length = rng.randint(8, 24)
            sentence = " ".join(chosen[start : start + length])
            sentences.append(sentence[:1].upper() + sentence[1:] + ".")
            start += length
        return " ".join(sentences)

    titles: list[str] = []
    total_sections = 0
    number = 0
    while total_sections < sections:
        number += 1
        title = " ".join(w.capitalize() for w in rng.choices(words[:5000], k=rng.randint(1, 4)))
        title = f"{title} {number}"
        titles.append(title)
        count = rng.randint(3, 25)
        parts = [f"= {title} =\n\n{title}\n"]
        for key in rng.sample(["Type", "Region", "Founded", "Author", "Field", "Known for"], 3):
            parts.append(f"- {key}: {text(rng.randint(1, 4)).rstrip('.')}\n")
        parts.append("\n" + text(rng.randint(40, 160)) + "\n")
        for index in range(1, count):
            level = 2 if index == 1 or rng.random() < 0.7 else 3
            heading = " ".join(rng.choices(words[:3000], k=rng.randint(1, 3))).capitalize()
            body = text(rng.randint(40, 400))
            if len(titles) > 1 and rng.random() < 0.5:
                target = rng.choice(titles[:-1])
                body += f" See [[{target}]] for more."
            parts.append(f"\n{'=' * level}{heading}{'=' * level}\n{body}\n")
        if len(titles) > 3:
            parts.append("\n==See also==\n")
            parts.extend(f"- {t}\n" for t in rng.sample(titles[:-1], 2))
        shard = out / f"{number % 100:02d}"
        shard.mkdir(exist_ok=True)
        (shard / f"article-{number:06d}.txt").write_text("".join(parts), encoding="utf-8")
        total_sections += count + (1 if len(titles) > 3 else 0)
    return number, total_sections


def _accumulate(values: list[int]) -> list[int]:
    total, out = 0, []
    for value in values:
        total += value
        out.append(total)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--sections", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    articles, sections = generate(args.out, args.sections, args.seed)
    print(f"wrote {articles} articles, {sections} sections to {args.out}")


if __name__ == "__main__":
    main()
