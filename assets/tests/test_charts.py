from decimal import Decimal

from django.template.loader import render_to_string

from assets.charts import SCALE, ChartBar, ChartGroup, bar_chart


def test_bars_are_in_proportion_to_the_largest_value() -> None:
    chart = bar_chart(
        [
            ChartGroup(
                "1月",
                [ChartBar("收入", Decimal("1000"), "income"), ChartBar("支出", Decimal("-250"), "expense")],
            ),
            ChartGroup(
                "2月",
                [ChartBar("收入", Decimal("0.01"), "income"), ChartBar("支出", Decimal("0"), "expense")],
            ),
        ]
    )
    lengths = [bar.length for group in chart.groups for bar in group.bars]
    assert lengths == [SCALE, SCALE // 4, SCALE // 200, 0]  # a tiny value stays visible, zero draws nothing
    shown = [bar.shown for group in chart.groups for bar in group.bars]
    assert shown == ["¥1,000.00", "-¥250.00", "¥0.01", "¥0.00"]
    assert chart.legend == [("income", "收入"), ("expense", "支出")]


def test_words_and_figures_are_text_and_bars_are_svg() -> None:
    chart = bar_chart([ChartGroup("资源性", [ChartBar("", Decimal("12.5"), "resource")])], unit="mu")
    html = render_to_string("assets/_bar_chart.html", {"chart": chart, "title": "资产构成"})
    assert "<svg" in html and "资产构成" in html
    assert "<dt>资源性</dt>" in html and "12.50 亩" in html
    assert f'width="{SCALE}"' in html
    assert not chart.legend  # one bar per group needs no legend


def test_an_empty_chart_says_so() -> None:
    html = render_to_string("assets/_bar_chart.html", {"chart": bar_chart([]), "title": "t"})
    assert "<svg" not in html
