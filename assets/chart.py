"""The first-level accounts of the 2023 accounting rules for rural collective economic
organisations (《农村集体经济组织会计制度》, 财会〔2023〕14号), with the codes DOMAIN.md gives.
Each village starts with these; sub-accounts (明细科目) are its own."""

from typing import NamedTuple


class ChartAccount(NamedTuple):
    code: str
    name: str
    name_en: str
    kind: str  # AccountKind
    normal_side: str  # Side


def _accounts(kind: str, side: str, rows: str) -> list[ChartAccount]:
    accounts = []
    for row in rows.strip().splitlines():
        code, names = row.split(" ", 1)
        name, name_en = (part.strip() for part in names.split("|"))
        accounts.append(ChartAccount(code, name, name_en, kind, side))
    return accounts


FIRST_LEVEL: list[ChartAccount] = [
    *_accounts(
        "asset",
        "debit",
        """
101 库存现金 | Cash on hand
102 银行存款 | Bank deposits
111 短期投资 | Short-term investments
112 应收款 | Receivables
121 存货 | Inventories
131 消耗性生物资产 | Consumable biological assets
132 生产性生物资产 | Productive biological assets
134 公益性生物资产 | Public-welfare biological assets
141 长期投资 | Long-term investments
151 固定资产 | Fixed assets
153 在建工程 | Construction in progress
154 固定资产清理 | Fixed assets in disposal
161 无形资产 | Intangible assets
171 长期待摊费用 | Long-term prepaid expenses
181 待处理财产损溢 | Assets losses and gains pending
""",
    ),
    # Contra-asset accounts: asset accounts whose balance is on the credit side.
    *_accounts(
        "asset",
        "credit",
        """
133 生产性生物资产累计折旧 | Accumulated depreciation of productive biological assets
152 累计折旧 | Accumulated depreciation
162 累计摊销 | Accumulated amortisation
""",
    ),
    *_accounts(
        "liability",
        "credit",
        """
201 短期借款 | Short-term borrowings
211 应付款 | Payables
212 应付工资 | Wages payable
213 应付劳务费 | Labour fees payable
214 应交税费 | Taxes payable
221 长期借款及应付款 | Long-term borrowings and payables
231 一事一议资金 | Case-by-case project funds (一事一议)
241 专项应付款 | Special payables
""",
    ),
    *_accounts(
        "equity",
        "credit",
        """
301 资本 | Capital
311 公积公益金 | Reserve and welfare fund
321 本年收益 | Income of the year
322 收益分配 | Distribution of income
""",
    ),
    *_accounts("cost", "debit", "401 生产（劳务）成本 | Production (service) costs"),
    *_accounts(
        "income",
        "credit",
        """
501 经营收入 | Operating income
502 投资收益 | Investment income
503 补助收入 | Subsidy income
504 其他收入 | Other income
""",
    ),
    *_accounts(
        "expense",
        "debit",
        """
511 经营支出 | Operating expenses
512 税金及附加 | Taxes and surcharges
513 管理费用 | Administrative expenses
514 公益支出 | Public-welfare expenses
515 其他支出 | Other expenses
521 所得税费用 | Income tax expense
""",
    ),
]
FIRST_LEVEL.sort(key=lambda account: account.code)
