"""The cue words of each ACLED event type (:data:`TYPE_RULES`), most specific first."""

from __future__ import annotations

import re

from geomap.text.wordstart import guarded

EXPLOSIONS = "Explosions/Remote violence"
VAC = "Violence against civilians"

#: (event_type, sub_event_type, strong cue, weak cue needing a violence verb); the first rule
#: whose cue a sentence holds gives its type (see :func:`geomap.text.events.classify`)
TYPE_RULES: tuple[tuple[str, str, str, str], ...] = (
    (
        EXPLOSIONS,
        "Suicide bomb",
        r"\bsuicide\s+(?:car\s+|truck\s+)?(?:bomb\w*|attack\w*|vests?|belts?)|"
        r"\bblew\s+(?:himself|herself|themselves)\s+up",
        "",
    ),
    (
        EXPLOSIONS,
        "Remote explosive/landmine/IED",
        r"\b(?:IEDs?|VBIEDs?|RCIEDs?|improvised\s+explosive|roadside\s+bombs?|land\s*mines?|mines?\s+"
        r"(?:exploded|blast|explosion)|car\s+bombs?|booby[- ]trap\w*|explosive\s+devices?|"
        r"bomb\s+(?:exploded|went\s+off|blast|detonated|attached|planted|hidden)|"
        r"bombs?\s+(?:blast|explosion)s?|unexploded\s+(?:ordnance|ordinance|shells?|devices?|bombs?)|"
        r"(?:planted|plants?|detonated|detonates?|hurled|threw)\s+(?:a\s+|an\s+)?(?:bomb|explosives?)|"
        r"using\s+explosives|"
        r"magnetic\s+bombs?|sticky\s+bombs?|an?\s+(?:huge\s+|large\s+|powerful\s+)?explosion|"
        r"explosion\s+of\s+an?\s+(?:IED|bomb|mine|explosive))\b",
        r"\b(?:bombs?|bombings?|blasts?|explosions?|explosives?|detonated|exploded)\b",
    ),
    (
        EXPLOSIONS,
        "Air/drone strike",
        r"\b(?:air\s*strikes?|air\s*raids?|aerial\s+(?:bombardment|bombing|attacks?|strikes?)|"
        r"drone\s+(?:strikes?|attacks?)|barrel\s+bombs?|bombing\s+raids?|air\s+attacks?|"
        r"air\s+forces?\s+(?:strikes?|struck|conduct(?:s|ed)?|target(?:s|ed)?|launch(?:es|ed)?|"
        r"attack(?:s|ed)?|bomb(?:s|ed)?|hits?|carried\s+out|carry\s+out|carries\s+out)|(?:warplanes?|fighter\s+jets|drones?|helicopter\s+gunships?)\s+"
        r"(?:targeted|bombed|struck|hit|attacked|pounded|fired|carried\s+out|conducted))\b",
        r"\b(?:jets|warplanes|war\s+planes|planes|aircraft|helicopters?|gunships|drones?|bombers)\b",
    ),
    (
        EXPLOSIONS,
        "Shelling/artillery/missile attack",
        r"\b(?:shelling|shelled|artillery\s+(?:fire|strikes?|attacks?|shells?|rounds?)|"
        r"mortars?\s+(?:fire|rounds?|attacks?|shells?|bombs?)|rocket\s+(?:fire|attacks?)|"
        r"missiles?\s+(?:strikes?|attacks?)|shells?\s+(?:hit|landed|fell|struck|fired)|"
        r"fired\s+(?:[\w.-]+\s+){0,3}(?:mortars?|shells|rockets?|missiles?|artillery|projectiles|"
        r"grenade\s+launchers?|RPGs?)|rocket[- ]propelled\s+grenades?|RPGs?|ATGMs?|"
        r"anti[- ]tank\s+(?:missiles?|guided)|grenade\s+launchers?|anti[- ]aircraft\s+guns?|"
        r"heavy\s+weapons|tank\s+fire)\b",
        r"\b(?:artillery|mortars?|rockets?|missiles?|shells|projectiles)\b",
    ),
    (
        EXPLOSIONS,
        "Grenade",
        r"\b(?:(?:threw|hurled|lobbed|tossed|throwing|hurling)\s+(?:a\s+|an\s+)?(?:hand\s+)?"
        r"grenades?|grenade\s+(?:attack|explosion|blast)s?|hand\s+grenades?)\b",
        r"\bgrenades?\b",
    ),
    (
        "Battles",
        "Armed clash",
        r"\b(?:clash(?:es|ed|ing)?|gun\s*battles?|gun\s*fights?|fire\s*fights?|"
        r"exchang\w*\s+(?:of\s+)?(?:heavy\s+)?(?:fire|gunfire|shots)|shoot-?outs?|skirmish(?:es)?|"
        r"fighting\s+(?:between|erupted|broke\s+out|continued|raged)|heavy\s+fighting|"
        r"fought\s+(?:with|against|off)|ambush(?:ed|es)?|engaged\s+(?:in\s+)?(?:an?\s+)?"
        r"(?:armed\s+)?(?:clash|fire\s*fight|battle|combat|fighting|gunfight)|"
        r"encounter(?:ed)?\s+(?:with|between)|(?:had|in)\s+an\s+encounter|"
        r"encounter(?:ed|s)?\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:militants|insurgents|"
        r"rebels|fighters|gunmen|bandits|armed\s+(?:group|men)|members\s+of)|"
        r"fights?\s+(?:with|against)\s+(?:an?\s+|the\s+)?(?:rival|faction|militants|rebels|"
        r"militias?|insurgents|troops|soldiers|police|army)|battle\s+involving|"
        r"repell?ed\s+(?:an?\s+|the\s+|their\s+)?(?:\w+\s+)?attacks?|"
        r"repuls\w+\s+(?:an?\s+|the\s+|their\s+)?(?:\w+\s+)?attacks?|overran|"
        r"battles?\s+(?:between|with|for|against)|armed\s+confrontation|crossfire|"
        r"fired\s+(?:with\s+[\w\s]+?\s+)?(?:on|at)\s+(?:the\s+)?positions|"
        r"launch(?:ed|es)?\s+(?:an?\s+|the\s+)?(?:new\s+|fresh\s+|major\s+|military\s+|ground\s+)?"
        r"(?:offensive|assault)\s+(?:on|against))\b",
        "",
    ),
    (
        VAC,
        "Abduction/forced disappearance",
        r"\b(?:abducted|kidnapped|abduction|kidnapping|abducting|kidnap|abduct|taken\s+hostage|"
        r"held\s+hostage|took\s+\w+\s+hostage|forcibly\s+disappeared)\b",
        "",
    ),
    (
        VAC,
        "Sexual violence",
        r"\b(?:raped|rape|raping|sexually\s+(?:assaulted|abused)|sexual\s+(?:violence|assault))\b",
        "",
    ),
    (
        "Riots",
        "Violent demonstration",
        r"\b(?:riots?(?!\s+(?:police|gear|squads?|control|shields?|units?|officers))|rioters|rioting|"
        r"(?:protesters|demonstrators)\s+(?:threw|torched|set\s+fire|clashed))\b",
        "",
    ),
    (
        VAC,
        "Attack",
        r"\b(?:shot\s+dead|shot\s+and\s+(?:killed|injured|wounded)|shot\s+to\s+death|"
        r"opened\s+fire|fired\s+(?:at|on|upon|into)|firing\s+(?:at|on)|stabbed|executed|"
        r"massacred?|beheaded|lynched|assassinated|gunmen\s+(?:killed|attacked|stormed)|"
        r"(?:beat|beaten|beating|hacked|stoned|clubbed|burned|burnt)\s+(?:\w+\s+){0,4}?to\s+death|"
        r"tortured|drive-by|shot\s+(?:at|an?|the|two|three|several|\d+)|attacked|assaulted|"
        r"raided|killed|kil+ed|murdered|torched|burn(?:ed|t)\s+down|set\s+(?:fire|ablaze)|"
        r"looted|stormed|beat\s+up|beaten|beat|whipped|flogged|hacked|shooting\s+at|"
        r"mutilated|lynching|gunned\s+down|shot\s+by|(?:started|began)\s+(?:shooting|firing)|"
        r"fired\s+(?:rubber\s+bullets|live\s+(?:rounds|ammunition|bullets)|bullets|shots|arrows)\s+"
        r"(?:at|on|upon)\b|(?:hit|struck)\s+and\s+(?:injured|wounded|killed)|"
        # headline tense: "gunmen kill a trader", "armed men shoot the driver dead"
        r"(?:kill|kills|shoot|shoots|injure|injures|execute|executes|behead|beheads)\s+"
        r"(?:an?|the|his|her|their|two|three|four|five|six|seven|eight|nine|ten|\d+|several|"
        r"civilians|passengers|people|villagers|residents|members?)|"
        r"(?:wounded|injured|wounding|injuring)\s+(?:an?|two|three|four|five|six|seven|eight|nine|ten|"
        r"\d+|several)\s+(?:[\w-]+\s+){0,3}?(?:civilians|people|villagers|residents|men|women|"
        r"children|passengers|persons))\b",
        r"\b(?:shootings?|gunfire|gunshots?|attacks?|assaults?|violence|shots|shot|raids?)\b",
    ),
    (
        "Protests",
        "Peaceful protest",
        r"\b(?:protests?|protesters|protested|demonstrations?|demonstrators|rallies|rallied|sit-ins?)\b",
        "",
    ),
    ("Strategic developments", "Arrests", r"\b(?:arrested|detained|rounded\s+up)\b", ""),
    (
        "Strategic developments",
        "Agreement",
        r"\b(?:ceasefire|cease-fire|truce|peace\s+(?:deal|agreement)|signed\s+an?\s+agreement)\b",
        "",
    ),
)

#: words of each rule's cues, one of which every match holds (a rule's regexes run only when
#: one is present): mostly the words a cue starts with, else a word it needs ("offensive" for
#: "launched an offensive against")
TRIGGERS: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (frozenset(strong.split()), frozenset(weak.split()))
    for strong, weak in (
        ("suicide blew", ""),
        (
            "ied ieds vbied vbieds rcied rcieds improvised roadside landmine landmines land mine "
            "mines car booby explosive bomb bombs unexploded planted detonated hurled threw using "
            "magnetic sticky explosion explosives",
            "bomb bombs bombing bombings blast blasts explosion explosions explosive explosives "
            "detonated exploded",
        ),
        (
            "air airstrike airstrikes airraid airraids aerial drone barrel bombing warplane "
            "warplanes fighter drones helicopter",
            "jets warplanes war planes aircraft helicopter helicopters gunships drones drone "
            "bombers",
        ),
        (
            "shelling shelled artillery mortar mortars rocket missile missiles shells shell fired "
            "rpg rpgs atgm atgms anti grenade heavy tank",
            "artillery mortar mortars rocket rockets missile missiles shells projectiles",
        ),
        ("threw hurled lobbed tossed throwing hurling grenade hand", "grenade grenades"),
        (
            "clash clashes clashed clashing gun gunbattle gunbattles gunfight gunfights fire "
            "firefight firefights exchange exchanged exchanging shoot shootout shootouts "
            "skirmish skirmishes fighting heavy fought ambush ambushed ambushes engaged "
            "encounter encountered encounters fights fight repelled repeled repulsed repulsing "
            "overran battle battles armed crossfire fired offensive assault",
            "",
        ),
        (
            "abducted kidnapped abduction kidnapping abducting kidnap abduct taken held took "
            "forcibly",
            "",
        ),
        ("raped rape raping sexually sexual", ""),
        ("riot riots rioters rioting protesters demonstrators", ""),
        (
            "shot opened fired firing stabbed executed massacre massacred beheaded lynched "
            "assassinated gunmen beat beaten beating hacked stoned clubbed burned burnt tortured "
            "drive attacked assaulted raided killed kiled killled murdered torched set looted "
            "stormed whipped flogged shooting mutilated lynching gunned kill kills shoot shoots "
            "injure injures execute executes behead beheads wounded injured wounding injuring",
            "shooting shootings gunfire gunshot gunshots attack attacks assault assaults violence "
            "shots shot raid raids",
        ),
        (
            "protest protests protesters protested demonstration demonstrations demonstrators "
            "rallies rallied sit",
            "",
        ),
        ("arrested detained rounded", ""),
        ("ceasefire cease truce peace signed", ""),
    )
)
assert len(TRIGGERS) == len(TYPE_RULES)
# guarded: the same matches, found faster (see geomap.text.wordstart.guarded)
STRONG_RES = tuple(guarded(r[2], re.I) for r in TYPE_RULES)
WEAK_RES = tuple(guarded(r[3], re.I) if r[3] else None for r in TYPE_RULES)
VIOLENCE_RE = guarded(
    r"\b(?:hit|hits|struck|strikes?|targeted|targeting|bombed|bombing|bombard\w*|raids?|pounded|"
    r"shelled|attacked|kil+ed|killing|wounded|injured|injuring|wounding|destroyed|fired|firing|"
    r"launched|dropped|died|dead|exploded|detonated|went\s+off|damaged|reported|occurred|"
    r"took\s+place|carried\s+out|conducted|claimed)\b",
    re.I,
)
