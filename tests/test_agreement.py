"""scripts/agreement.py: two annotations of the same figures compared as kg eval compares a build."""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("agreement", ROOT / "scripts" / "agreement.py")
agreement = importlib.util.module_from_spec(spec)
spec.loader.exec_module(agreement)


def fig(name, value, unit, quote, **kw):
    return {"indicator": name, "value": value, "unit": unit, "quote": quote, **kw}


def test_pairs_by_value_in_one_unit_family_and_counts_same_names():
    first = [fig("教育经费投入", 1.2, "亿元", "投入1.2亿元", year=2020), fig("在校学生数", 3000, "人", "学生3000人"),
             fig("学校数", 3, "所", "3所", optional=True)]
    second = [fig("教育经费总投入", 12000, "万元", "投入1.2亿元", year=2020), fig("在校学生数", 0.3, "万人", "学生3000人"),
              fig("教师数", 200, "人", "教师200人")]
    n = agreement.compare(first, second)
    assert (n["first"], n["second"], n["pairs"]) == (2, 3, 2)
    assert n["name"] == 1 and n["year"] == 2  # 1.2亿元 = 12000万元, 3000人 = 0.3万人; the optional figure is left out


def test_the_shipped_second_annotations_pair_with_their_gold(capsys):
    args = ["agreement", str(ROOT / "eval/agreement/second"), str(ROOT / "eval/real/gold")]
    assert agreement.main(args) == 0
    out = capsys.readouterr().out
    assert "a01_shaoxing_yizhong_jianjie.html" in out and out.strip().splitlines()[-1].startswith("all: ")
