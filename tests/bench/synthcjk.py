"""The synthcjk10k tier's library, queries and baseline: Chinese text written without spaces.

Usage: .venv/bin/python -m tests.bench.synthcjk OUT_DIR --sections 10000 [--seed 1]

The library (`generate`) has the shape of synth.py's: articles of 3 to 25 sections of 40 to
400 words, an infobox, inline links to other synthetic titles and a See also list. Its text
is Chinese made here: words of one to three characters (1.7 on average, as in running
Chinese text) from a fixed vocabulary written for this benchmark, most frequent first and
drawn with Zipf weights, set into clauses of a few simple shapes (`N的N在N V N`, `N是ADJ的N`,
…) joined by `，` and ended by `。`; one sentence in fifty holds a year (`1958年`) and one in
forty a Latin acronym (`GDP`), as Chinese Wikipedia's text does. A section of 40 to 400
words is 70 to 700 characters: about as much to read as a synth10k section.

It is installed as an imported library of language `zh` (`library.json`), as `termpedia
import zim` leaves a Chinese archive: the app starts with no arguments, and the library's
text goes to the body field of languages without stemming.

The query lists (`query_lists`) come from the library's own text, as queries.py's do for a
Latin tier: the same sample of about 3,000 sections; *two-character words* are the two-character
words of the vocabulary found in the sample, most frequent first; *phrases* its
four-character substrings seen at least twice; *single characters* its most frequent
characters less the function characters (的, 是, 在, …, as the Latin lists leave stop words
out); titles are typed as their Chinese part. A run of Chinese is typed as an input
method commits it, a character a keystroke.

The baseline (`CjkFts5`) is queries.py's FTS5 table with each character of a run indexed as
a token of its own (FTS5's unicode61 tokenizer would take a whole clause for one token and
find none of these queries), and a run in a query asked for as the phrase of its
characters: the same texts termpedia's bigrams find.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .fts import Fts5
from .queries import TierText

# -- the vocabulary ----------------------------------------------------------------------------
# Written for this benchmark, most frequent first within each kind.

NOUNS = """
城市 国家 人民 政府 历史 文化 经济 社会 地区 世界 时间 问题 工作 学校 学生 老师 公司 市场
技术 科学 研究 发展 系统 方法 情况 关系 中心 部分 人口 土地 山区 河流 平原 海岸 港口 铁路
公路 机场 车站 桥梁 道路 建筑 房屋 宫殿 寺庙 博物馆 图书馆 大学 医院 工厂 农业 工业 商业
旅游 交通 教育 语言 文字 文学 艺术 音乐 电影 戏剧 绘画 诗歌 小说 作品 作家 诗人 画家 歌手
演员 导演 科学家 学者 皇帝 王朝 军队 战争 和平 革命 运动 改革 制度 法律 宪法 议会 选举
政党 总统 首都 省份 县城 乡村 农民 工人 商人 家庭 儿童 青年 老人 妇女 朋友 邻居 客人
气候 天气 季节 春天 夏天 秋天 冬天 雨水 雪山 森林 草原 沙漠 湖泊 岛屿 海洋 动物 植物
花园 水果 粮食 茶叶 大米 小麦 食物 饮食 点心 节日 传统 习俗 宗教 信仰 思想 哲学 理论
数学 物理 化学 生物 医学 地理 天文 电脑 网络 软件 手机 电视 报纸 杂志 新闻 信息 数据
资源 能源 石油 煤炭 钢铁 电力 水电 环境 污染 保护 资金 银行 货币 价格 收入 贸易 出口
进口 企业 产品 服务 质量 标准 规模 数量 面积 高度 长度 速度 方向 北方 南方 东部 西部
中部 边境 附近 周围 内部 外部 上游 下游 年代 世纪 时期 朝代 古代 近代 现代 未来 过去
名称 名字 意义 原因 结果 目的 作用 影响 特点 优势 困难 机会 计划 政策 组织 机构 委员会
协会 团体 成员 代表 领导 专家 人物 英雄 故事 传说 记录 文献 资料 书籍 地图 照片 遗址
城墙 长城 运河 水库 大坝 灯塔 码头 广场 街道 市区 郊区 郊外 集市 商店 餐厅 饭店 酒店
"""

VERBS = """
是 有 在 成为 建立 发展 开始 进行 位于 属于 包括 建设 保护 研究 发现 发明 出版 发表
使用 利用 提供 提高 增加 减少 改变 影响 认为 表示 说明 描述 记载 称为 叫做 参加 举行
组织 管理 经营 生产 制造 种植 出口 进口 运输 连接 通过 经过 穿过 到达 离开 回到 来到
居住 生活 工作 学习 教授 训练 比赛 战胜 失败 统治 占领 建造 修建 重建 扩建 改建 完成
结束 继续 保持 支持 反对 接受 拒绝 选择 决定 出现 消失 流行 传播 传入 吸引 访问 参观
纪念 庆祝 欢迎 介绍 讨论 分析 调查 测量 计算 设计 规划 投资 合作 交流 翻译 演出 创作
"""

ADJECTIVES = """
重要 著名 主要 古老 现代 传统 美丽 巨大 丰富 复杂 简单 特别 普通 常见 独特 完整 稳定
繁荣 发达 先进 落后 安全 危险 干燥 湿润 寒冷 温暖 炎热 广阔 狭窄 高大 低矮 深厚 清楚
明显 有名 新 旧 大 小 多 少 长 短 高 低 远 近 快 慢 好 美
"""

ADVERBS = """
也 都 还 就 又 只 最 很 非常 已经 曾经 正在 一直 逐渐 仍然 同时 主要 经常 往往 大约 几乎
"""

PLACES = """
北京 上海 广州 南京 西安 杭州 成都 重庆 武汉 天津 长沙 昆明 拉萨 兰州 洛阳 苏州 扬州 大连
青岛 厦门 黄河 长江 珠江 淮河 泰山 黄山 华山 峨眉山 太湖 西湖 洞庭湖 江南 华北 东北 西南
"""

INFOBOX_KEYS = ("类型", "地区", "建立", "作者", "领域", "著名于")
LATIN = ("GDP", "UNESCO", "WTO", "IT", "CPU", "DNA", "GPS", "LED", "NBA", "CEO")


def _words(text: str) -> list[str]:
    return text.split()


class Vocabulary:
    """The words of each kind with Zipf weights (by their place in the lists)."""

    def __init__(self) -> None:
        self.kinds = {
            "n": _words(NOUNS),
            "v": _words(VERBS),
            "a": _words(ADJECTIVES),
            "d": _words(ADVERBS),
            "p": _words(PLACES),
        }
        self.weights = {
            kind: _cumulative([1.0 / (rank + 1) ** 0.9 for rank in range(len(words))])
            for kind, words in self.kinds.items()
        }

    def pick(self, rng: random.Random, kind: str) -> str:
        return rng.choices(self.kinds[kind], cum_weights=self.weights[kind])[0]


CLAUSES = (
    "n的n在p v n",
    "p的n d v n",
    "n是a的n",
    "n d a",
    "p v n和n",
    "n的n d v",
    "n v了n的n",
    "在p，n d v n",
    "n和n v n",
    "p是n的n",
    "n d v p的n",
    "n的a n v n",
)
"""Shapes of a clause: n noun, v verb, a adjective, d adverb, p place; other characters as
written (`的`, `在`, `和`, `了`, `是`, `，`). A space only parts the symbols."""


def clause(rng: random.Random, vocabulary: Vocabulary) -> list[str]:
    """A clause as its words (a symbol's word, or a character of the shape as written)."""
    shape = rng.choice(CLAUSES)
    words: list[str] = []
    for symbol in shape:
        if symbol in vocabulary.kinds:
            words.append(vocabulary.pick(rng, symbol))
        elif symbol != " ":
            words.append(symbol)
    return words


def text(rng: random.Random, vocabulary: Vocabulary, count: int) -> str:
    """About `count` words of sentences: clauses joined by `，`, each ended by `。`."""
    sentences: list[str] = []
    used = 0
    while used < count:
        parts = []
        for _ in range(rng.randint(1, 3)):
            words = clause(rng, vocabulary)
            used += len(words)
            parts.append("".join(words))
        roll = rng.random()
        if roll < 0.02:
            parts.insert(0, f"{rng.randint(1368, 2024)}年")
        elif roll < 0.045:
            parts[-1] += rng.choice(LATIN)
        sentences.append("，".join(parts) + "。")
    return "".join(sentences)


def title_of(rng: random.Random, vocabulary: Vocabulary, number: int) -> str:
    kinds = rng.choice(("pn", "nn", "pnn", "an", "n"))
    name = "".join(vocabulary.pick(rng, kind) for kind in kinds)
    return f"{name} {number}"


def heading_of(rng: random.Random, vocabulary: Vocabulary) -> str:
    kinds = rng.choice(("n", "n", "nn", "n与n", "pn", "an"))
    return "".join(vocabulary.pick(rng, k) if k in vocabulary.kinds else k for k in kinds)


def generate(out: Path, sections: int, seed: int = 1) -> tuple[int, int]:
    """Write articles until `sections` sections exist; returns (articles, sections)."""
    rng = random.Random(seed)
    vocabulary = Vocabulary()
    out.mkdir(parents=True, exist_ok=True)
    titles: list[str] = []
    total_sections = 0
    number = 0
    while total_sections < sections:
        number += 1
        title = title_of(rng, vocabulary, number)
        titles.append(title)
        count = rng.randint(3, 25)
        parts = [f"= {title} =\n\n{title}\n"]
        for key in rng.sample(INFOBOX_KEYS, 3):
            parts.append(f"- {key}: {text(rng, vocabulary, rng.randint(1, 4)).rstrip('。')}\n")
        parts.append("\n" + text(rng, vocabulary, rng.randint(40, 160)) + "\n")
        for index in range(1, count):
            level = 2 if index == 1 or rng.random() < 0.7 else 3
            body = text(rng, vocabulary, rng.randint(40, 400))
            if len(titles) > 1 and rng.random() < 0.5:
                body += f"参见[[{rng.choice(titles[:-1])}]]。"
            parts.append(f"\n{'=' * level}{heading_of(rng, vocabulary)}{'=' * level}\n{body}\n")
        if len(titles) > 3:
            parts.append("\n==See also==\n")
            parts.extend(f"- {t}\n" for t in rng.sample(titles[:-1], 2))
        shard = out / f"{number % 100:02d}"
        shard.mkdir(exist_ok=True)
        (shard / f"article-{number:06d}.txt").write_text("".join(parts), encoding="utf-8")
        total_sections += count + (1 if len(titles) > 3 else 0)
    return number, total_sections


def install(name: str, sections: int, seed: int, generate_once: Any) -> Path:
    """The library as an imported one of language `zh`: generated (once, through
    tiers.generate) into `libraries/NAME` of the tier's data folder, with a `library.json`
    saying what it is. Returns its folder."""
    from termpedia.content.paths import libraries_dir

    folder = libraries_dir() / name
    generate_once(folder, sections, seed, generate)
    done = json.loads(next(folder.glob(".complete-*")).read_text())
    metadata = {
        "name": name,
        "kind": "synthetic",
        "source": "tests/bench/synthcjk.py",
        "source_hash": f"seed {seed}",
        "language": "zh",
        "title": f"Synthetic Chinese library of {sections:,} sections",
        **done,
    }
    (folder / "library.json").write_text(json.dumps(metadata, ensure_ascii=False), "utf-8")
    return folder


def _cumulative(values: list[float]) -> list[float]:
    total, out = 0.0, []
    for value in values:
        total += value
        out.append(total)
    return out


# -- the query lists -------------------------------------------------------------------------

RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
FUNCTION = frozenset("的是在和了也都有就又还只最很与")
"""Characters of the clause shapes and the commonest adverbs: Chinese's stop words."""
"""A run of Han characters (the library's only no-space script)."""


class CjkText:
    """What the query lists are made from: the titles, headings and a sample of sections
    (the same sample queries.TierText takes), with the character n-grams of its runs."""

    def __init__(self, tier: TierText) -> None:
        self.tier = tier
        grams: dict[int, collections.Counter[str]] = {n: collections.Counter() for n in (1, 2, 4)}
        for section in tier.sample:
            for run in RUN.findall(section):
                for n, counter in grams.items():
                    counter.update(run[at : at + n] for at in range(len(run) - n + 1))
        self.grams = grams

    def ranked(self, n: int, limit: int, least: int = 1) -> list[str]:
        counts = self.grams[n]
        order = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return [gram for gram, count in order if count >= least][:limit]

    def words(self, limit: int) -> list[str]:
        """Two-character words of the vocabulary found in the sample, most frequent first."""
        known = {w for kind in Vocabulary().kinds.values() for w in kind if len(w) == 2}
        return [gram for gram in self.ranked(2, len(self.grams[2])) if gram in known][:limit]

    def characters(self, limit: int) -> list[str]:
        """The sample's most frequent characters, less the function characters (as the Latin
        lists leave stop words out)."""
        return [c for c in self.ranked(1, limit + len(FUNCTION)) if c not in FUNCTION][:limit]

    def title_runs(self) -> list[str]:
        """The Chinese part of each title (the number after it left out)."""
        found = {run for title in self.tier.titles for run in RUN.findall(title)[:1]}
        return sorted(run for run in found if len(run) >= 2)

    def heading_runs(self) -> list[str]:
        return sorted({run for heading in self.tier.headings for run in RUN.findall(heading)})


def collect(
    titles: Iterable[str], rows: Iterable[tuple[str, str, str, str]], total_rows: int
) -> TierText:
    """queries.TierText of the tier (titles, headings, the sample), without Latin counts."""
    return TierText.collect(titles, rows, total_rows, collections.Counter())


def _pick(rng: random.Random, pool: list[str], count: int, taken: set[str]) -> list[str]:
    fresh = [p for p in pool if p not in taken]
    chosen = rng.sample(fresh, min(count, len(fresh)))
    taken.update(chosen)
    return chosen


def as_you_type(text: CjkText, seed: int = 1, count: int = 100) -> list[str]:
    """`count` queries typed a character a keystroke: 40 titles (their Chinese part), 30
    two-character words, 30 four-character phrases (so single characters are typed too:
    the first keystroke of each)."""
    rng = random.Random(seed)
    taken: set[str] = set()
    queries = [
        *_pick(rng, text.title_runs(), count * 4 // 10, taken),
        *_pick(rng, text.words(1000), count * 3 // 10, taken),
        *_pick(rng, text.ranked(4, 1000, least=2), count * 3 // 10, taken),
    ]
    queries += _pick(rng, text.ranked(4, 3000, least=2), count - len(queries), taken)
    rng.shuffle(queries)
    return queries[:count]


def full_queries(text: CjkText, seed: int = 1) -> dict[str, list[str]]:
    """Queries submitted whole, of the kinds queries.full_queries has: words (15
    two-character words, 10 single characters, 5 titles), phrases (10 four-character
    phrases as typed, which termpedia reads as the phrase of their bigrams, and 10 in
    quotes) and field queries (title: and heading: with a two-character word of each)."""
    rng = random.Random(seed + 1)
    taken: set[str] = set()
    phrases = text.ranked(4, 1000, least=2)
    words = [
        *_pick(rng, text.words(1000), 15, taken),
        *_pick(rng, text.characters(300), 10, taken),
        *_pick(rng, text.title_runs(), 5, taken),
    ]
    quoted = [
        *_pick(rng, phrases, 10, taken),
        *(f'"{p}"' for p in _pick(rng, phrases, 10, taken)),
    ]
    title_pairs = sorted({run[at : at + 2] for run in text.title_runs() for at in (0, 2)})
    heading_pairs = sorted({run[:2] for run in text.heading_runs() if len(run) >= 2})
    fields = [f"title:{w}" for w in _pick(rng, [p for p in title_pairs if len(p) == 2], 10, taken)]
    fields += [f"heading:{w}" for w in _pick(rng, heading_pairs, 10, taken)]
    return {"words": words, "phrases": quoted, "fields": fields}


NO_MISSPELLINGS = (
    "did-you-mean leaves a run of Chinese as typed (it corrects words of spaced scripts only)"
)


def query_lists(text: TierText, seed: int) -> dict[str, Any]:
    """The tier's query lists, in the shape tiers.run_tier keeps them (no misspellings:
    did-you-mean leaves a run of Chinese as it is, see index/spelling.py)."""
    from .queries import keystroke_query

    cjk = CjkText(text)
    typing = as_you_type(cjk, seed)
    return {
        "as_you_type": typing,
        "keystroke": keystroke_query(typing, length=8),
        "full": full_queries(cjk, seed),
        "misspellings": [],
    }


# -- the baseline ----------------------------------------------------------------------------

WORD_OR_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+|\w+")


def spaced(text: str) -> str:
    """`text` with every Han character apart: each one token to FTS5's unicode61."""
    return RUN.sub(lambda match: " " + " ".join(match.group(0)) + " ", text)


def _term(word: str, last: bool = False) -> str:
    if RUN.fullmatch(word):
        return '"' + " ".join(word) + '"'  # a run: the phrase of its characters
    quoted = '"' + word.replace('"', "") + '"'
    return quoted + "*" if last else quoted


class CjkFts5(Fts5):
    """The FTS5 baseline with each Han character a token (see the module docstring)."""

    def build(self, rows: Iterable[tuple[str, str, str]]) -> float:
        return super().build(
            (spaced(title), spaced(heading), spaced(body)) for title, heading, body in rows
        )

    def instant(
        self, typed: str, limit: int = 20, columns: tuple[str, ...] = ()
    ) -> list[tuple[str, str, str]]:
        words = WORD_OR_RUN.findall(typed.lower())
        if not words:
            return []
        unfinished = bool(typed[-1:].strip()) and not RUN.fullmatch(typed[-1])
        parts = [_term(w, last=unfinished and n == len(words) - 1) for n, w in enumerate(words)]
        query = " AND ".join(parts)
        if columns:
            query = "{" + " ".join(columns) + "} : (" + query + ")"
        return self.run(query, limit)

    def search(self, typed: str, limit: int = 20) -> list[tuple[str, str, str]]:
        parts = []
        for match in re.finditer(r'(\w+:)?"([^"]*)"|(\S+)', typed):
            field, phrase, word = match.group(1), match.group(2), match.group(3)
            if phrase is not None:
                tokens = WORD_OR_RUN.findall(phrase.lower())
                text = '"' + " ".join(" ".join(t) if RUN.fullmatch(t) else t for t in tokens)
                text += '"'
                parts.append(f"{field[:-1]}:{text}" if field else text)
                continue
            column, _, rest = word.partition(":")
            if rest and column in ("title", "heading"):
                parts.extend(f"{column}:{_term(w)}" for w in WORD_OR_RUN.findall(rest.lower()))
            else:
                parts.extend(_term(w) for w in WORD_OR_RUN.findall(word.lower()))
        return self.run(" AND ".join(parts) if parts else None, limit)


# -- beside synth10k -----------------------------------------------------------------------

LATIN_TIER = "synth10k"
CJK_TIER = "synthcjk10k"
COMPARED = (LATIN_TIER, CJK_TIER)
"""Tiers set side by side: each is given the on-screen keystroke figure when both run."""
GOAL = "within 2× of synth10k"
COMPARISON_HEADER = ("figure", CJK_TIER, LATIN_TIER, "ratio", "goal", "met")
COMPARISON_NOTE = (
    "ratio: synthcjk10k's cost over synth10k's, measured in the same run (for the build, "
    "synth10k's sections/s over synthcjk10k's; for timings, synthcjk10k's over synth10k's): "
    "above 1 the Chinese library is slower. The goal (issue 18) is on the build rate and "
    "the query p95s; the other rows are shown for reference."
)


def _at(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def comparison_rows(results: dict[str, Any]) -> list[tuple[str, str, str, str, str, str]]:
    """synthcjk10k beside synth10k: build rate, query p95s (the goal) and the rest; empty
    unless both tiers are in the results."""
    tiers = results.get("tiers", {})
    cjk, latin = tiers.get(CJK_TIER), tiers.get(LATIN_TIER)
    if not isinstance(cjk, dict) or not isinstance(latin, dict):
        return []
    ours, theirs = cjk.get("figures", {}), latin.get("figures", {})
    rows: list[tuple[str, str, str, str, str, str]] = []

    def row(label: str, path: tuple[str, ...], unit: str, goal: bool, rate: bool = False) -> None:
        a, b = _at(ours, *path), _at(theirs, *path)
        if not isinstance(a, int | float) or not isinstance(b, int | float) or not a or not b:
            rows.append((label, _shown(a, unit), _shown(b, unit), "—", GOAL if goal else "", "—"))
            return
        ratio = b / a if rate else a / b
        met = ("yes" if ratio <= 2 else "no") if goal else ""
        shown = (_shown(a, unit), _shown(b, unit), f"{ratio:.2f}×")
        rows.append((label, *shown, GOAL if goal else "", met))

    row("full index build (sections/s)", ("build", "sections_per_s"), "/s", True, rate=True)
    row("as you type, API (p95)", ("as_you_type", "termpedia", "p95_ms"), "ms", True)
    row("full queries with snippets (p95)", ("full_queries", "termpedia", "p95_ms"), "ms", True)
    for kind in ("words", "phrases", "fields"):
        path = ("full_queries", "by_kind", kind, "termpedia", "p95_ms")
        row(f"· {kind} (p95)", path, "ms", False)
    row(
        "keystroke to results on screen (p95)",
        ("keystroke_to_screen", "termpedia", "p95_ms"),
        "ms",
        False,
    )
    row("as you type, API (p50)", ("as_you_type", "termpedia", "p50_ms"), "ms", False)
    row("full queries with snippets (p50)", ("full_queries", "termpedia", "p50_ms"), "ms", False)
    row("peak build memory", ("build", "peak_mb"), "MB", False)
    row("index size on disk", ("index_size", "mb"), "MB", False)
    row("re-index one edited article (p95)", ("reindex", "termpedia", "p95_ms"), "ms", False)
    path = ("open_article", "generated_300KiB", "termpedia", "p50_ms")
    row("first screen, 300 KiB article (median)", path, "ms", False)
    row("cold start, no update (median)", ("cold_start", "no_update", "p50_s"), "s", False)
    row("app peak RSS", ("app_memory", "vmhwm_mb"), "MB", False)
    return rows


def _shown(value: Any, unit: str) -> str:
    if not isinstance(value, int | float):
        return "—"
    if unit == "/s":
        return f"{value:,.0f}/s"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "MB":
        return f"{value:,.1f} MB"
    return f"{value:,.1f} ms"


# -- a long article ----------------------------------------------------------------------------


def generated_article(path: Path, titles: list[str], seed: int) -> Path:
    """A deterministic ~300 KiB article of this library's text (figures.generated_article
    parts its text at spaces, which Chinese has none of): infobox, 2- and 3-level sections
    of paragraphs of 3 to 8 sentences, links to existing titles, a See also list."""
    rng = random.Random(seed + 30)
    vocabulary = Vocabulary()
    size = 300 * 1024
    parts = ["= 一篇很长的文章 =\n\n一篇很长的文章\n- 类型: 测试\n- 大小: 300 KiB\n\n"]
    parts.append("这是一篇为测量长文章的第一屏而生成的文章。\n")
    number, total = 0, len(parts[0].encode()) + len(parts[1].encode())
    while total < size:
        number += 1
        level = 2 if number % 3 else 3
        chunk = []
        for _ in range(rng.randint(3, 6)):
            paragraph = text(rng, vocabulary, rng.randint(40, 110))
            if titles and rng.random() < 0.6:
                paragraph += f"参见[[{rng.choice(titles)}]]。"
            chunk.append(paragraph)
        part = f"\n{'=' * level}第{number}部分{'=' * level}\n" + "\n\n".join(chunk) + "\n"
        parts.append(part)
        total += len(part.encode())
    parts.append("\n==See also==\n" + "".join(f"- {t}\n" for t in titles[:3]))
    path.write_text("".join(parts), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--sections", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    articles, sections = generate(args.out, args.sections, args.seed)
    print(f"wrote {articles} articles, {sections} sections to {args.out}")


if __name__ == "__main__":
    main()
