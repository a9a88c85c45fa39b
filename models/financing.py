"""Financing plans of an application: pure functions over the read model."""

from __future__ import annotations

from decimal import Decimal

from models.errors import InputError
from models.money import FinancingPlan, Grant, MoneyError, SplitKey, compute_grant, format_percent
from models.own_share import PartnerShareInput, split_own_share
from models.views import ApplicationView, PartnerView

HUNDRED = Decimal(100)


def share_inputs(participants: list[PartnerView], key: SplitKey) -> list[PartnerShareInput]:
    """Key figures per body. With the percent key the lead carries the remainder to 100 %."""
    if key != SplitKey.PROZENT:
        return [
            PartnerShareInput(body=p.body.name, population=p.body.population) for p in participants
        ]
    partner_total = sum(
        (p.share_percent or Decimal(0) for p in participants if not p.is_lead), Decimal(0)
    )
    if partner_total > HUNDRED:
        raise InputError(
            f"Die Prozentanteile der Partner ergeben {format_percent(partner_total)} – "
            "zusammen dürfen es höchstens 100 % sein."
        )
    inputs = []
    for p in participants:
        percent = HUNDRED - partner_total if p.is_lead else p.share_percent
        inputs.append(PartnerShareInput(body=p.body.name, percent=percent))
    return inputs


def _grant(view: ApplicationView) -> Grant:
    if view.eligible_costs_cents is None or view.funding_rate_percent is None:
        raise InputError(
            f"Für {view.reference} fehlt der Finanzierungsrahmen – bitte zuerst die "
            "Partnerprüfung starten."
        )
    return compute_grant(
        view.eligible_costs_cents,
        view.funding_rate_percent,
        cap=view.programme.max_grant_cents,
        minimum=view.programme.min_grant_cents,
    )


def plan_for(
    view: ApplicationView,
    participants: list[PartnerView],
    key: SplitKey,
    granted_cents: int | None = None,
) -> FinancingPlan:
    """The financing plan over ``participants``; with ``granted_cents`` after a notice."""
    grant = _grant(view)
    if granted_cents is not None:
        grant = grant.model_copy(
            update={
                "grant": granted_cents,
                "own_share": grant.eligible_costs - granted_cents,
                "capped": False,
                "below_minimum": False,
            }
        )
    try:
        shares = split_own_share(grant.own_share, share_inputs(participants, key), key)
    except MoneyError as exc:
        raise InputError(str(exc)) from None
    return FinancingPlan(grant=grant, key=key, shares=shares)


def share_of(plan: FinancingPlan, body_name: str) -> int:
    for share in plan.shares:
        if share.body == body_name:
            return share.amount
    raise KeyError(body_name)
