"""The codes the books store and the pages show (statuses, kinds, roles, streams, resources,
statement lines), each with the words people read; translated where shown (`term` filter)."""

from __future__ import annotations

from jointfund.i18n import N_, gettext

WORDS: dict[str, str] = {
    # a yes or no cell (e.g. whether a filing counts towards the fund)
    "yes": N_("yes"),
    "no": N_("no"),
    # proposal statuses and kinds, approval rules
    "open": N_("open"),
    "executed": N_("executed"),
    "rejected": N_("rejected"),
    "expired": N_("expired"),
    "investment": N_("investment"),
    "in_kind_valuation": N_("in-kind valuation"),
    "distribution": N_("distribution"),
    "write_down": N_("write-down"),
    "term_change": N_("change of terms"),
    "admit_partner": N_("admission of a partner"),
    "valuation_mark": N_("valuation mark"),
    "journal_entry": N_("journal entry"),
    "period_close": N_("period close"),
    "board_resolution": N_("board resolution"),
    "reported": N_("reported"),
    "uncertain": N_("uncertain"),
    "assumed": N_("assumed"),
    "sourced": N_("sourced"),
    # why a code's receipts disagree (the reconciliation by budget code)
    "missing_in_treasury": N_("missing in the Treasury's data"),
    "missing_in_filings": N_("missing in the filings"),
    "amount_differs": N_("amounts differ"),
    "not_accrued": N_("not accrued"),
    "untransferred": N_("not transferred"),
    "over_transferred": N_("transferred beyond the accrual"),
    "not_in_books": N_("not in the fund's books"),
    # the role of the records that set the books up (before any user exists)
    "bootstrap": N_("set-up"),
    # account types and flags (the accounts list)
    "asset": N_("asset"),
    "liability": N_("liability"),
    "equity": N_("equity"),
    "income": N_("income"),
    "expense": N_("expense"),
    "non-negative": N_("non-negative"),
    "uncovered": N_("uncovered"),
    "board": N_("the board"),
    "both_partners": N_("both partners"),
    "partner": N_("one partner's managers"),
    "unanimous": N_("unanimous"),
    "each_partner": N_("each partner"),
    "majority": N_("majority"),
    "all": N_("all"),
    "gross": N_("gross"),
    "net_of_costs": N_("net of costs"),
    # forecast runs and recoupment bases
    "queued": N_("queued"),
    "running": N_("running"),
    "cash": N_("cash"),
    "value": N_("value"),
    # deadlines of the compliance calendar and periods of the contribution cycle
    "met": N_("met"),
    "met late": N_("met late"),
    "due": N_("due"),
    "overdue": N_("overdue"),
    "settled": N_("settled"),
    "settled late": N_("settled late"),
    "accruing": N_("accruing"),
    "over-transferred": N_("over-transferred"),
    # the contribution cycle's deadlines in the agreement's term sheet (cycle.deadlines)
    "Treasury report of the year's receipts by budget-classification code": N_(
        "Treasury report of the year's receipts by budget-classification code"
    ),
    "Compliance report on the year's subsoil permits": N_(
        "Compliance report on the year's subsoil permits"
    ),
    "Compliance report on the year's rent payments": N_(
        "Compliance report on the year's rent payments"
    ),
    "Transfer of the year's receipts (and 50% of PSA bonuses) to the Partnership": N_(
        "Transfer of the year's receipts (and 50% of PSA bonuses) to the Partnership"
    ),
    "Annual report on the contributions": N_("Annual report on the contributions"),
    "Yearly audit of the contributions": N_("Yearly audit of the contributions"),
    "State Treasury Service": N_("State Treasury Service"),
    "State Service of Geology and Subsoil": N_("State Service of Geology and Subsoil"),
    "State Tax Service": N_("State Tax Service"),
    "PPP Agency": N_("PPP Agency"),
    "State Audit Service": N_("State Audit Service"),
    "accrued": N_("accrued"),
    "remaining": N_("remaining"),
    # journal entry kinds
    "inflow": N_("inflow"),
    "inflow-correction": N_("inflow correction"),
    "contribution": N_("contribution"),
    "disbursement": N_("disbursement"),
    "proceeds": N_("proceeds"),
    "opening": N_("opening"),
    "close": N_("close"),
    "fx": N_("currency translation"),
    # roles
    "administrator": N_("administrator"),
    "board_manager": N_("board manager"),
    "auditor": N_("auditor"),
    "reporting_entity": N_("reporting entity"),
    "public": N_("public"),
    # where a write came from (governance.Interface), in the audit log
    "cli": N_("command line"),
    "api": N_("API"),
    "web": N_("web pages"),
    # revenue streams, instruments, licence status, territory
    "royalty": N_("royalty"),
    "permit_fee": N_("permit fee"),
    "auction_proceeds": N_("auction proceeds"),
    "psa_state_share": N_("state share under a PSA"),
    "signature_bonus": N_("signature bonus"),
    "special_permit": N_("special permit"),
    "psa": N_("production sharing agreement"),
    "active": N_("active"),
    "suspended": N_("suspended"),
    "revoked": N_("revoked"),
    "controlled": N_("controlled"),
    "frontline": N_("frontline"),
    "occupied": N_("occupied"),
    # how an investment is marked, and the bases the forecast's in-kind scenarios analyse;
    # the books credit in-kind aid at its assessed value only
    "fair_value": N_("fair value"),
    "replacement_cost": N_("replacement cost"),
    "depreciated_book_value": N_("depreciated book value"),
    "assessed_value": N_("assessed value"),
    # who recommends an in-kind assessed value to the board (fund.in_kind)
    "audit_committee": N_("Audit Committee"),
    # transparency dimensions
    "resource": N_("resource"),
    "oblast": N_("oblast"),
    "stream": N_("stream"),
    "year": N_("year"),
    # resources of the example fund
    "apatite": N_("apatite"),
    "beryllium": N_("beryllium"),
    "fluorite": N_("fluorite"),
    "gas_condensate": N_("gas condensate"),
    "graphite": N_("graphite"),
    "iron_ore": N_("iron ore"),
    "lithium": N_("lithium"),
    "manganese": N_("manganese"),
    "natural_gas": N_("natural gas"),
    "oil": N_("oil"),
    "rare_earths": N_("rare earths"),
    "tantalum": N_("tantalum"),
    "titanium": N_("titanium"),
    "uranium": N_("uranium"),
    "zinc": N_("zinc"),
    "zirconium": N_("zirconium"),
    # every other resource the terms know (terms/resources.yaml), so a national register's
    # public page reads in Ukrainian whatever its licences produce
    "aluminium": N_("aluminium"),
    "amber": N_("amber"),
    "antimony": N_("antimony"),
    "arsenic": N_("arsenic"),
    "barite": N_("barite"),
    "bismuth": N_("bismuth"),
    "caesium": N_("caesium"),
    "cerium": N_("cerium"),
    "chromium": N_("chromium"),
    "coal": N_("coal"),
    "cobalt": N_("cobalt"),
    "construction_materials": N_("construction materials"),
    "copper": N_("copper"),
    "dysprosium": N_("dysprosium"),
    "erbium": N_("erbium"),
    "europium": N_("europium"),
    "feldspar": N_("feldspar"),
    "fluorine": N_("fluorine"),
    "fluorspar": N_("fluorspar"),
    "gadolinium": N_("gadolinium"),
    "gallium": N_("gallium"),
    "germanium": N_("germanium"),
    "gold": N_("gold"),
    "hafnium": N_("hafnium"),
    "holmium": N_("holmium"),
    "indium": N_("indium"),
    "iridium": N_("iridium"),
    "kaolin": N_("kaolin"),
    "lanthanum": N_("lanthanum"),
    "lead": N_("lead"),
    "lutetium": N_("lutetium"),
    "magnesium": N_("magnesium"),
    "neodymium": N_("neodymium"),
    "nickel": N_("nickel"),
    "niobium": N_("niobium"),
    "other_hydrocarbons": N_("other hydrocarbons"),
    "palladium": N_("palladium"),
    "phosphate": N_("phosphate rock"),
    "platinum": N_("platinum"),
    "potassium": N_("potassium"),
    "praseodymium": N_("praseodymium"),
    "rhodium": N_("rhodium"),
    "rock_salt": N_("rock salt"),
    "rubidium": N_("rubidium"),
    "ruthenium": N_("ruthenium"),
    "samarium": N_("samarium"),
    "scandium": N_("scandium"),
    "shale_gas": N_("shale gas"),
    "tellurium": N_("tellurium"),
    "terbium": N_("terbium"),
    "thulium": N_("thulium"),
    "tin": N_("tin"),
    "tungsten": N_("tungsten"),
    "vanadium": N_("vanadium"),
    "ytterbium": N_("ytterbium"),
    "yttrium": N_("yttrium"),
    # the regions of Ukraine as a register spells them in English (the oblast column of a
    # licence): every one, so a national register's public page reads in Ukrainian too
    "Cherkasy": N_("Cherkasy"),
    "Chernihiv": N_("Chernihiv"),
    "Chernivtsi": N_("Chernivtsi"),
    "Crimea": N_("Crimea"),
    "Dnipropetrovsk": N_("Dnipropetrovsk"),
    "Donetsk": N_("Donetsk"),
    "Ivano-Frankivsk": N_("Ivano-Frankivsk"),
    "Kharkiv": N_("Kharkiv"),
    "Kherson": N_("Kherson"),
    "Khmelnytskyi": N_("Khmelnytskyi"),
    "Kirovohrad": N_("Kirovohrad"),
    "Kyiv": N_("Kyiv"),
    "Kyiv City": N_("Kyiv City"),
    "Luhansk": N_("Luhansk"),
    "Lviv": N_("Lviv"),
    "Mykolaiv": N_("Mykolaiv"),
    "Odesa": N_("Odesa"),
    "Poltava": N_("Poltava"),
    "Rivne": N_("Rivne"),
    "Sevastopol": N_("Sevastopol"),
    "Sumy": N_("Sumy"),
    "Ternopil": N_("Ternopil"),
    "Vinnytsia": N_("Vinnytsia"),
    "Volyn": N_("Volyn"),
    "Zakarpattia": N_("Zakarpattia"),
    "Zaporizhzhia": N_("Zaporizhzhia"),
    "Zhytomyr": N_("Zhytomyr"),
    # the recoupment targets (fund.metrics.TARGETS)
    "Comparison line: U.S. military assistance to Ukraine since 24 Feb 2022 ($66.9 bn, "
    "State Department); past aid the Agreement does not count, not a debt": N_(
        "Comparison line: U.S. military assistance to Ukraine since 24 Feb 2022 ($66.9 bn, "
        "State Department); past aid the Agreement does not count, not a debt"
    ),
    "Comparison line: the $500 bn of the rejected February 2025 draft; not in the signed "
    "Agreement, not a debt": N_(
        "Comparison line: the $500 bn of the rejected February 2025 draft; not in the signed "
        "Agreement, not a debt"
    ),
    # the lines of a partner's capital statement (fund.statements)
    "Opening capital": N_("Opening capital"),
    "Contributions": N_("Contributions"),
    "Allocated income and realised gains": N_("Allocated income and realised gains"),
    "Change in unrealised value": N_("Change in unrealised value"),
    "Distributions": N_("Distributions"),
    "Closing capital": N_("Closing capital"),
    "of which cash": N_("of which cash"),
    "of which in kind": N_("of which in kind"),
    "of which inflows credited": N_("of which inflows credited"),
    # the bridge from partners' capital to NAV (fund.position.BRIDGE_LABELS)
    "Partners' capital": N_("Partners' capital"),
    "Results not yet allocated": N_("Results not yet allocated"),
    "In-kind aid held outside the fund": N_("In-kind aid held outside the fund"),
    "Unrealised currency translation": N_("Unrealised currency translation"),
    "Other": N_("Other"),
    "transfer_date": N_("the transfer date"),
    "unmapped": N_("unmapped"),
    "month": N_("month"),
    "quarter": N_("quarter"),
    "this licence": N_("this licence"),
    "the accruals changed after the transfer (corrected or late filings)": N_(
        "the accruals changed after the transfer (corrected or late filings)"
    ),
    "a transfer with no accruals recorded for the period": N_(
        "a transfer with no accruals recorded for the period"
    ),
    # the contribution cycle of the bundled agreement (terms/presets, `cycle:`)
    "special fund of the state budget (Budget Code as amended 3 Jul 2025)": N_(
        "special fund of the state budget (Budget Code as amended 3 Jul 2025)"
    ),
    "'by 1 April of the current year', read as the year after the receipts [inference]": N_(
        "'by 1 April of the current year', read as the year after the receipts [inference]"
    ),
    "no date is published; the end of the following year is assumed": N_(
        "no date is published; the end of the following year is assumed"
    ),
}


def term(code: object) -> str:
    """The words for a stored code in the language in force; an unknown code is shown as it
    is, its underscores as spaces."""
    text = "" if code is None else str(code)
    words = WORDS.get(text) or WORDS.get(text.replace(" ", "_"))
    return gettext(words) if words else text.replace("_", " ")
