"""The jieba user dictionary that makes place names and agency types searchable.

MkDocs' search plugin cuts Chinese text with jieba and the browser matches query
words as *prefixes* of those pieces. Left alone, jieba cuts 代县公安局 as 代/县公安局,
so 公安局 finds nothing; with 代县 and 公安局 in the dictionary it cuts 代县/公安局.
Whole agency names are never entries: that would make a name one piece and hide
the words inside it again.

Each line is ``word freq tag``. A word is kept only if it is made of Han characters
alone, so no name can ever break a line of the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.gazetteer import divisions

PLACE_FREQ = 200_000
AGENCY_FREQ = 200_000
"""High enough that jieba prefers these pieces to its own longer words (县公安局)."""

AGENCY_TYPES: tuple[str, ...] = (
    "人民政府", "办公室", "办公厅", "公安局", "公安厅", "教育局", "教育厅", "教育和体育局",
    "卫生健康委员会", "卫生健康局", "卫生健康委", "民政局", "民政厅", "司法局", "司法厅",
    "财政局", "财政厅", "人力资源和社会保障局", "人力资源和社会保障厅", "自然资源局",
    "自然资源厅", "规划和自然资源局", "生态环境局", "生态环境厅", "住房和城乡建设局",
    "住房和城乡建设厅", "交通运输局", "交通运输厅", "水利局", "水利厅", "水务局",
    "农业农村局", "农业农村厅", "商务局", "商务厅", "文化和旅游局", "文化和旅游厅",
    "文化旅游局", "退役军人事务局", "应急管理局", "应急管理厅", "审计局", "审计厅",
    "市场监督管理局", "统计局", "医疗保障局", "林业局", "林业和草原局", "体育局",
    "发展和改革委员会", "发展和改革局", "发展改革委", "工业和信息化局", "工业和信息化厅",
    "科学技术局", "科学技术厅", "科技局", "工业和科技局", "行政审批服务管理局",
    "行政审批局", "政务服务管理局", "政务服务中心", "城市管理局", "城市管理综合执法局",
    "综合行政执法局", "信访局", "能源局", "粮食和物资储备局", "乡村振兴局", "民族宗教事务局",
    "国有资产监督管理委员会", "机关事务管理局", "档案局", "地方志办公室", "人民防空办公室",
    "住房公积金管理中心", "街道办事处", "管理委员会", "委员会", "税务局", "气象局",
    "地震局", "移民局", "扶贫开发办公室", "外事办公室", "金融工作办公室", "营商环境建设局",
    "数据局", "大数据局", "大数据中心", "融媒体中心", "残疾人联合会", "总工会",
    "消防救援大队", "消防救援支队", "交通警察大队", "派出所", "镇人民政府", "乡人民政府",
)
"""Kinds of government bodies: the last words of most issuers' names."""

_HAN_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,30}")


def clean_word(word: str) -> str | None:
    """``word`` if it is 2 to 30 Han characters and nothing else, else ``None``."""
    word = word.strip()
    return word if _HAN_WORD.fullmatch(word) else None


def place_names() -> list[str]:
    """Full names of every province, prefecture and county in the national list."""
    return [d.name for d in divisions()]


def dictionary_lines(places: Iterable[str], agencies: Iterable[str]) -> list[str]:
    """Sorted ``word freq tag`` lines; a word listed both ways is kept once, as a place."""
    entries: dict[str, tuple[int, str]] = {}
    for word in agencies:
        clean = clean_word(word)
        if clean is not None:
            entries[clean] = (AGENCY_FREQ, "nt")
    for word in places:
        clean = clean_word(word)
        if clean is not None:
            entries[clean] = (PLACE_FREQ, "ns")
    return [f"{w} {freq} {tag}" for w, (freq, tag) in sorted(entries.items())]


def user_dictionary() -> str:
    """The whole dictionary file, one entry per line."""
    return "".join(line + "\n" for line in dictionary_lines(place_names(), AGENCY_TYPES))
