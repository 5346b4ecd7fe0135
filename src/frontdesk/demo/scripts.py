"""What candidates and agents say in the demo conversations, per language.

Placeholders: {first} the candidate's first name, {agent} the agent's first name,
{position} the job, {client} the client company, {manager} the manager's first name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Script:
    openers: tuple[str, ...]
    greetings: tuple[str, ...]
    candidate_lines: tuple[str, ...]
    agent_lines: tuple[str, ...]
    nudges: tuple[str, ...]
    pending_asks: tuple[str, ...]
    snooze_lines: tuple[str, ...]
    bot_reply: str
    outcomes: dict[str, str]


PT = Script(
    openers=(
        "Olá, vi a vaga de {position} no {client}. Ainda está aberta?",
        "Boa tarde! Gostaria de me candidatar para {position}.",
        "Oi, bom dia. Vocês ainda estão contratando para {position}?",
        "Olá! Meu primo trabalha no {client} e me passou esse número. Tem vaga?",
        "Oi, vi o anúncio no ponto de ônibus. Como faço para me inscrever?",
    ),
    greetings=(
        "Olá {first}, tudo bem? Aqui é {agent}, da Talenta. Sim, a vaga de {position} está aberta!",
        "Oi {first}! Sou {agent}, da Talenta. Que bom que você se interessou pela vaga de {position}.",
        "Bom dia {first}, {agent} falando. Pode me enviar seu currículo por aqui mesmo?",
    ),
    candidate_lines=(
        "Tenho experiência de dois anos em supermercado.",
        "Posso começar na semana que vem.",
        "Moro perto da loja, uns 15 minutos de ônibus.",
        "Enviei o currículo agora, chegou?",
        "Qual é o salário e o horário?",
        "Tenho disponibilidade para o turno da noite.",
        "Sim, tenho carteira de trabalho.",
        "Obrigado pela atenção!",
    ),
    agent_lines=(
        "Recebi sim, obrigado! Você tem disponibilidade para fins de semana?",
        "O salário é de R$ 1.850 mais vale-transporte e vale-refeição.",
        "O horário é de segunda a sábado, das 7h às 15h20.",
        "Você pode me confirmar seu CPF e sua data de nascimento?",
        "Perfeito. Vou encaminhar seu perfil para o {client}.",
        "Você já trabalhou com operação de caixa antes?",
    ),
    nudges=("Oi, alguém aí?", "Ainda estão aí?", "Bom dia, alguma novidade?"),
    pending_asks=(
        "Para continuar, preciso de uma foto do seu documento e comprovante de residência.",
        "Você consegue me mandar o currículo atualizado em PDF?",
    ),
    snooze_lines=(
        "Vou confirmar as vagas com o {client} e te retorno amanhã, combinado?",
        "Estou aguardando o retorno do gestor da loja. Falo com você em breve!",
    ),
    bot_reply="Olá! Recebemos sua mensagem. Todos os nossos atendentes estão ocupados; responderemos em breve.",
    outcomes={
        "hired": "Parabéns, {first}! Você foi aprovado(a) para {position}. Início na segunda às 7h.",
        "interview scheduled": "Sua entrevista no {client} está marcada para quinta às 10h. Leve documento com foto.",
        "not selected": "{first}, agradecemos muito o interesse, mas desta vez seguimos com outro perfil.",
        "no show": "{first}, sentimos sua falta na entrevista de hoje. Se quiser remarcar, é só avisar.",
        "duplicate": "{first}, já estamos falando com você pelo outro número, vou encerrar este atendimento.",
    },
)

VI = Script(
    openers=(
        "Chào anh/chị, em thấy tin tuyển {position} ở {client}. Còn tuyển không ạ?",
        "Xin chào, em muốn ứng tuyển vị trí {position}.",
        "Chào chị, bên mình còn cần người làm ca tối không ạ?",
        "Em được bạn giới thiệu số này, cho em hỏi về việc làm ạ.",
    ),
    greetings=(
        "Chào {first}, mình là {agent} bên Talenta. Vị trí {position} vẫn còn tuyển nhé!",
        "Xin chào {first}! {agent} đây. Bạn gửi CV giúp mình qua đây nhé.",
    ),
    candidate_lines=(
        "Em đã làm kho hai năm rồi ạ.",
        "Tuần sau em có thể bắt đầu.",
        "Lương và giờ làm thế nào ạ?",
        "Em vừa gửi CV, chị nhận được chưa ạ?",
        "Em cảm ơn chị nhiều!",
        "Em có thể làm cuối tuần ạ.",
    ),
    agent_lines=(
        "Mình nhận được rồi, cảm ơn bạn! Bạn có làm được cuối tuần không?",
        "Ca làm từ thứ Hai đến thứ Bảy, 7h đến 15h20.",
        "Bạn gửi giúp mình ảnh giấy tờ tùy thân nhé.",
        "Mình sẽ chuyển hồ sơ của bạn cho {client}.",
    ),
    nudges=("Chị ơi, còn đó không ạ?", "Có tin gì chưa ạ?"),
    pending_asks=("Bạn gửi giúp mình CV bản PDF mới nhất nhé.",),
    snooze_lines=("Mình đang chờ quản lý cửa hàng xác nhận, mai mình báo lại bạn nhé.",),
    bot_reply="Xin chào! Chúng tôi đã nhận được tin nhắn. Nhân viên đang bận, sẽ trả lời bạn sớm.",
    outcomes={
        "hired": "Chúc mừng {first}! Bạn đã trúng tuyển vị trí {position}. Bắt đầu thứ Hai lúc 7h.",
        "interview scheduled": "Lịch phỏng vấn của bạn tại {client} là thứ Năm lúc 10h nhé.",
        "not selected": "Cảm ơn {first} đã quan tâm, lần này bên mình chọn ứng viên khác.",
        "no show": "{first} ơi, hôm nay bạn không đến phỏng vấn. Bạn muốn hẹn lại không?",
        "duplicate": "{first}, mình đang trao đổi với bạn ở số khác rồi nên sẽ đóng cuộc trò chuyện này.",
    },
)

EN = Script(
    openers=(
        "Hi, I saw the {position} job at {client}. Is it still open?",
        "Hello! I'd like to apply for the {position} role.",
        "Good morning, are you still hiring for the night shift?",
        "Hi, a friend gave me this number about the jobs at {client}.",
    ),
    greetings=(
        "Hi {first}, this is {agent} from Talenta. Yes, the {position} role is still open!",
        "Hello {first}! {agent} here. Could you send me your CV in this chat?",
    ),
    candidate_lines=(
        "I have two years of retail experience.",
        "I can start next week.",
        "What are the pay and the hours?",
        "I just sent my CV, did you get it?",
        "I can work weekends.",
        "Thanks a lot!",
    ),
    agent_lines=(
        "Got it, thank you! Can you work weekends?",
        "Shifts are Monday to Saturday, 7am to 3:20pm.",
        "Could you send a photo of your ID, please?",
        "Great, I'll pass your profile to {client}.",
    ),
    nudges=("Hello? Anyone there?", "Any news?"),
    pending_asks=("Could you send your latest CV as a PDF?",),
    snooze_lines=("I'm waiting for the store manager to confirm; I'll get back to you tomorrow.",),
    bot_reply="Hi! We got your message. All our agents are busy right now; we'll reply soon.",
    outcomes={
        "hired": "Congratulations {first}! You got the {position} job. You start Monday at 7am.",
        "interview scheduled": "Your interview at {client} is on Thursday at 10am. Please bring an ID.",
        "not selected": "Thank you for your interest, {first}; this time we went with another candidate.",
        "no show": "{first}, we missed you at today's interview. Let me know if you'd like to reschedule.",
        "duplicate": "{first}, we're already talking on your other number, so I'll close this chat.",
    },
)

SCRIPTS = {"pt-BR": PT, "vi": VI, "en": EN}

NOTES = (
    "@{manager} this candidate already worked for {client} last year, can you check the file?",
    "@{manager} asked for a salary above the range, ok to proceed?",
    "@{manager} second time this week this number writes, possible duplicate.",
)

OUTCOME_NOTES = {
    "hired": "Start date confirmed with the store manager.",
    "not selected": "No weekend availability.",
    "no show": "Two reminders sent.",
}
