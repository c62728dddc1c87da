"""How each kind of partner takes part in a watch network, in the demo's words."""

from __future__ import annotations

from dataclasses import dataclass

from engine.domain.partner import Industry


@dataclass(frozen=True, slots=True)
class IndustryText:
    """How a kind of partner meets residents, what it does in the plan, what it counts."""

    scene: str
    role: str
    kpis: tuple[tuple[str, str, float], ...]
    """(name, unit, expected count per month)."""


_CONNECTED = ("消費生活センターへのつなぎ件数", "件", 0.6)
_LEAFLETS = ("チラシ配布枚数", "枚", 60.0)

INDUSTRY_TEXTS = {
    Industry.BANK: IndustryText(
        "窓口・ATM",
        "窓口・ATMで高額の引き出しや振込をする高齢者への声掛け、"
        "不審な依頼があった場合の消費生活センター・警察への連絡",
        (("高額引き出し時の声掛け件数", "件", 10.0), _CONNECTED, _LEAFLETS),
    ),
    Industry.COOP: IndustryText(
        "個別配送",
        "配送時の声掛けと様子の変化の報告、組合員向け機関紙への啓発記事の掲載",
        (("配送時の声掛け人数", "人", 40.0), _LEAFLETS, _CONNECTED),
    ),
    Industry.SHOPPING_SUPPORT: IndustryText(
        "移動販売の巡回",
        "巡回先での声掛け、訪問販売や点検商法の話題が出た際の相談窓口の案内、気になる利用者の報告",
        (("声掛け人数", "人", 30.0), ("気になる利用者の報告件数", "件", 1.0), _LEAFLETS),
    ),
    Industry.POST: IndustryText(
        "郵便の配達や窓口",
        "配達時・窓口での声掛け、郵便受けの滞留など異変の報告、局内での啓発ポスター掲示",
        (("配達時の異変報告件数", "件", 1.0), ("声掛け人数", "人", 25.0), _LEAFLETS),
    ),
    Industry.DELIVERY: IndustryText(
        "宅配便の配達",
        "配達時の声掛け、不審な代引き荷物や定期購入の荷物が続く世帯の報告",
        (("配達時の異変報告件数", "件", 1.0), ("声掛け人数", "人", 20.0)),
    ),
    Industry.INSURANCE: IndustryText(
        "契約者宅への訪問",
        "訪問時の声掛けと啓発チラシの手渡し、契約者からの相談の消費生活センターへの案内",
        (("訪問時の声掛け件数", "件", 35.0), ("営業職員の研修受講者数", "人", 4.0), _CONNECTED),
    ),
    Industry.CONVENIENCE_STORE: IndustryText(
        "店頭の接客",
        "電子マネー購入や高額の振込をする高齢者への声掛け、見守りステッカーの掲示",
        (("電子マネー購入時の声掛け件数", "件", 6.0), ("声掛け人数", "人", 15.0)),
    ),
    Industry.TRANSPORT: IndustryText(
        "乗車中",
        "乗車中の会話で気になる話があった場合の報告、車内への啓発ステッカー掲示",
        (("乗務員の研修受講者数", "人", 5.0), ("気になる乗客の報告件数", "件", 0.8)),
    ),
    Industry.UTILITY: IndustryText(
        "検針・保安点検",
        "点検時の声掛け、不審な点検業者の訪問の話があった場合の報告",
        (("点検時の声掛け件数", "件", 45.0), _LEAFLETS, _CONNECTED),
    ),
    Industry.NEWSPAPER: IndustryText(
        "新聞の配達や集金",
        "新聞の溜まりなど異変の報告、集金時の声掛けと啓発チラシの折り込み",
        (("集金時の声掛け人数", "人", 50.0), ("チラシ折り込み部数", "部", 800.0), _CONNECTED),
    ),
    Industry.PHARMACY: IndustryText(
        "服薬指導や健康相談",
        "服薬相談の際の声掛け、健康食品の定期購入などの相談の消費生活センターへの案内",
        (("相談時の声掛け人数", "人", 20.0), _CONNECTED),
    ),
    Industry.OTHER: IndustryText(
        "修理・設置の訪問",
        "訪問時の声掛け、不要な工事や高額な契約の話があった場合の報告",
        (("訪問時の声掛け件数", "件", 10.0), _CONNECTED),
    ),
}
