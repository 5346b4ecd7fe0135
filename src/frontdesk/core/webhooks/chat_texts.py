"""What a team chat notice says, in the workspace's language (en, pt-BR, vi)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "sla_breached": ":rotating_light: SLA breached ({target}) on {contact}'s conversation"
        "{team}",
        "help_raised": ":raised_hand: {member} raised a hand on {contact}'s conversation{team}",
        "team_mentioned": ":mega: {member} mentioned {teams} on {contact}'s conversation",
        "team": " in {team}",
        "open": "Open the conversation",
        "note": "Note: {note}",
        "first_response": "first response",
        "next_response": "next response",
        "resolution": "resolution",
        "someone": "Someone",
        "customer": "a customer",
        "test": ":white_check_mark: Frontdesk is connected: {name} will be posted here.",
    },
    "pt-BR": {
        "sla_breached": ":rotating_light: SLA estourado ({target}) na conversa de {contact}{team}",
        "help_raised": ":raised_hand: {member} pediu ajuda na conversa de {contact}{team}",
        "team_mentioned": ":mega: {member} mencionou {teams} na conversa de {contact}",
        "team": " em {team}",
        "open": "Abrir a conversa",
        "note": "Nota: {note}",
        "first_response": "primeira resposta",
        "next_response": "próxima resposta",
        "resolution": "resolução",
        "someone": "Alguém",
        "customer": "um cliente",
        "test": ":white_check_mark: O Frontdesk está conectado: {name} será publicado aqui.",
    },
    "vi": {
        "sla_breached": ":rotating_light: Vi phạm SLA ({target}) trong hội thoại của "
        "{contact}{team}",
        "help_raised": ":raised_hand: {member} đã giơ tay trong hội thoại của {contact}{team}",
        "team_mentioned": ":mega: {member} đã nhắc đến {teams} trong hội thoại của {contact}",
        "team": " tại {team}",
        "open": "Mở hội thoại",
        "note": "Ghi chú: {note}",
        "first_response": "phản hồi đầu tiên",
        "next_response": "phản hồi tiếp theo",
        "resolution": "giải quyết",
        "someone": "Ai đó",
        "customer": "một khách hàng",
        "test": ":white_check_mark: Frontdesk đã kết nối: {name} sẽ được đăng tại đây.",
    },
}


def texts(language: str) -> dict[str, str]:
    return TEXTS.get(language, TEXTS["en"])
