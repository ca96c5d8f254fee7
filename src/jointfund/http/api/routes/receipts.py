"""The state's records of receipts: Treasury receipts by budget code and Prozorro.Sale subsoil
auctions uploaded and listed, and the three-way reconciliation by code."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, UploadFile

from jointfund.fund import auctions, treasury
from jointfund.fund.code_reconciliation import code_reconciliation
from jointfund.governance import Interface, User
from jointfund.http.api.permit import Permit
from jointfund.http.api.schemas.common import ERROR_RESPONSES
from jointfund.http.api.schemas.receipts import (
    AuctionImportOut,
    AuctionOut,
    CodeReconciliationOut,
    ReceiptImportOut,
    ReceiptOut,
    auction_import_out,
    auction_out,
    code_reconciliation_out,
    receipt_import_out,
    receipt_out,
)
from jointfund.http.state import BooksDep
from jointfund.http.uploads import import_upload

router = APIRouter(prefix="/api", tags=["receipts"], responses=ERROR_RESPONSES)


@router.get("/treasury", response_model=list[ReceiptOut])
def list_treasury(
    db: BooksDep, user: Annotated[User, Depends(Permit("receipts.read"))]
) -> list[ReceiptOut]:
    """Receipts by budget code and month: the newest figures, as period amounts."""
    return [receipt_out(x) for x in treasury.list_receipts(db, user)]


@router.post("/treasury", response_model=ReceiptImportOut)
def upload_treasury(
    db: BooksDep, user: Annotated[User, Depends(Permit("receipts.import"))], file: UploadFile
) -> ReceiptImportOut:
    """Store a Treasury / openbudget receipts CSV: all rows, or none and every problem (422)."""
    return receipt_import_out(
        import_upload(
            file,
            "treasury.csv",
            lambda p: treasury.import_receipts(db, user, p, interface=Interface.API),
            db,
        )
    )


@router.get("/treasury/reconciliation", response_model=CodeReconciliationOut)
def treasury_reconciliation(
    db: BooksDep,
    user: Annotated[User, Depends(Permit("reports.produce"))],
    year: Annotated[int | None, Query(ge=1991, le=2100)] = None,
) -> CodeReconciliationOut:
    """Filings ↔ stored Treasury receipts ↔ accruals and transfers ↔ books, by code and month."""
    return code_reconciliation_out(code_reconciliation(db, user, year=year))


@router.get("/auctions", response_model=list[AuctionOut])
def list_auctions(
    db: BooksDep, user: Annotated[User, Depends(Permit("receipts.read"))]
) -> list[AuctionOut]:
    """Subsoil auctions stored: proceeds, the licence each led to, the fund's share."""
    return [auction_out(a) for a in auctions.list_auctions(db, user)]


@router.post("/auctions", response_model=AuctionImportOut)
def upload_auctions(
    db: BooksDep, user: Annotated[User, Depends(Permit("receipts.import"))], file: UploadFile
) -> AuctionImportOut:
    """Store Prozorro.Sale procedures (JSON) and register the licences signed sales lead to:
    all, or none and every problem (422)."""
    return auction_import_out(
        import_upload(
            file,
            "auctions.json",
            lambda p: auctions.import_auctions(db, user, p, interface=Interface.API),
            db,
        )
    )
