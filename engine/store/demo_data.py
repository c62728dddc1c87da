"""The fictional demo watch networks: municipalities, staff, partners, stories and texts.

Every name here is invented: 架空県 is a made-up prefecture, みどり市 and あおば町
are its made-up municipalities, and the partner organisations, people and
e-mail domains (``*.example.jp``) do not exist. ``engine.store.demo`` turns
these specs into records by walking each collaboration through the real
services.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.domain.partner import Industry
from engine.domain.users import Role

MonthDay = tuple[int, int]


@dataclass(frozen=True, slots=True)
class NetworkSpec:
    """A watch network and the people on the municipality's side."""

    key: str
    name: str
    municipality: str
    prefecture: str
    approach_reminder_months: int
    approach_escalation_months: int
    signatory: str
    """Who signs memoranda for the municipality."""
    approver: str
    """Who approves renewals."""
    section: str
    staff: tuple[str, ...]
    """Secretariat staff who may be named planners."""


@dataclass(frozen=True, slots=True)
class UserSpec:
    """A demo account."""

    email: str
    name: str
    role: Role
    network: str | None = None
    """The network whose collaborations the user owns (coordinators)."""


@dataclass(frozen=True, slots=True)
class PartnerSpec:
    """A partner organisation; the first contact decides, the second works in the field."""

    key: str
    name: str
    industry: Industry
    area: str
    contacts: tuple[tuple[str, str], ...]
    busy_seasons: tuple[tuple[MonthDay, MonthDay, str], ...] = ()
    note: str = ""
    email_domain: str = ""


@dataclass(frozen=True, slots=True)
class Story:
    """One collaboration's life: the events it went through and how long it sits now.

    ``elapsed`` is the number of days the collaboration has spent in its final
    state before the seeding day; everything before is laid out backwards from
    there. ``terms`` are pilot terms in months per cycle and ``renewal_years``
    renewal terms per cycle (the last value repeats).
    """

    network: str
    partner: str
    path: tuple[str, ...]
    elapsed: int
    terms: tuple[int, ...] = (6,)
    renewal_years: tuple[int, ...] = (1,)
    reason: str = ""
    flags: frozenset[str] = field(default_factory=frozenset)


NETWORKS = (
    NetworkSpec(
        key="midori",
        name="みどり市見守りネットワーク",
        municipality="みどり市",
        prefecture="架空県",
        approach_reminder_months=2,
        approach_escalation_months=3,
        signatory="みどり市長 森本 隆之",
        approver="みどり市 消費生活課長 佐々木 誠",
        section="みどり市 市民生活部 消費生活課",
        staff=("田中 美咲", "中村 翔", "山田 花子"),
    ),
    NetworkSpec(
        key="aoba",
        name="あおば町見守りネットワーク",
        municipality="あおば町",
        prefecture="架空県",
        approach_reminder_months=3,
        approach_escalation_months=3,
        signatory="あおば町長 石井 和夫",
        approver="あおば町 住民課長 大野 恵子",
        section="あおば町 住民課 消費生活係",
        staff=("小林 健太", "吉田 若菜"),
    ),
)

USERS = (
    UserSpec("coordinator@midori.example.jp", "山田 花子", Role.COORDINATOR, "midori"),
    UserSpec("coordinator@aoba.example.jp", "小林 健太", Role.COORDINATOR, "aoba"),
    UserSpec("manager@midori.example.jp", "佐々木 誠", Role.MANAGER),
)

_YEAR_END = ((12, 1), (1, 7), "年賀状・年末年始の配達")
_FISCAL_END = ((3, 1), (3, 31), "年度末の決算業務")

PARTNERS = (
    PartnerSpec(
        "shinkin_midori",
        "架空信用金庫 みどり中央支店",
        Industry.BANK,
        "中央地区",
        (("高橋 修", "支店長"), ("井上 真由美", "お客様サービス課長")),
        (_FISCAL_END, ((6, 10), (6, 20), "年金支給日前後の窓口混雑")),
        "市内に5店舗。年金受給者の来店が多い。",
        "midori-shinkin.example.jp",
    ),
    PartnerSpec(
        "bank_kita",
        "かくう銀行 みどり北支店",
        Industry.BANK,
        "北部地区",
        (("松本 浩二", "支店長"), ("木村 沙織", "窓口係長")),
        (_FISCAL_END, ((9, 20), (9, 30), "中間決算期")),
        "",
        "kakuu-bank.example.jp",
    ),
    PartnerSpec(
        "shinkin_aoba",
        "架空信用金庫 あおば支店",
        Industry.BANK,
        "本町地区",
        (("清水 勝", "支店長"), ("山口 里美", "渉外課長")),
        (_FISCAL_END,),
        "町内唯一の金融機関の店舗。渉外担当が高齢者宅を定期訪問している。",
        "aoba-shinkin.example.jp",
    ),
    PartnerSpec(
        "coop_midori",
        "生活協同組合かくうコープ みどり宅配センター",
        Industry.COOP,
        "中央地区",
        (("林 正人", "センター長"), ("斎藤 由美", "組合員活動担当")),
        (((12, 1), (12, 31), "おせち・年末商品の配送"), ((7, 1), (7, 31), "お中元の配送")),
        "組合員約4,800世帯に週1回の個別配送。",
        "kakuu-coop.example.jp",
    ),
    PartnerSpec(
        "coop_aoba",
        "かくうコープ あおば店",
        Industry.COOP,
        "本町地区",
        (("森 健一", "店長"), ("池田 恵", "地域活動担当")),
        (((12, 15), (12, 31), "年末商戦"),),
        "",
        "aoba.kakuu-coop.example.jp",
    ),
    PartnerSpec(
        "suzuran",
        "移動スーパー すずらん号",
        Industry.SHOPPING_SUPPORT,
        "山間部",
        (("橋本 大輔", "代表"), ("石川 美和", "販売員")),
        (((12, 25), (12, 31), "年末の巡回増便"),),
        "山間部の12集落を軽トラック2台で週2回巡回。",
        "suzuran.example.jp",
    ),
    PartnerSpec(
        "yamabiko",
        "移動販売 やまびこ便",
        Industry.SHOPPING_SUPPORT,
        "西部山間部",
        (("小川 正", "代表"), ("前田 和子", "販売員")),
        (((8, 10), (8, 16), "お盆の帰省需要"),),
        "西部山間部の高齢者世帯を週3回巡回。",
        "yamabiko.example.jp",
    ),
    PartnerSpec(
        "himawari_go",
        "みどり北部移動販売 ひまわり号",
        Industry.SHOPPING_SUPPORT,
        "北部地区",
        (("岡田 隆", "代表"), ("藤田 明美", "販売員")),
        (),
        "",
        "himawari-go.example.jp",
    ),
    PartnerSpec(
        "post_midori",
        "みどり中央郵便局",
        Industry.POST,
        "中央地区",
        (("長谷川 誠一", "局長"), ("村上 拓也", "集配課長")),
        (_YEAR_END,),
        "",
        "midori-post.example.jp",
    ),
    PartnerSpec(
        "post_kita",
        "みどり北郵便局",
        Industry.POST,
        "北部地区",
        (("近藤 茂", "局長"), ("坂本 亜紀", "窓口担当")),
        (_YEAR_END,),
        "",
        "midori-kita-post.example.jp",
    ),
    PartnerSpec(
        "post_aoba",
        "あおば郵便局",
        Industry.POST,
        "本町地区",
        (("遠藤 勉", "局長"), ("青木 智子", "集配担当")),
        (_YEAR_END,),
        "",
        "aoba-post.example.jp",
    ),
    PartnerSpec(
        "unyu_midori",
        "架空運輸 みどり営業所",
        Industry.DELIVERY,
        "南部地区",
        (("西村 剛", "所長"), ("福田 健", "配送主任")),
        (((11, 20), (12, 31), "お歳暮・年末年始の配達"), ((7, 1), (8, 15), "お中元の配達")),
        "",
        "kakuu-unyu.example.jp",
    ),
    PartnerSpec(
        "kodama",
        "こだま宅配便 みどり東センター",
        Industry.DELIVERY,
        "東部地区",
        (("太田 浩", "センター長"), ("三浦 綾", "ドライバー班長")),
        (((11, 20), (1, 10), "お歳暮・年末年始の配達"),),
        "",
        "kodama-takuhai.example.jp",
    ),
    PartnerSpec(
        "tsubame",
        "つばめ急便 あおば営業所",
        Industry.DELIVERY,
        "川辺地区",
        (("藤井 博", "所長"), ("岡本 翔太", "配送担当")),
        (((7, 1), (8, 15), "お中元の配達"), ((12, 1), (12, 31), "お歳暮の配達")),
        "",
        "tsubame-kyubin.example.jp",
    ),
    PartnerSpec(
        "hoken_midori",
        "みどり保険サービス（損害保険代理店）",
        Industry.INSURANCE,
        "中央地区",
        (("中島 康弘", "代表"), ("金子 美穂", "営業担当")),
        (((3, 1), (4, 30), "年度末・新年度の契約更改"),),
        "",
        "midori-hoken.example.jp",
    ),
    PartnerSpec(
        "sukoyaka",
        "すこやか共済 あおば支所",
        Industry.INSURANCE,
        "本町地区",
        (("原田 昌也", "支所長"), ("中野 優子", "推進担当")),
        (_FISCAL_END,),
        "",
        "sukoyaka-kyosai.example.jp",
    ),
    PartnerSpec(
        "machikado",
        "まちかどストア みどり駅前店",
        Industry.CONVENIENCE_STORE,
        "中央地区",
        (("小野 勇気", "オーナー店長"), ("竹内 彩", "副店長")),
        (((12, 20), (1, 5), "年末年始"), ((8, 10), (8, 20), "お盆")),
        "24時間営業。ATMと宅配便の受付あり。",
        "machikado-store.example.jp",
    ),
    PartnerSpec(
        "momiji",
        "デイリーもみじ みどり南部店",
        Industry.CONVENIENCE_STORE,
        "南部地区",
        (("田村 達也", "店長"), ("和田 千尋", "アルバイトリーダー")),
        (),
        "",
        "daily-momiji.example.jp",
    ),
    PartnerSpec(
        "komorebi",
        "こもれびマート あおば川辺店",
        Industry.CONVENIENCE_STORE,
        "川辺地区",
        (("中山 聡", "店長"), ("石田 真理", "副店長")),
        (((12, 1), (1, 5), "年末年始の予約商品受付"),),
        "",
        "komorebi-mart.example.jp",
    ),
    PartnerSpec(
        "midori_kotsu",
        "みどり交通（タクシー）",
        Industry.TRANSPORT,
        "中央地区",
        (("上田 義男", "代表取締役"), ("森田 恵美", "運行管理者")),
        (((12, 1), (12, 31), "忘年会シーズン"),),
        "通院・買い物での高齢者の利用が多い。",
        "midori-kotsu.example.jp",
    ),
    PartnerSpec(
        "aoba_bus",
        "あおば観光バス",
        Industry.TRANSPORT,
        "本町地区",
        (("横山 実", "営業所長"), ("宮崎 拓海", "運転士班長")),
        (((4, 1), (5, 10), "春の行楽シーズン"), ((10, 1), (11, 30), "秋の行楽シーズン")),
        "町の委託で循環バスも運行。",
        "aoba-bus.example.jp",
    ),
    PartnerSpec(
        "gas_midori",
        "架空ガス みどり営業所",
        Industry.UTILITY,
        "東部地区",
        (("内田 伸也", "所長"), ("高木 洋子", "保安点検担当")),
        (((12, 1), (2, 28), "冬季の需要期"),),
        "",
        "kakuu-gas.example.jp",
    ),
    PartnerSpec(
        "denryoku_aoba",
        "かくう電力 あおばサービスセンター",
        Industry.UTILITY,
        "高原地区",
        (("安藤 正樹", "センター長"), ("野口 明日香", "お客さま担当")),
        (((7, 15), (8, 31), "夏季の需要期"),),
        "",
        "kakuu-denryoku.example.jp",
    ),
    PartnerSpec(
        "shinbun_midori",
        "架空新聞 みどり中央販売所",
        Industry.NEWSPAPER,
        "中央地区",
        (("菅原 隆史", "所長"), ("久保 拓郎", "配達員リーダー")),
        (((12, 25), (1, 5), "年末年始の特別号配達"),),
        "朝刊約3,200部。月末に集金で各戸を訪問。",
        "kakuu-shinbun.example.jp",
    ),
    PartnerSpec(
        "shinbun_aoba",
        "あおば新聞店",
        Industry.NEWSPAPER,
        "本町地区",
        (("松田 栄一", "店主"), ("杉山 直子", "集金担当")),
        (((12, 25), (1, 5), "年末年始の特別号配達"),),
        "",
        "aoba-shinbun.example.jp",
    ),
    PartnerSpec(
        "yakkyoku_midori",
        "みどり南薬局",
        Industry.PHARMACY,
        "南部地区",
        (("野村 和也", "管理薬剤師"), ("千葉 由紀", "薬剤師")),
        (((2, 1), (3, 31), "花粉症の繁忙期"),),
        "",
        "midori-minami-ph.example.jp",
    ),
    PartnerSpec(
        "chozai_aoba",
        "あおば調剤薬局",
        Industry.PHARMACY,
        "川辺地区",
        (("岩崎 健司", "薬局長"), ("桜井 美咲", "薬剤師")),
        (((12, 1), (2, 28), "インフルエンザ流行期"),),
        "",
        "aoba-chozai.example.jp",
    ),
    PartnerSpec(
        "denki_midori",
        "みどり電器商会",
        Industry.OTHER,
        "北部地区",
        (("大塚 一夫", "店主"), ("大塚 浩平", "専務")),
        (),
        "家電の修理・設置で高齢者宅を訪問する地域の電器店。",
        "midori-denki.example.jp",
    ),
    PartnerSpec(
        "seimei",
        "架空生命保険 架空県支社",
        Industry.INSURANCE,
        "架空県全域",
        (("酒井 俊介", "支社長"), ("工藤 美由紀", "地域貢献推進担当")),
        (((3, 1), (4, 15), "年度末・新年度"),),
        "県内の営業職員約300名が契約者宅を訪問。",
        "kakuu-seimei.example.jp",
    ),
    PartnerSpec(
        "taxi_kyokai",
        "架空県タクシー協会",
        Industry.TRANSPORT,
        "架空県全域",
        (("吉川 守", "専務理事"), ("関 勇人", "事務局長")),
        (((12, 1), (12, 31), "忘年会シーズン"),),
        "県内のタクシー事業者18社が加盟。",
        "kakuu-taxi.example.jp",
    ),
)

MAIN_PATH = ("approach", "sign_memo", "start_planning", "start_pilot", "evaluate", "renew")
"""The events of the guidebook's four stages, in order."""


def upto(event: str) -> tuple[str, ...]:
    """The main path up to and including ``event``."""
    return MAIN_PATH[: MAIN_PATH.index(event) + 1]


DECLINED_HQ = "先方が辞退：本社の方針で自治体との個別の協定は当面見送るとのこと。"
DECLINED_STAFF = "先方が辞退：運転士不足で乗務員研修の時間を確保できないため。"
BUSY_DELIVERY = (
    "繁忙期で継続困難：お歳暮・年末年始の配達と重なり協議の時間が取れないため、いったん中断。"
)
BUSY_CONVENIENCE = (
    "繁忙期で継続困難：年末年始の予約商品の受付と重なるため、春以降に改めて検討したいとの申し出。"
)
TRANSFER = "担当者の異動で後任が決まらず、試行の継続が困難となったため。"

STORIES = (
    # みどり市
    Story(
        "midori",
        "shinkin_midori",
        (*MAIN_PATH, "next_cycle", "start_pilot", "evaluate", "renew"),
        elapsed=150,
        terms=(12, 12),
        renewal_years=(1, 2),
    ),
    Story("midori", "bank_kita", upto("start_pilot"), elapsed=60, terms=(12,)),
    Story(
        "midori",
        "coop_midori",
        (*upto("evaluate"), "revise_plan", "start_pilot", "evaluate"),
        elapsed=20,
        terms=(6, 6),
    ),
    Story("midori", "suzuran", MAIN_PATH, elapsed=340, terms=(6,), renewal_years=(1,)),
    Story("midori", "himawari_go", upto("approach"), elapsed=105),
    Story("midori", "post_midori", MAIN_PATH, elapsed=200, terms=(12,), renewal_years=(2,)),
    Story("midori", "post_kita", (), elapsed=12, flags=frozenset({"draft_scorecard"})),
    Story(
        "midori",
        "unyu_midori",
        (*upto("start_planning"), "withdraw"),
        elapsed=60,
        reason=BUSY_DELIVERY,
    ),
    Story("midori", "kodama", upto("approach"), elapsed=20),
    Story("midori", "hoken_midori", upto("sign_memo"), elapsed=25),
    Story("midori", "machikado", upto("start_pilot"), elapsed=125, terms=(6,)),
    Story("midori", "momiji", ("withdraw",), elapsed=200, reason=DECLINED_HQ),
    Story(
        "midori",
        "midori_kotsu",
        upto("start_planning"),
        elapsed=40,
        flags=frozenset({"upcoming_meeting"}),
    ),
    Story("midori", "gas_midori", upto("evaluate"), elapsed=12, terms=(9,)),
    Story("midori", "shinbun_midori", upto("start_pilot"), elapsed=178, terms=(9,)),
    Story("midori", "yakkyoku_midori", upto("sign_memo"), elapsed=8),
    Story("midori", "denki_midori", (), elapsed=5, flags=frozenset({"no_scorecard"})),
    Story("midori", "seimei", upto("start_pilot"), elapsed=290, terms=(12,)),
    Story("midori", "taxi_kyokai", upto("approach"), elapsed=10),
    # あおば町
    Story("aoba", "shinkin_aoba", upto("sign_memo"), elapsed=45),
    Story("aoba", "coop_aoba", upto("start_planning"), elapsed=35),
    Story("aoba", "yamabiko", upto("start_pilot"), elapsed=240, terms=(12,)),
    Story(
        "aoba",
        "post_aoba",
        upto("evaluate"),
        elapsed=30,
        terms=(6,),
        flags=frozenset({"renewal_draft"}),
    ),
    Story("aoba", "tsubame", upto("approach"), elapsed=80),
    Story("aoba", "sukoyaka", (), elapsed=18),
    Story(
        "aoba",
        "komorebi",
        ("approach", "withdraw", "reopen"),
        elapsed=10,
        reason=BUSY_CONVENIENCE,
    ),
    Story("aoba", "aoba_bus", ("approach", "withdraw"), elapsed=90, reason=DECLINED_STAFF),
    Story("aoba", "denryoku_aoba", upto("start_planning"), elapsed=8),
    Story("aoba", "shinbun_aoba", MAIN_PATH, elapsed=372, terms=(6,), renewal_years=(1,)),
    Story(
        "aoba",
        "chozai_aoba",
        upto("approach"),
        elapsed=45,
        flags=frozenset({"memo_draft"}),
    ),
    Story(
        "aoba",
        "seimei",
        (*upto("start_pilot"), "withdraw"),
        elapsed=45,
        terms=(12,),
        reason=TRANSFER,
    ),
    Story(
        "aoba",
        "taxi_kyokai",
        upto("start_planning"),
        elapsed=75,
        terms=(12,),
        flags=frozenset({"plan_ready"}),
    ),
)


# --- Texts -------------------------------------------------------------------------


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

PARTNER_BENEFITS = (
    "地域貢献活動の実績として市の広報紙・ホームページで紹介される。"
    "顧客からの信頼が高まり、従業員が消費者トラブルへの対応を学べる。",
    "見守り協力事業者としてステッカーを掲示でき、地域での認知と信頼が高まる。"
    "従業員研修を無償で受けられる。",
    "地域貢献の取組として社内外に示せる。高齢の顧客とのトラブルを未然に防げる。",
)
MUNICIPALITY_BENEFITS = (
    "日常的に高齢者と接する{scene}の場面で被害の兆しに早く気付ける。"
    "消費生活センターへの相談につながる経路が増える。",
    "行政だけでは届かない世帯にも見守りの目が届く。{scene}を通じた啓発で被害の未然防止につながる。",
)
MUNICIPALITY_ROLES = (
    "従業員向け研修（年2回）の実施、啓発チラシ・ステッカーの提供、"
    "つないだ相談への対応と結果のフィードバック。",
    "研修講師の派遣と教材の提供、報告を受けた事案への対応、四半期ごとの情報共有。",
)
PARTNER_BURDENS = (
    "研修受講（1回60分）と月1回の件数報告（名札のQRコードから報告フォームに入力）。"
    "声掛けは通常業務の範囲内で無理なく行う。",
    "四半期ごとの件数報告と年1回の研修受講。繁忙期は報告を翌月にまとめてよい。",
)
MUNICIPALITY_BURDENS = (
    "研修講師の派遣、チラシ・ステッカーの印刷費（年間約{cost}万円）、報告の確認と事業者への連絡。",
    "担当職員による報告の確認（週1回）と事業者への連絡、啓発物品の作成（年間約{cost}万円）。",
)

CONSULTATIONS = (
    (
        "第{n}回 実務者協議：顔合わせと連携の進め方",
        "双方の担当者の紹介、見守りネットワークの概要説明、{scene}の業務の流れの共有",
        "見守りネットワークの目的と個人情報の取扱いを説明した。先方から{scene}で"
        "気になる高齢者に出会うことは多いが、どこに連絡すればよいか分からなかったとの話があった。",
        "2週間に1回を目安に協議を行う。次回までに先方で声掛けが可能な場面を洗い出す。",
    ),
    (
        "第{n}回 実務者協議：声掛けの場面と役割分担",
        "声掛けの場面の整理、役割分担、現場の負担の確認",
        "先方が洗い出した場面をもとに、声掛けの場面を3つに絞った。"
        "現場からは業務時間内に収まる範囲にしたいとの意見があった。",
        "声掛けは通常業務の範囲内とし、深追いはしない。気になる場合は報告のみとする。",
    ),
    (
        "第{n}回 実務者協議：報告の方法",
        "報告の基準（繰り返しのトラブル、認知症の疑い、独居など）、報告フォームとQRコード付き名札",
        "報告の基準を確認し、名札のQRコードから報告フォームを試しに入力した。"
        "入力は1分程度で済むことを確認した。",
        "報告はQRコードの報告フォームで行う。緊急時は消費生活センターに電話する。",
    ),
    (
        "第{n}回 実務者協議：KPIと評価時期",
        "KPIと目標値、評価の時期と方法",
        "声掛けの件数とつなぎ件数を指標にすることで合意した。目標値は過去の相談件数から試算した。",
        "KPIと目標値を計画案に反映する。中間評価を3か月ごとに行う。",
    ),
    (
        "第{n}回 実務者協議：研修と試行開始の確認",
        "従業員研修の内容と日程、試行の開始日、計画案の最終確認",
        "研修資料の案を確認した。試行開始日と研修日程を決めた。",
        "計画案を確定し、双方の決裁を経て試行を開始する。",
    ),
    (
        "第{n}回 実務者協議：計画案の最終確認",
        "計画案の読み合わせ、試行中の連絡体制",
        "計画案を読み合わせ、細かな文言を修正した。試行中の連絡窓口を双方で確認した。",
        "修正した計画案で合意。",
    ),
)
NEXT_CYCLE_CONSULTATIONS = (
    (
        "第{n}回 実務者協議：前期の振り返りと計画の見直し",
        "前期の実績と評価、見直す点の確認",
        "前期の実績を共有し、報告様式の簡略化と目標値の見直しについて意見交換した。",
        "目標値を前期実績に合わせて見直す。報告は月1回にまとめる。",
    ),
    (
        "第{n}回 実務者協議：今期の目標と研修日程",
        "今期の目標値、研修日程、新任職員への周知",
        "今期の目標値と研修日程を決めた。新任職員向けに短い動画教材を用意することにした。",
        "見直した計画案で今期の取組を開始する。",
    ),
    (
        "第{n}回 実務者協議：計画案の確認",
        "見直した計画案の確認",
        "見直した計画案を確認した。",
        "計画案で合意。",
    ),
)

WENT_WELL = (
    "{scene}での声掛けから還付金詐欺の被害を{cases}件未然に防いだ。"
    "従業員から「気になる方に声を掛けやすくなった」との声があった。",
    "報告がきっかけで定期購入トラブルの相談が{cases}件消費生活センターにつながった。"
    "利用者から「声を掛けてもらって安心した」との声が寄せられた。",
    "研修を受けた従業員の多くが報告の基準を理解し、報告フォームも定着した。"
    "つないだ相談{cases}件のうち大半が解決した。",
)
TO_IMPROVE = (
    "繁忙期には報告が滞った。報告の頻度を見直し、繁忙期はまとめて報告できるようにする。",
    "新任職員への周知が追いつかなかった。短時間の研修教材を用意する。",
    "報告後の結果が現場に伝わらず、意欲の維持が課題。つないだ結果を月1回フィードバックする。",
)

SCORE_OVERVIEW = (
    "地域に根差した事業者で経営は安定している。",
    "市内での営業年数が長く、高齢の顧客が多い。",
    "事業規模は小さいが、地域の信頼が厚い。",
)
SCORE_MANAGEMENT = (
    "{head}は地域貢献に前向きで、協定締結に関心がある。",
    "{head}は趣旨に賛同しているが、本社の判断が必要とのこと。",
    "{head}は現場の負担を気にしており、慎重な姿勢。",
)
SCORE_FIELD = (
    "{scene}で高齢者と話す機会が多く、現場の関心は高い。",
    "現場の職員は協力的だが、業務量が多く時間の確保が課題。",
    "以前から気になる高齢者の話が現場で出ていた。",
)

MEASUREMENT_NOTES = (
    "月次報告の集計",
    "報告フォームの集計",
    "先方からの報告による",
    "",
)
