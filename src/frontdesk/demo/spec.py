"""The shape of the demo organisation: its workspaces, client teams, numbers and volumes."""

from __future__ import annotations

import random
from dataclasses import dataclass

from frontdesk.demo import names

DEMO_SLUG = "talenta-retail"
LOGISTICS_SLUG = "talenta-logistics"
ORGANISATION_NAME = "Talenta Recruitment"
EMAIL_DOMAIN = "talenta.example"
OWNER_EMAIL = f"owner@{EMAIL_DOMAIN}"
# The published demo sign-in (README); every demo account shares it.
DEMO_PASSWORD = "frontdesk-demo"  # noqa: S105


@dataclass(frozen=True)
class ChannelSpec:
    name: str
    phone: str  # E.164


@dataclass(frozen=True)
class ClientSpec:
    """A client company: one team, its WhatsApp numbers, its agents and candidates' languages."""

    team: str
    description: str
    channels: tuple[ChannelSpec, ...]
    agents: tuple[int, ...]  # indexes into WorkspaceSpec.agents
    languages: tuple[tuple[str, int], ...]  # (language, weight)


@dataclass(frozen=True)
class WorkspaceSpec:
    name: str
    slug: str
    timezone: str
    clients: tuple[ClientSpec, ...]
    agents: tuple[tuple[str, str], ...]  # (name, email local part)
    staff: tuple[tuple[str, str, str], ...]  # (name, email local part, role) besides agents
    contacts: int
    conversations: int  # in the last two weeks, played in full detail
    seed: int
    history_per_day: float = 0.0  # older conversations a day, before the last two weeks


def email(local: str) -> str:
    return f"{local}@{EMAIL_DOMAIN}"


def chance(rng: random.Random, share: float) -> bool:
    """True for about `share` of the calls."""
    return rng.random() < share


def pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    """One of the values, drawn by weight."""
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


_PT = (("pt-BR", 8), ("en", 1))
_MIXED = (("pt-BR", 5), ("vi", 2), ("en", 2))
_VN = (("vi", 8), ("pt-BR", 1), ("en", 1))

RETAIL = WorkspaceSpec(
    name="Talenta · Retail clients",
    slug=DEMO_SLUG,
    timezone="America/Sao_Paulo",
    clients=(
        ClientSpec(
            "Atacadão",
            "Stores and distribution centres in São Paulo state",
            (
                ChannelSpec("Atacadão Careers +55 11 4003-2101", "+551140032101"),
                ChannelSpec("Atacadão Campinas +55 19 4003-2102", "+551940032102"),
            ),
            (0, 1, 2, 12),
            _PT,
        ),
        ClientSpec(
            "Casa Verde Supermercados",
            "Neighbourhood supermarkets, cashiers and stock clerks",
            (ChannelSpec("Casa Verde Vagas +55 11 4003-2103", "+551140032103"),),
            (3, 4, 10),
            _MIXED,
        ),
        ClientSpec(
            "Farmácias Vida",
            "Pharmacy attendants for 40 stores",
            (ChannelSpec("Farmácias Vida Careers +55 11 4003-2104", "+551140032104"),),
            (5, 11),
            _PT,
        ),
        ClientSpec(
            "Moda Ipê",
            "Fashion retail, seasonal sales associates",
            (ChannelSpec("Moda Ipê Careers +55 11 4003-2105", "+551140032105"),),
            (13, 1),
            _MIXED,
        ),
        ClientSpec(
            "Saigon Foods",
            "Food factory and warehouse, Vietnamese-speaking candidates",
            (ChannelSpec("Saigon Foods Tuyển dụng +55 11 4003-2106", "+551140032106"),),
            (6, 7, 8, 9),
            _VN,
        ),
    ),
    agents=names.RETAIL_AGENTS,
    staff=((*names.MANAGER, "manager"), (*names.VIEWER, "viewer")),
    contacts=100,
    conversations=120,
    seed=20260105,
    history_per_day=4.0,
)

LOGISTICS = WorkspaceSpec(
    name="Talenta · Warehouse & logistics clients",
    slug=LOGISTICS_SLUG,
    timezone="America/Sao_Paulo",
    clients=(
        ClientSpec(
            "Rota Express",
            "Delivery drivers and warehouse assistants",
            (ChannelSpec("Rota Express Drivers +55 11 4003-2201", "+551140032201"),),
            (0, 2),
            _PT,
        ),
        ClientSpec(
            "Mekong Freight",
            "Forklift operators for the Guarulhos hub",
            (ChannelSpec("Mekong Freight Careers +55 11 4003-2202", "+551140032202"),),
            (1, 2),
            _VN,
        ),
    ),
    agents=names.LOGISTICS_AGENTS,
    staff=(),
    contacts=30,
    conversations=32,
    seed=20260106,
    history_per_day=1.5,
)

WORKSPACES = (RETAIL, LOGISTICS)
MANAGER_EMAIL = email(names.MANAGER[1])
VIEWER_EMAIL = email(names.VIEWER[1])


def accounts() -> list[tuple[str, str, str]]:
    """Every demo sign-in, each once: (role, email, name), the owner and staff first."""
    found = [("owner", OWNER_EMAIL, names.OWNER_NAME)]
    for ws_spec in WORKSPACES:
        found += [(role, email(local), name) for name, local, role in ws_spec.staff]
    for ws_spec in WORKSPACES:
        found += [("agent", email(local), name) for name, local in ws_spec.agents]
    return list({address: (role, address, name) for role, address, name in found}.values())


OUTCOME_TAGS = (
    ("hired", "green"),
    ("interview scheduled", "blue"),
    ("not selected", "red"),
    ("no show", "orange"),
    ("duplicate", "gray"),
)
OTHER_TAGS = (("vip", "purple"), ("urgent", "red"))
# How closed conversations end, by weight.
OUTCOME_WEIGHTS = (
    ("hired", 35),
    ("interview scheduled", 25),
    ("not selected", 20),
    ("no show", 12),
    ("duplicate", 8),
)

CUSTOM_FIELDS = (
    ("cpf", "CPF", "text", ()),
    ("position", "Position", "select", names.POSITIONS),
    ("city", "City", "text", ()),
    ("available_from", "Available from", "date", ()),
)

CANNED_RESPONSES = (
    (
        "hello",
        "Welcome (en)",
        "Hi {{contact.name}}, thanks for writing to Talenta! How can I help you today?",
    ),
    (
        "ola",
        "Boas-vindas (pt-BR)",
        "Olá {{contact.name}}, obrigado por falar com a Talenta! Como posso ajudar?",
    ),
    (
        "xinchao",
        "Chào mừng (vi)",
        "Xin chào {{contact.name}}, cảm ơn bạn đã liên hệ Talenta! Mình có thể giúp gì cho bạn?",
    ),
    (
        "cv",
        "Pedir currículo (pt-BR)",
        "{{contact.name}}, pode me enviar seu currículo em PDF por aqui mesmo?",
    ),
    (
        "interview",
        "Interview confirmed (en)",
        "Hi {{contact.name}}, your interview is confirmed. Please bring a photo ID and arrive 10 minutes early.",
    ),
    (
        "entrevista",
        "Entrevista confirmada (pt-BR)",
        "Olá {{contact.name}}, sua entrevista está confirmada. Traga um documento com foto e chegue 10 minutos antes.",
    ),
    (
        "contratado",
        "Aprovado (pt-BR)",
        "Parabéns, {{contact.name}}! Você foi aprovado(a). Enviaremos os detalhes do primeiro dia em seguida.",
    ),
)


@dataclass(frozen=True)
class HoursSpec:
    """Business hours: weekly periods (weekday, start, end) and holidays closed every year."""

    timezone: str
    periods: tuple[tuple[str, str, str], ...]
    holidays: tuple[tuple[int, int, str], ...] = ()  # (month, day, name)


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
# Brazil's national holidays on fixed dates.
BRAZIL_HOLIDAYS = (
    (1, 1, "Confraternização Universal"),
    (4, 21, "Tiradentes"),
    (5, 1, "Dia do Trabalho"),
    (9, 7, "Independência do Brasil"),
    (10, 12, "Nossa Senhora Aparecida"),
    (11, 2, "Finados"),
    (11, 15, "Proclamação da República"),
    (11, 20, "Dia da Consciência Negra"),
    (12, 25, "Natal"),
)
# Each workspace's hours, by slug; a team's own hours, by team name, where they differ.
WORKSPACE_HOURS = {
    DEMO_SLUG: HoursSpec(
        "America/Sao_Paulo",
        (*((d, "08:00", "18:00") for d in _WEEKDAYS), ("saturday", "09:00", "13:00")),
        BRAZIL_HOLIDAYS,
    ),
    LOGISTICS_SLUG: HoursSpec(
        "America/Sao_Paulo",
        (*((d, "07:00", "19:00") for d in _WEEKDAYS), ("saturday", "08:00", "12:00")),
        BRAZIL_HOLIDAYS,
    ),
}
SITE_TEAM = "Talenta Careers site"
_EVERY_DAY = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TEAM_HOURS = {
    # The website chat is answered around the clock, so `make run` shows routing at any hour.
    SITE_TEAM: HoursSpec("America/Sao_Paulo", tuple((d, "00:00", "24:00") for d in _EVERY_DAY)),
    # Drivers are recruited before and after their routes, with a lunch break.
    "Rota Express": HoursSpec(
        "America/Sao_Paulo",
        (
            *((d, "06:00", "12:00") for d in _WEEKDAYS),
            *((d, "13:00", "21:00") for d in _WEEKDAYS),
            ("saturday", "06:00", "12:00"),
        ),
        BRAZIL_HOLIDAYS,
    ),
}
