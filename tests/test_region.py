"""Region resolution and agency keys: small input -> expected."""

from __future__ import annotations

import time

import pytest

from generator import gazetteer
from generator.model import Finding, Region, Severity
from generator.parsing.region import agency_key, agency_kind, resolve_region


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


# --- gazetteer ---------------------------------------------------------------------------

def test_gazetteer_codes_are_padded_and_sorted() -> None:
    divs = gazetteer.divisions()
    assert all(len(d.code) == 6 and d.code.isdigit() for d in divs)
    assert [d.code for d in divs] == sorted(d.code for d in divs)
    assert gazetteer.by_code("14") == gazetteer.by_code("140000")


@pytest.mark.parametrize(
    ("code", "name", "level", "province", "city"),
    [
        ("110000", "北京市", "province", "北京市", None),
        ("110105", "朝阳区", "county", "北京市", None),
        ("419001", "济源市", "county", "河南省", None),
        ("441900", "东莞市", "city", "广东省", "东莞市"),
        ("141002", "尧都区", "county", "山西省", "临汾市"),
    ],
)
def test_gazetteer_placement(code: str, name: str, level: str, province: str,
                             city: str | None) -> None:
    d = gazetteer.by_code(code)
    assert d is not None
    assert (d.name, d.level, d.province, d.city) == (name, level, province, city)


def test_gazetteer_names_children_and_short_names() -> None:
    assert [d.code for d in gazetteer.by_name("鼓楼区")] == [
        "320106", "320302", "350102", "410204"]
    assert gazetteer.children("441900") == ()
    assert "朝阳区" in [d.name for d in gazetteer.children("110000")]
    assert [d.code for d in gazetteer.by_short_name("山西")] == ["140000"]
    assert [d.code for d in gazetteer.by_short_name("内蒙古")] == ["150000"]
    assert [d.code for d in gazetteer.by_short_name("福州")] == ["350100"]
    assert gazetteer.short_names(gazetteer.by_name("隰县")[0]) == ()
    assert gazetteer.by_code("999999") is None
    assert gazetteer.by_code("abc") is None


# --- the five samples ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("agency", "code", "names"),
    [
        ("临汾市尧都区人民政府办公室", "141002", ("山西省", "临汾市", "尧都区")),
        ("繁峙县人民政府办公室", "140924", ("山西省", "忻州市", "繁峙县")),
        ("杜集区人民政府办公室", "340602", ("安徽省", "淮北市", "杜集区")),
        ("隰县人民政府", "141031", ("山西省", "临汾市", "隰县")),
        ("山西省隰县人民政府", "141031", ("山西省", "临汾市", "隰县")),
        ("盐湖区人民政府办公室", "140802", ("山西省", "运城市", "盐湖区")),
    ],
)
def test_samples(agency: str, code: str, names: tuple[str, str, str]) -> None:
    region, findings = resolve_region(agency, [agency, "2021年政府信息公开工作年度报告"])
    assert findings == []
    assert region.code == code
    assert (region.province, region.city, region.county) == names
    assert (region.level, region.kind) == ("county", "government")


def test_same_agency_same_key() -> None:
    a, _ = resolve_region("隰县人民政府", [])
    b, _ = resolve_region("山西省隰县人民政府", [])
    assert agency_key("隰县人民政府", a) == agency_key("山西省隰县人民政府", b) == "141031/人民政府"
    assert agency_key("隰县 人民政府", a) == "141031/人民政府"
    assert agency_key("隰县人民政府\u3000", a) == "141031/人民政府"


# --- ambiguous names ----------------------------------------------------------------------

def test_ambiguous_resolved_by_address() -> None:
    lines = ["鼓楼区人民政府", "2021年政府信息公开工作年度报告", "地址：福州市鼓楼区东街1号"]
    region, findings = resolve_region("鼓楼区人民政府", lines)
    assert region.code == "350102"
    assert (region.province, region.city) == ("福建省", "福州市")
    assert codes(findings) == ["region-inferred"]
    assert findings[0].severity is Severity.INFO
    assert findings[0].line == 3
    assert "福州市鼓楼区" in findings[0].message


def test_ambiguous_without_hints() -> None:
    region, findings = resolve_region("鼓楼区人民政府", ["鼓楼区人民政府", "年度报告"])
    assert region.code is None
    assert (region.county, region.level, region.kind) == ("鼓楼区", "county", "government")
    assert region.province is None
    assert codes(findings) == ["region-ambiguous"]
    f = findings[0]
    assert f.severity is Severity.WARNING and f.line == 1
    assert f.message.startswith("鼓楼区 可能是：江苏省南京市鼓楼区(320106)、")
    assert "福建省福州市鼓楼区(350102)" in f.message
    assert agency_key("鼓楼区人民政府", region) == "unknown/鼓楼区人民政府"


def test_ambiguous_keeps_what_is_certain() -> None:
    region, findings = resolve_region("鼓楼区人民政府", ["江苏省"])
    assert (region.province, region.city, region.code) == ("江苏省", None, None)
    assert codes(findings) == ["region-ambiguous"]
    assert "320106" in findings[0].message and "350102" not in findings[0].message


def test_ambiguous_resolved_by_document_name() -> None:
    lines = ["根据《长春市2022年政务公开工作要点》要求"]
    region, findings = resolve_region("朝阳区人民政府", lines)
    assert region.code == "220104"
    assert codes(findings) == ["region-inferred"]


def test_municipality_district_with_hint() -> None:
    region, findings = resolve_region("朝阳区人民政府", ["北京市朝阳区人民政府", "认真落实北京要求"])
    assert region.code == "110105"
    assert (region.province, region.city, region.county) == ("北京市", None, "朝阳区")
    assert codes(findings) == ["region-inferred"]


def test_short_prefix_in_name_is_enough() -> None:
    region, findings = resolve_region("北京朝阳区人民政府", [])
    assert region.code == "110105" and findings == []


def test_prefix_in_name_settles_it() -> None:
    region, findings = resolve_region("福州市鼓楼区人民政府", [])
    assert region.code == "350102" and findings == []


# --- kinds of unit --------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("agency", "expected"),
    [
        ("北京市人民政府", Region("北京市", None, None, None, "110000", "province", "government")),
        ("济源市人民政府", Region("河南省", None, "济源市", None, "419001", "county", "government")),
        ("东莞市人民政府办公室",
         Region("广东省", "东莞市", None, None, "441900", "city", "government")),
        ("繁峙县公安局", Region("山西省", "忻州市", "繁峙县", None, "140924", "county", "department")),
        ("隰县黄土镇人民政府",
         Region("山西省", "临汾市", "隰县", "黄土镇", "141031", "township", "government")),
        ("东莞市虎门镇人民政府",
         Region("广东省", "东莞市", None, "虎门镇", "441900", "township", "government")),
        ("山西省教育厅", Region("山西省", None, None, None, "140000", "province", "department")),
        ("吉林省吉林市人民政府",
         Region("吉林省", "吉林市", None, None, "220200", "city", "government")),
    ],
)
def test_units(agency: str, expected: Region) -> None:
    region, findings = resolve_region(agency, [])
    assert findings == []
    assert region == expected


def test_township_needs_a_township_body() -> None:
    region, _ = resolve_region("隰县城乡规划局", [])
    assert (region.township, region.level, region.kind) == (None, "county", "department")


def test_unrelated_name_inside_agency_is_ignored() -> None:
    # 城区 exists (阳泉, 晋城, 汕尾) but not under 太原市: it is part of the agency's name.
    region, findings = resolve_region("太原市城区管理局", [])
    assert (region.code, region.level, region.kind) == ("140100", "city", "department")
    assert findings == []
    assert agency_key("太原市城区管理局", region) == "140100/城区管理局"


def test_township_key_keeps_the_township() -> None:
    region, _ = resolve_region("隰县黄土镇人民政府", [])
    assert agency_key("隰县黄土镇人民政府", region) == "141031/黄土镇人民政府"


@pytest.mark.parametrize(
    ("agency", "kind"),
    [
        ("隰县人民政府", "government"),
        ("隰县人民政府办公室", "government"),
        ("山西省人民政府办公厅", "government"),
        ("隰县政府办", "government"),
        ("城关街道办事处", "government"),
        ("隰县人民政府国有资产监督管理委员会", "department"),
        ("隰县教育局", "department"),
        (None, None),
    ],
)
def test_agency_kind(agency: str | None, kind: str | None) -> None:
    assert agency_kind(agency) == kind


# --- nothing in the name ----------------------------------------------------------------------

def test_unknown_region() -> None:
    region, findings = resolve_region("国务院办公厅", ["国务院办公厅", "2021年度报告"])
    assert (region.code, region.province, region.kind) == (None, None, "department")
    assert codes(findings) == ["region-unknown"]
    assert findings[0].severity is Severity.WARNING and findings[0].line == 1
    assert agency_key("国务院办公厅", region) == "unknown/国务院办公厅"


def test_no_agency_no_text() -> None:
    region, findings = resolve_region(None, [])
    assert region == Region()
    assert codes(findings) == ["region-unknown"]
    assert agency_key(None, region) == "unknown/unknown"
    assert agency_key("  ", region) == "unknown/unknown"


def test_region_from_first_lines() -> None:
    lines = ["", "2021年政府信息公开工作年度报告",
             "根据《山西省政务公开规定》，现公布隰县人民政府2021年年度报告。"]
    region, findings = resolve_region("县政府办公室", lines)
    assert region.code == "141031"
    assert region.kind == "government"
    assert codes(findings) == ["region-inferred"]
    assert findings[0].line == 3


def test_first_lines_ignore_a_bare_two_character_name_in_prose() -> None:
    prose = "本年度，我们深入推进城区道路改造和老旧小区改造，" * 4
    region, findings = resolve_region(None, ["年度报告", prose])
    assert region.code is None
    assert codes(findings) == ["region-unknown"]


def test_two_character_county_in_the_title() -> None:
    lines = ["2021年环县市场监督管理局政府信息公开工作年度报告", "根据《条例》要求……"]
    region, findings = resolve_region(None, lines)
    assert (region.code, region.county, region.kind) == ("621022", "环县", None)
    assert codes(findings) == ["region-inferred"]
    assert findings[0].line == 1


def test_width_variants_collide() -> None:
    region, _ = resolve_region("隰县人民政府（办公室）", [])
    assert agency_key("隰县人民政府(办公室)", region) == agency_key("隰县人民政府（办公室）", region)


# --- speed --------------------------------------------------------------------------------------

def test_fast_enough() -> None:
    lines = ["临汾市尧都区人民政府办公室", "2021年政府信息公开工作年度报告"] + ["正文" * 40] * 300
    resolve_region("鼓楼区人民政府", lines)  # build the indexes
    start = time.perf_counter()
    for _ in range(200):
        resolve_region("临汾市尧都区人民政府办公室", lines)
        resolve_region("鼓楼区人民政府", lines)
    per_call = (time.perf_counter() - start) / 400
    assert per_call < 0.002  # generous: about 0.05 ms measured
