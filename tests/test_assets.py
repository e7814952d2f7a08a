"""The asset alias table: canonical names, aliases, longest match first, config additions."""

from __future__ import annotations

import pytest
from digest_tui.index.parse.assets import AssetTable
from digest_tui.index.paths import Config


@pytest.fixture
def table() -> AssetTable:
    return AssetTable.load(None)


@pytest.mark.parametrize(
    ("target", "assets"),
    [
        ("美元指数", ("美元",)),
        ("金价", ("黄金",)),
        ("黄金/白银", ("黄金", "白银")),
        ("贵金属", ("黄金", "白银")),
        ("布伦特原油", ("原油",)),
        ("WTI", ("原油",)),
        ("国际油价", ("原油",)),
        ("对A股", ("A股", "股市")),
        ("纳指期货", ("美股", "股市")),
        ("恒生科技", ("港股", "股市")),
        ("美债收益率", ("债券",)),
        ("BTC", ("比特币", "加密货币")),
        ("离岸人民币", ("人民币",)),
        ("新能源车", ("新能源",)),
        ("能源股", ("能源",)),
        ("半导体板块", ("芯片股", "科技股", "股市")),
        ("Gold and silver", ("黄金", "白银")),
        ("油运股", ("航运",)),
        ("澳元", ("澳元",)),
        ("稀土永磁", ("稀土",)),
        ("券商股", ("股市",)),
        ("消费者", ()),
        ("goldman", ()),  # Latin aliases match whole words only
    ],
)
def test_resolve_finds_every_asset_a_target_mentions(
    table: AssetTable, target: str, assets: tuple[str, ...]
) -> None:
    assert table.resolve(target) == assets


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("gold", "黄金"),
        ("GOLD", "黄金"),
        ("金价", "黄金"),
        ("BTC", "比特币"),
        ("bitcoin", "比特币"),
        ("美元指数", "美元"),
        ("DXY", "美元"),
        ("黄金", "黄金"),
        ("石油", "原油"),
        ("不存在", None),
    ],
)
def test_canonical_names_from_any_alias(
    table: AssetTable, name: str, canonical: str | None
) -> None:
    assert table.canonical(name) == canonical


def test_names_cover_the_promised_assets(table: AssetTable) -> None:
    names = set(table.names())
    assert {
        "黄金",
        "白银",
        "原油",
        "天然气",
        "美元",
        "人民币",
        "美股",
        "A股",
        "港股",
        "科技股",
        "芯片股",
        "债券",
        "利率",
        "通胀",
        "加密货币",
        "比特币",
        "以太坊",
        "大宗商品",
        "航运",
        "新能源",
        "欧元",
        "日元",
        "英镑",
        "铜",
        "股市",
    } <= names


def test_builtin_table_is_read_once(table: AssetTable) -> None:
    assert AssetTable.load(None) is table
    assert AssetTable.load(Config()) is table


def test_config_adds_aliases_and_new_assets(table: AssetTable) -> None:
    config = Config(assets={"黄金": ("金疙瘩",), "gold": ("金砖",), "钨": ("tungsten", "钨精矿")})
    extended = AssetTable.load(config)
    assert extended.resolve("金疙瘩") == ("黄金",)
    assert extended.resolve("金砖") == ("黄金",)  # added through an alias of 黄金
    assert extended.resolve("钨精矿价格") == ("钨",)
    assert extended.canonical("Tungsten") == "钨"
    assert "钨" in extended.names()
    # the built-in table is not changed by a config
    assert table.resolve("金疙瘩") == () and "钨" not in table.names()
