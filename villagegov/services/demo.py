"""The demo village: a plausible Dongguan village to try the app with.

The village is first planned as plain data from a seeded `random.Random`, so the
same village comes out on every fresh database, and then written with bulk
inserts so that `make run` (which loads it on every start) stays fast.
"""

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from villagegov.models import (
    INVERSE_RELATION,
    Body,
    Council,
    CouncilSeat,
    Gender,
    Household,
    Kinship,
    Person,
    Relation,
    Role,
    RoleAssignment,
    RuleSet,
    SeatPosition,
    User,
    Village,
    VillagerGroup,
)
from villagegov.rulesets import DEFAULT_RULE_SET_CODE
from villagegov.services.audit import audit_record
from villagegov.thresholds import chinese_number

DEMO_ADMIN_CODE = "441900118219"
DEMO_PASSWORD = "demo-village-2026"
DEMO_HOUSEHOLDS = 300
DEMO_SEED = 2020
# Ages are reckoned on a fixed day so that every run plans the same village.
AS_OF = date(2026, 1, 1)
TERM_STARTS = date(2024, 1, 1)
TERM_ENDS = date(2028, 12, 31)  # five-year terms
MIN_HOUSEHOLDS = 30

VILLAGE_NAME = "榕树围村"
TOWNSHIP = "凤岗镇"

# Common surnames of Dongguan villages, with rough weights.
SURNAMES = {
    "陈": 14, "李": 8, "黄": 8, "张": 6, "梁": 6, "刘": 5, "林": 5, "叶": 5, "袁": 4, "钟": 4,
    "何": 4, "罗": 3, "卢": 3, "莫": 3, "麦": 3, "邓": 3, "蔡": 2, "谢": 2, "郑": 2, "吴": 2,
    "周": 2, "王": 2, "温": 1, "尹": 1, "祁": 1, "殷": 1, "方": 1, "邝": 1, "冼": 1, "植": 1,
}  # fmt: skip
# Each villager group grew from one lineage, as is usual in Dongguan (一坊一姓).
GROUP_LINEAGES = ["陈", "李", "黄", "陈", "叶", "梁", "袁", "钟"]
GROUP_STREETS = ["大塘坊", "榕树头", "新村", "东坊", "西坊", "南门", "北坊", "围仔"]

# Characters of given names by generation and gender: (first characters, second characters).
GIVEN_NAMES: dict[tuple[str, str], tuple[str, str]] = {
    ("elder", Gender.MALE): ("国志炳锦耀汉永福树金伯润灿兆德荣", "强明坤荣祖文康来生水良棠辉昌华光泉添"),
    ("elder", Gender.FEMALE): ("秀桂玉少淑月丽带银彩凤亚妹惠金", "英芳珍红贞娥华娣好霞群兰卿莲娇"),
    ("middle", Gender.MALE): ("俊志家建伟浩嘉文国健卓锦振永冠耀敏", "杰强豪华明然伟辉峰文涛雄东聪成基良鹏"),
    ("middle", Gender.FEMALE): ("美丽慧嘉惠雪晓宝婉咏少碧秀凤艳燕玉", "玲君敏欣梅燕珠婷诗芬霞仪娟萍清莹琼"),
    ("young", Gender.MALE): ("梓浩子俊宇晨铭睿皓嘉锦泽煜昊一", "轩宇豪熙航阳杰霖博然辰希朗恒彬"),
    ("young", Gender.FEMALE): ("梓诗欣子雨若思晓嘉可芷佩语心", "晴涵怡琪萱曦彤悦欣妍桐淇瑶琳蕾"),
}

# Household shapes and how often they occur.
HOUSEHOLD_KINDS = {
    "nuclear": 33,
    "three_generations": 27,
    "elder_couple": 13,
    "single_elder": 9,
    "young_couple": 8,
    "single_parent": 5,
    "single": 5,
}

# One demo account per role: username -> what the account shows.
LOGIN_ROLES: dict[str, Promise] = {
    "zhuren": _("village-committee chair (村委会主任)"),
    "wenshu": _("clerk (文书)"),
    "baozhangyuan": _("accountant (报账员)"),
    "jianwei": _("supervision-committee chair (村务监督委员会主任)"),
    "daibiao": _("villager representative (村民代表)"),
    "dangyuan": _("party-branch member (村党组织成员)"),
    "gudong": _("shareholder (股东)"),
    "cunmin": _("resident (村民)"),
    "zhenjie": _("township staff (镇街工作人员)"),
}


@dataclass(frozen=True)
class PlannedPerson:
    name: str
    gender: str
    birth_date: date
    joined_on: date
    phone: str
    household: int | None  # index into DemoPlan.households
    registered: bool = True


@dataclass(frozen=True)
class PlannedHousehold:
    group: int  # index into DemoPlan.groups
    number: str
    address: str
    head: int  # index into DemoPlan.people


@dataclass(frozen=True)
class PlannedRole:
    person: int
    role: str
    ends_on: date | None
    note: str = ""


@dataclass(frozen=True)
class PlannedCouncil:
    body: str
    name: str
    group: int | None = None
    seats: tuple[tuple[int, str], ...] = ()  # (person, position)
    seat_notes: tuple[tuple[int, str], ...] = ()  # (person, note on their seat)


@dataclass(frozen=True)
class PlannedLogin:
    username: str
    person: int
    phone: str  # E.164


@dataclass(frozen=True)
class DemoPlan:
    groups: tuple[str, ...]
    households: tuple[PlannedHousehold, ...]
    people: tuple[PlannedPerson, ...]
    kinships: tuple[tuple[int, int, str], ...]  # (person, relative, the relative's relation to person)
    roles: tuple[PlannedRole, ...]
    councils: tuple[PlannedCouncil, ...]
    logins: tuple[PlannedLogin, ...]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    name: str
    username: str
    phone: str
    password: str


@dataclass(frozen=True)
class DemoVillage:
    village: Village
    created: bool
    logins: list[DemoLogin]


@dataclass
class _Draft:
    surname: str
    given: str
    gender: str
    birth_date: date
    joined_on: date
    household: int | None
    registered: bool = True
    phone: str = ""
    parents: list[int] = field(default_factory=list)

    @property
    def age(self) -> int:
        before_birthday = (AS_OF.month, AS_OF.day) < (self.birth_date.month, self.birth_date.day)
        return AS_OF.year - self.birth_date.year - before_birthday


def _years_after(day: date, years: int) -> date:
    return day + timedelta(days=years * 365 + years // 4)


class _Planner:
    """Draws one village. Every choice goes through `self.rng`, in a fixed order."""

    def __init__(self, *, households: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.household_count = households
        self.people: list[_Draft] = []
        self.households: list[PlannedHousehold] = []
        self.kin: dict[tuple[int, int], str] = {}
        self.used_names: set[str] = set()
        self.used_phones: set[str] = set()
        self.roles: list[PlannedRole] = []
        self.holders: set[int] = set()  # people who already hold a role or a seat

    # --- people -------------------------------------------------------------------------

    def surname(self, *, lineage: str | None = None, avoid: str | None = None) -> str:
        if lineage is not None and self.rng.random() < 0.55:
            return lineage
        while True:
            choice = self.rng.choices(list(SURNAMES), weights=list(SURNAMES.values()))[0]
            if choice != avoid:
                return choice

    def given_name(self, gender: str, birth_year: int) -> str:
        generation = "elder" if birth_year < 1965 else "middle" if birth_year < 1995 else "young"
        firsts, seconds = GIVEN_NAMES[(generation, gender)]
        if generation == "young" and self.rng.random() < 0.1:
            return self.rng.choice(seconds)
        first, second = self.rng.choice(firsts), self.rng.choice(seconds)
        return first + second if first != second else first

    def phone(self) -> str:
        while True:
            number = "1" + self.rng.choice("358") + f"{self.rng.randrange(10**9):09d}"
            if number not in self.used_phones and not number.startswith("13800000"):
                self.used_phones.add(number)
                return number

    def add(
        self,
        household: int | None,
        gender: str,
        age: int,
        surname: str,
        *,
        married_in: bool = False,
        parents: Iterable[int] = (),
    ) -> int:
        age = max(0, min(age, 98))
        birth = date(AS_OF.year - age - 1, 1, 2) + timedelta(days=self.rng.randrange(364))
        for _attempt in range(20):
            given = self.given_name(gender, birth.year)
            if surname + given not in self.used_names:
                break
        self.used_names.add(surname + given)
        joined = birth
        registered = True
        if married_in:
            joined = min(AS_OF, _years_after(birth, self.rng.randint(21, 28)))
            # Some who married in kept their household registration elsewhere.
            registered = self.rng.random() > 0.04
        draft = _Draft(surname, given, gender, birth, joined, household, registered, parents=list(parents))
        if age >= 18 and self.rng.random() < (0.92 if age < 75 else 0.4):
            draft.phone = self.phone()
        self.people.append(draft)
        return len(self.people) - 1

    def marry(self, husband: int, wife: int) -> None:
        self.relate(husband, wife, Relation.SPOUSE)

    def relate(self, person: int, relative: int, relation: Relation) -> None:
        """`relative` is the `relation` of `person`; kinship is stored both ways."""
        self.kin[(person, relative)] = relation
        self.kin[(relative, person)] = INVERSE_RELATION[relation]

    def children(
        self, household: int, surname: str, parents: list[int], mother_age: int, count: int
    ) -> list[int]:
        kids: list[int] = []
        age = self.rng.randint(max(0, mother_age - 40), max(0, mother_age - 22))
        for _child in range(count):
            if age < 0:
                break
            gender = self.rng.choice([Gender.MALE, Gender.FEMALE])
            kids.append(self.add(household, gender, age, surname, parents=parents))
            age -= self.rng.randint(1, 6)
        return kids

    # --- households ---------------------------------------------------------------------

    def household(self, index: int, lineage: str) -> int:
        """Fill household `index` with a family; return its head."""
        rng = self.rng
        kind = rng.choices(list(HOUSEHOLD_KINDS), weights=list(HOUSEHOLD_KINDS.values()))[0]
        name = self.surname(lineage=lineage)
        spouse_name = self.surname(avoid=name)
        male, female = Gender.MALE, Gender.FEMALE
        if kind == "nuclear":
            husband_age = rng.randint(32, 58)
            wife_age = max(25, husband_age + rng.randint(-6, 2))
            husband = self.add(index, male, husband_age, name)
            wife = self.add(index, female, wife_age, spouse_name, married_in=True)
            self.marry(husband, wife)
            self.children(index, name, [husband, wife], wife_age, rng.choice([1, 1, 2, 2, 2, 3]))
            return husband if rng.random() < 0.9 else wife
        if kind == "three_generations":
            son_age = rng.randint(30, 52)
            elder_age = son_age + rng.randint(24, 34)
            elders: list[int] = []
            shape = rng.random()
            if shape < 0.6 or shape >= 0.88:
                elders.append(self.add(index, male, elder_age, name))
            if shape < 0.88:
                elders.append(
                    self.add(index, female, elder_age - rng.randint(0, 5), spouse_name, married_in=True)
                )
            if len(elders) == 2:
                self.marry(elders[0], elders[1])
            son = self.add(index, male, son_age, name, parents=elders)
            wife_age = max(25, son_age + rng.randint(-5, 2))
            wife = self.add(index, female, wife_age, self.surname(avoid=name), married_in=True)
            self.marry(son, wife)
            self.children(index, name, [son, wife], wife_age, rng.choice([1, 1, 2, 2]))
            return son if rng.random() < 0.7 else elders[0]
        if kind == "elder_couple":
            husband_age = rng.randint(60, 85)
            husband = self.add(index, male, husband_age, name)
            wife = self.add(index, female, husband_age - rng.randint(0, 5), spouse_name, married_in=True)
            self.marry(husband, wife)
            if rng.random() < 0.25:
                gender = rng.choice([male, female])
                self.add(index, gender, rng.randint(25, 45), name, parents=[husband, wife])
            return husband
        if kind == "single_elder":
            if rng.random() < 0.7:
                return self.add(index, female, rng.randint(65, 95), spouse_name, married_in=True)
            return self.add(index, male, rng.randint(65, 92), name)
        if kind == "young_couple":
            husband_age = rng.randint(23, 33)
            wife_age = max(21, husband_age + rng.randint(-3, 1))
            husband = self.add(index, male, husband_age, name)
            wife = self.add(index, female, wife_age, spouse_name, married_in=True)
            self.marry(husband, wife)
            if rng.random() < 0.5:
                self.add(index, rng.choice([male, female]), rng.randint(0, 2), name, parents=[husband, wife])
            return husband
        if kind == "single_parent":
            age = rng.randint(30, 52)
            if rng.random() < 0.6:
                parent = self.add(index, female, age, spouse_name, married_in=True)
            else:
                parent = self.add(index, male, age, name)
            self.children(index, name, [parent], age, rng.choice([1, 2]))
            return parent
        gender = male if rng.random() < 0.7 else female
        return self.add(index, gender, rng.randint(22, 60), name)

    def derive_kinship(self) -> None:
        """Children, siblings and grandchildren follow from the parents each person was given."""
        children_of: dict[int, list[int]] = defaultdict(list)
        for index, person in enumerate(self.people):
            for parent in person.parents:
                self.relate(index, parent, Relation.PARENT)
                children_of[parent].append(index)
        for index, person in enumerate(self.people):
            for parent in person.parents:
                for sibling in children_of[parent]:
                    if sibling != index:
                        self.relate(index, sibling, Relation.SIBLING)
                for grandparent in self.people[parent].parents:
                    self.relate(index, grandparent, Relation.GRANDPARENT)

    def villager_groups(self) -> list[int]:
        """How many households each group has: about equal, never empty."""
        count = max(1, min(8, round(self.household_count / 37.5)))
        weights = [self.rng.uniform(0.8, 1.2) for _ in range(count)]
        shares = [self.household_count * w / sum(weights) for w in weights]
        sizes = [max(1, int(share)) for share in shares]
        by_remainder = sorted(range(count), key=lambda g: shares[g] - int(shares[g]), reverse=True)
        for g in by_remainder[: self.household_count - sum(sizes)]:
            sizes[g] += 1
        return sizes

    # --- roles --------------------------------------------------------------------------

    def pick(
        self,
        *,
        gender: str | None = None,
        ages: tuple[int, int] = (18, 120),
        avoid_households: Iterable[int | None] = (),
        group: int | None = None,
        head: bool | None = None,
    ) -> int:
        """A registered villager of the given sort who holds nothing yet; `head` asks for
        (True) or rules out (False) household heads."""
        avoid = set(avoid_households)
        heads = {h.head for h in self.households}
        candidates = [
            index
            for index, person in enumerate(self.people)
            if person.registered
            and person.household is not None
            and index not in self.holders
            and person.household not in avoid
            and (gender is None or person.gender == gender)
            and ages[0] <= person.age <= ages[1]
            and (group is None or self.households[person.household].group == group)
            and (head is None or (index in heads) == head)
        ]
        if not candidates:
            raise ValueError("the demo village is too small to fill its roles")
        chosen = self.rng.choice(candidates)
        self.holders.add(chosen)
        return chosen

    def households_of(self, people: Iterable[int]) -> set[int | None]:
        return {self.people[index].household for index in people}

    def assign(
        self, people: Iterable[int], role: Role, *, ends_on: date | None = TERM_ENDS, note: str = ""
    ) -> None:
        self.roles.extend(PlannedRole(index, role, ends_on, note) for index in people)

    def plan(self) -> DemoPlan:
        rng = self.rng
        sizes = self.villager_groups()
        groups = tuple(f"第{chinese_number(g + 1)}村民小组" for g in range(len(sizes)))
        for group, size in enumerate(sizes):
            street = GROUP_STREETS[group % len(GROUP_STREETS)]
            for door in range(1, size + 1):
                index = len(self.households)
                lane = chinese_number((door - 1) // 8 + 1)
                head = self.household(index, GROUP_LINEAGES[group % len(GROUP_LINEAGES)])
                self.households.append(
                    PlannedHousehold(
                        group=group,
                        number=f"{group + 1:02d}{door:03d}",
                        address=f"{VILLAGE_NAME}{street}{lane}巷{door}号",
                        head=head,
                    )
                )
        self.derive_kinship()

        male, female = Gender.MALE, Gender.FEMALE
        chair = self.pick(gender=male, ages=(45, 58))
        vice_chair = self.pick(gender=male, ages=(38, 55), avoid_households=self.households_of([chair]))
        committee = [chair, vice_chair]
        for gender, ages in ((female, (30, 50)), (female, (28, 45)), (male, (30, 55))):
            committee.append(
                self.pick(gender=gender, ages=ages, avoid_households=self.households_of(committee))
            )
        clerk = self.pick(gender=female, ages=(25, 40), avoid_households=self.households_of(committee))
        accountant = self.pick(ages=(30, 55), avoid_households=self.households_of([*committee, clerk]))
        # Kinship is declared within households, so keeping supervisors out of the households
        # of the committee, accountant, clerk and collective head keeps out their close relatives.
        barred = self.households_of([*committee, clerk, accountant])
        supervision_chair = self.pick(gender=male, ages=(45, 65), avoid_households=barred)
        supervisors = [supervision_chair]
        supervisors.append(
            self.pick(gender=female, ages=(35, 55), avoid_households=barred | self.households_of(supervisors))
        )
        supervisors.append(
            self.pick(ages=(35, 65), avoid_households=barred | self.households_of(supervisors))
        )
        party_member = self.pick(
            ages=(30, 65), avoid_households=self.households_of([*committee, *supervisors])
        )

        representatives: list[int] = []
        for group, size in enumerate(sizes):
            seats = max(1, round(size / 10))
            chosen: list[int] = []
            for seat in range(seats):
                # Alternate genders so that women are at least a third of the meeting.
                chosen.append(
                    self.pick(
                        gender=female if seat % 2 == 0 else male,
                        ages=(28, 70),
                        group=group,
                        avoid_households=self.households_of(chosen),
                    )
                )
            representatives.extend(chosen)

        resident = self.pick(ages=(20, 35), head=False)
        shareholder = self.pick(ages=(40, 65), head=True)
        board = [chair, vice_chair]
        for _director in range(3):
            board.append(self.pick(ages=(35, 62), avoid_households=self.households_of(supervisors)))
        elders = [self.pick(ages=(65, 85)) for _seat in range(2)]
        women = [self.pick(gender=female, ages=(30, 55)) for _seat in range(2)]
        spokespeople = rng.sample(representatives, min(4, len(representatives)))
        deliberation = [party_member, *spokespeople, *elders, *women]

        # Village-committee members and supervisors hold their role by their seats (below).
        self.assign([chair], Role.PARTY_BRANCH_MEMBER, note="党总支书记（书记、主任一肩挑）")
        self.assign([vice_chair], Role.PARTY_BRANCH_MEMBER, note="党总支副书记")
        self.assign(
            [committee[2], supervision_chair, party_member], Role.PARTY_BRANCH_MEMBER, note="党总支委员"
        )
        self.assign([chair], Role.COLLECTIVE_HEAD, note="股份经济联合社社长")
        self.assign([clerk], Role.CLERK, ends_on=None)
        self.assign([accountant], Role.ACCOUNTANT, ends_on=None)
        for index in representatives:
            household = self.people[index].household
            assert household is not None
            self.assign([index], Role.REPRESENTATIVE, note=groups[self.households[household].group])
        # Shareholders: most registered adults; the plain resident married in after the shares were fixed.
        shareholders = [
            index
            for index, person in enumerate(self.people)
            if person.registered
            and person.age >= 18
            and index != resident
            and (index in self.holders or rng.random() < 0.93)
        ]
        self.assign(shareholders, Role.COLLECTIVE_MEMBER, ends_on=None)

        township_staff = self.add(None, male, rng.randint(30, 45), self.surname())
        self.people[township_staff].registered = False
        self.people[township_staff].joined_on = TERM_STARTS
        self.assign([township_staff], Role.TOWNSHIP_STAFF, ends_on=None, note=f"{TOWNSHIP}驻村工作组")

        committee_seats = (
            (chair, SeatPosition.CHAIR),
            (vice_chair, SeatPosition.VICE_CHAIR),
            *((index, SeatPosition.MEMBER) for index in committee[2:]),
        )
        councils = (
            PlannedCouncil(Body.VILLAGERS_ASSEMBLY, "村民会议"),
            PlannedCouncil(
                Body.REPRESENTATIVES_MEETING,
                "村民代表会议",
                seats=(
                    (chair, SeatPosition.CHAIR),
                    *((index, SeatPosition.MEMBER) for index in committee[1:]),
                    *((index, SeatPosition.MEMBER) for index in representatives),
                ),
            ),
            *(
                PlannedCouncil(Body.VILLAGER_GROUP_MEETING, f"{name}会议", group=group)
                for group, name in enumerate(groups)
            ),
            PlannedCouncil(
                Body.VILLAGE_COMMITTEE,
                "村民委员会",
                seats=committee_seats,
                seat_notes=((committee[2], "分管妇女工作"),),
            ),
            PlannedCouncil(
                Body.SUPERVISION_COMMITTEE,
                "村务监督委员会",
                seats=(
                    (supervision_chair, SeatPosition.CHAIR),
                    *((i, SeatPosition.MEMBER) for i in supervisors[1:]),
                ),
                # The committee needs a member with finance or accounting knowledge (DOMAIN.md).
                seat_notes=((supervisors[1], "具有财会知识（曾任企业会计）"),),
            ),
            PlannedCouncil(Body.MEMBERS_ASSEMBLY, "股份经济联合社成员大会"),
            PlannedCouncil(
                Body.BOARD,
                "股份经济联合社理事会",
                seats=(
                    (chair, SeatPosition.CHAIR),
                    (vice_chair, SeatPosition.VICE_CHAIR),
                    *((i, SeatPosition.MEMBER) for i in board[2:]),
                ),
            ),
            PlannedCouncil(
                Body.DELIBERATION_COUNCIL,
                "村民议事会",
                seats=(
                    (party_member, SeatPosition.CHAIR),
                    *((i, SeatPosition.MEMBER) for i in deliberation[1:]),
                ),
            ),
        )

        woman_representative = next(i for i in representatives if self.people[i].gender == female)
        login_people = {
            "zhuren": chair,
            "wenshu": clerk,
            "baozhangyuan": accountant,
            "jianwei": supervision_chair,
            "daibiao": woman_representative,
            "dangyuan": party_member,
            "gudong": shareholder,
            "cunmin": resident,
            "zhenjie": township_staff,
        }
        logins = []
        for number, username in enumerate(LOGIN_ROLES, start=1):
            person = login_people[username]
            self.people[person].phone = f"138000000{number:02d}"
            logins.append(PlannedLogin(username, person, f"+86138000000{number:02d}"))

        return DemoPlan(
            groups=groups,
            households=tuple(self.households),
            people=tuple(
                PlannedPerson(
                    name=p.surname + p.given,
                    gender=p.gender,
                    birth_date=p.birth_date,
                    joined_on=p.joined_on,
                    phone=p.phone,
                    household=p.household,
                    registered=p.registered,
                )
                for p in self.people
            ),
            kinships=tuple((person, relative, relation) for (person, relative), relation in self.kin.items()),
            roles=tuple(self.roles),
            councils=councils,
            logins=tuple(logins),
        )


def demo_village_plan(*, households: int = DEMO_HOUSEHOLDS, seed: int = DEMO_SEED) -> DemoPlan:
    """The demo village as plain data; the same arguments always give the same village."""
    if households < MIN_HOUSEHOLDS:
        raise ValueError(f"the demo village needs at least {MIN_HOUSEHOLDS} households")
    return _Planner(households=households, seed=seed).plan()


def _logins_of(village: Village, password: str) -> list[DemoLogin]:
    """The demo accounts as they stand, in the order of LOGIN_ROLES."""
    people = Person.objects.filter(village=village, user__username__in=LOGIN_ROLES).select_related("user")
    accounts = {person.user.username: (person, person.user) for person in people if person.user is not None}
    return [
        DemoLogin(
            role=str(label),
            name=accounts[username][0].name,
            username=username,
            phone=accounts[username][1].phone or "",
            password=password,
        )
        for username, label in LOGIN_ROLES.items()
        if username in accounts
    ]


@transaction.atomic
def demo_village_build(
    *, households: int = DEMO_HOUSEHOLDS, password: str = DEMO_PASSWORD, seed: int = DEMO_SEED
) -> DemoVillage:
    """Load the demo village once; on later calls change nothing but the demo accounts' passwords.

    All demo accounts share one password hash: hashing is deliberately slow and the
    password is printed for everyone to read anyway.
    """
    hashed = make_password(password)
    existing = Village.objects.filter(admin_code=DEMO_ADMIN_CODE).first()
    if existing is not None:
        User.objects.filter(username__in=LOGIN_ROLES, people__village=existing).update(password=hashed)
        return DemoVillage(village=existing, created=False, logins=_logins_of(existing, password))

    plan = demo_village_plan(households=households, seed=seed)
    taken = User.objects.filter(
        Q(username__in=[login.username for login in plan.logins])
        | Q(phone__in=[login.phone for login in plan.logins])
    )
    if taken.exists():
        raise ValidationError(
            _("The demo village cannot be loaded: the accounts %(accounts)s already exist."),
            params={"accounts": ", ".join(sorted(taken.values_list("username", flat=True)))},
        )

    village = Village.objects.create(
        name=VILLAGE_NAME,
        admin_code=DEMO_ADMIN_CODE,
        township=TOWNSHIP,
        county="东莞市",
        province="广东省",
        rule_set=RuleSet.objects.get(code=DEFAULT_RULE_SET_CODE),
    )
    groups = VillagerGroup.objects.bulk_create(
        [VillagerGroup(village=village, number=n, name=name) for n, name in enumerate(plan.groups, start=1)]
    )
    household_rows = Household.objects.bulk_create(
        [
            Household(village=village, group=groups[h.group], number=h.number, address=h.address)
            for h in plan.households
        ]
    )
    users = User.objects.bulk_create(
        [
            User(username=login.username, password=hashed, phone=login.phone, phone_verified=True)
            for login in plan.logins
        ]
    )
    user_of = {login.person: user for login, user in zip(plan.logins, users, strict=True)}
    people = Person.objects.bulk_create(
        [
            Person(
                village=village,
                household=household_rows[p.household] if p.household is not None else None,
                name=p.name,
                gender=p.gender,
                birth_date=p.birth_date,
                phone=p.phone,
                is_registered_resident=p.registered,
                joined_on=p.joined_on,
                user=user_of.get(index),
            )
            for index, p in enumerate(plan.people)
        ]
    )
    for row, planned in zip(household_rows, plan.households, strict=True):
        row.head = people[planned.head]
    Household.objects.bulk_update(household_rows, ["head"])
    Kinship.objects.bulk_create(
        [Kinship(person=people[a], relative=people[b], relation=relation) for a, b, relation in plan.kinships]
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(
                person=people[r.person], role=r.role, starts_on=TERM_STARTS, ends_on=r.ends_on, note=r.note
            )
            for r in plan.roles
        ]
    )
    councils = Council.objects.bulk_create(
        [
            Council(
                village=village,
                body=c.body,
                name=c.name,
                group=groups[c.group] if c.group is not None else None,
            )
            for c in plan.councils
        ]
    )
    seats = CouncilSeat.objects.bulk_create(
        [
            CouncilSeat(
                council=council,
                person=people[person],
                position=position,
                starts_on=TERM_STARTS,
                ends_on=TERM_ENDS,
                note=dict(planned.seat_notes).get(person, ""),
            )
            for council, planned in zip(councils, plan.councils, strict=True)
            for person, position in planned.seats
        ]
    )
    audit_record(
        actor=None,
        village=village,
        action="demo.load",
        target=village,
        after={
            "villager_groups": len(groups),
            "households": len(household_rows),
            "people": len(people),
            "kinships": len(plan.kinships),
            "roles": len(plan.roles),
            "councils": len(councils),
            "council_seats": len(seats),
            "accounts": len(users),
        },
    )
    return DemoVillage(village=village, created=True, logins=_logins_of(village, password))
