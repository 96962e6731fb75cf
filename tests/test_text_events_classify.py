"""Event types of sentences: strong cues, weak cues with a violence verb, no type."""

from __future__ import annotations

import pytest

from geomap.text.events import classify


@pytest.mark.parametrize(
    "sentence, sub",
    [
        ("Russian airstrikes hit parts of Syria.", "Air/drone strike"),
        ("Jets pounded the town overnight.", "Air/drone strike"),
        ("A drone strike killed two men.", "Air/drone strike"),
        ("Government forces shelled the district.", "Shelling/artillery/missile attack"),
        ("Rockets hit the market.", "Shelling/artillery/missile attack"),
        ("A roadside bomb exploded near the convoy.", "Remote explosive/landmine/IED"),
        ("A suicide bomber blew himself up at a checkpoint.", "Suicide bomb"),
        ("Rebels clashed with the army near the airport.", "Armed clash"),
        ("Gunmen killed four villagers.", "Attack"),
        ("Thousands of protesters marched in the capital.", "Peaceful protest"),
        ("Rioters torched cars.", "Violent demonstration"),
        ("Bombings in Istanbul killed 44 people.", "Remote explosive/landmine/IED"),
        ("Bombing raids by warplanes killed 4.", "Air/drone strike"),
        ("Three people were wounded in the attack.", "Attack"),
        ("Police arrested 20 activists.", "Arrests"),
        ("The ceasefire held for a second day.", "Agreement"),
    ],
)
def test_classify(sentence, sub):
    assert classify(sentence)[1] == sub


@pytest.mark.parametrize(
    "sentence",
    [
        "Lavrov spoke at the Security Council.",
        "Planes were seen in the sky.",
        "We would welcome talks.",
        "He was a member of Ankara's riot police squad.",
        "A gas explosion at a noodle shop has killed two.",
    ],
)
def test_classify_nothing(sentence):
    assert classify(sentence) is None


@pytest.mark.parametrize(
    "sentence, event_type, sub",
    [
        # a suicide bomber stopped before the blast: the fight with him is the event
        ("On 7 May 2021, Iraqi troops killed 2 suicide bombers near Tikrit.", "Battles",
         "Armed clash"),
        ("Police arrested a would-be suicide bomber in Kano.", "Strategic developments",
         "Arrests"),
        ("A suicide bomber killed 5 soldiers in Kabul.", "Explosions/Remote violence",
         "Suicide bomb"),
        # an ambush is a battle only when the ambushed are armed
        ("Gunmen ambushed and killed four farmers near Jos.", "Violence against civilians",
         "Attack"),
        ("Gunmen ambushed a police patrol near Jos.", "Battles", "Armed clash"),
        # a former or off-duty soldier is a civilian; a militia member or a check point is armed
        ("A former soldier was shot dead by gunmen in Herat.", "Violence against civilians",
         "Attack"),
        ("An off-duty police officer was shot dead by gunmen in Herat.",
         "Violence against civilians", "Attack"),
        ("A militia member was killed in an attack by gunmen on a check point.", "Battles",
         "Armed clash"),
        ("12 rebel fighters were reported killed, including a local leader.", "Battles",
         "Armed clash"),
        # present-tense air raids, encounters and fights with armed men
        ("The air force launches strikes on rebel camps, killing 15.",
         "Explosions/Remote violence", "Air/drone strike"),
        ("Soldiers encountered Boko Haram fighters near Bama and killed two.", "Battles",
         "Armed clash"),
        ("Rebels fight with a rival faction near Bor, killing 5.", "Battles", "Armed clash"),
    ],
)  # fmt: skip
def test_classify_by_who_was_hit(sentence, event_type, sub):
    assert classify(sentence)[:2] == (event_type, sub)


@pytest.mark.parametrize(
    "sentence, sub",
    [
        # headline tense and active wounding
        ("Unknown men on motorbikes kill a trader in Nyala.", "Attack"),
        ("Bandits hijack a bus and shoot the driver dead.", "Attack"),
        ("Raiders injure a herder near the wells.", "Attack"),
        ("Unknown attackers wounded three civilians on the road to Bor.", "Attack"),
        ("Soldiers fired rubber bullets at farmers near the fence.", "Attack"),
        ("A stray bullet hit and injured a girl in her home.", "Attack"),
        ("Six men were shot by police at a market.", "Attack"),
        ("Two gunmen walked up and started shooting.", "Attack"),
        ("The group detonates an explosive at a bar.", "Remote explosive/landmine/IED"),
        ("The army launched a new offensive against rebel bases.", "Armed clash"),
    ],
)
def test_classify_headline_tense_and_plain_outcomes(sentence, sub):
    assert classify(sentence)[1] == sub


@pytest.mark.parametrize(
    "sentence",
    [
        "The army plans to launch an offensive against the rebels next month.",
        "Troops fired warning shots into the air.",
        "Ministers will kill the bill.",
        "Doctors treated the injured at the clinic.",
    ],
)
def test_classify_traps_of_the_headline_tense(sentence):
    assert classify(sentence) is None


@pytest.mark.parametrize(
    "sentence, typed",
    [
        # counted bursts: the search runs only when "involving" is in the folded sentence
        ("Observed 25 projectiles INVOLVING unknown weapons.",
         ("Explosions/Remote violence", "Shelling/artillery/missile attack",
          "projectiles INVOLVING")),
        ("Observed 12 shots involving small arms.", ("Battles", "Armed clash", "shots involving")),
        # a weak cue counts only with a violence verb, found once for the remote and attack cues
        ("Rockets struck the base.",
         ("Explosions/Remote violence", "Shelling/artillery/missile attack", "Rockets … struck")),
        ("Explosions were reported across the city.",
         ("Explosions/Remote violence", "Remote explosive/landmine/IED",
          "Explosions … reported")),
        ("Gunfire killed a boy.", ("Violence against civilians", "Attack", "killed")),
        ("The gunfire hit a boy.", ("Violence against civilians", "Attack", "gunfire … hit")),
        ("Heavy gunfire was heard near the bridge.", None),
        ("Rockets were displayed at the parade.", None),
    ],
)
def test_weak_cues_and_counted_bursts(sentence, typed):
    assert classify(sentence) == typed
