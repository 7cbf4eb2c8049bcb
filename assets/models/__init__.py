"""The collective's assets and money: members and shares, the asset register, contracts, the
ledger and distributions."""

from assets.models.contracts import Contract, ContractKind, PaymentMethod, RentInstalment, RentReceipt
from assets.models.distributions import Allocation, DistributionPlan, Payment
from assets.models.ledger import Account, AccountKind, Side, Voucher, VoucherKind, VoucherLine, VoucherState
from assets.models.members import Collective, JoinReason, LeaveReason, Membership, ShareChange
from assets.models.register import (
    Asset,
    AssetCategory,
    AssetDocument,
    AssetStatus,
    Building,
    Equipment,
    Fund,
    Investment,
    LandParcel,
    LandUse,
    Valuation,
)

__all__ = [
    "Account",
    "AccountKind",
    "Allocation",
    "Asset",
    "AssetCategory",
    "AssetDocument",
    "AssetStatus",
    "Building",
    "Collective",
    "Contract",
    "ContractKind",
    "DistributionPlan",
    "Equipment",
    "Fund",
    "Investment",
    "JoinReason",
    "LandParcel",
    "LandUse",
    "LeaveReason",
    "Membership",
    "Payment",
    "PaymentMethod",
    "RentInstalment",
    "RentReceipt",
    "ShareChange",
    "Side",
    "Valuation",
    "Voucher",
    "VoucherKind",
    "VoucherLine",
    "VoucherState",
]
