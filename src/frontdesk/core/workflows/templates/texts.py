"""The templates' words in each product language: names, descriptions, parameter labels and
the messages their steps send. A workflow made from a template keeps the texts of the language
it was made in (the workspace's default language unless the maker picks another); the builder
edits them like any other text."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "greeting_menu.name": "Greeting menu",
        "greeting_menu.description": (
            "Greets a new conversation with a numbered menu and routes each choice to a team."
        ),
        "greeting_menu.menu": (
            "Hello {{contact.name}}! How can we help you?\n"
            "1 Jobs\n2 Interview\n3 Talk to a recruiter"
        ),
        "greeting_menu.invalid": "Sorry, please answer with 1, 2 or 3.",
        "greeting_menu.not_understood": "Sorry, I did not understand. Here is the menu again.",
        "greeting_menu.timeout": "We are still here whenever you need us.",
        "greeting_menu.cpf": "To book your interview, please send your CPF (numbers only).",
        "greeting_menu.cpf_invalid": "That CPF does not look valid. Please try again.",
        "route.jobs": "Jobs",
        "route.interview": "Interview",
        "route.recruiter": "Talk to a recruiter",
        "keyword_route.name": "Keyword route",
        "keyword_route.description": (
            "A message with one of the keywords goes straight to the team you pick."
        ),
        "keyword_route.reply": "Thanks! We are putting you through to our team.",
        "keyword_route.keywords": "job,jobs,vacancy,vacancies",
        "keyword_route.label": "Jobs keyword",
        "business_hours_away.name": "Business-hours away message",
        "business_hours_away.description": (
            "Outside business hours, a new conversation gets a message saying when you are back."
        ),
        "business_hours_away.away": (
            "Thanks for your message! We are closed right now and will reply as soon as we "
            "are back."
        ),
        "ask_for_cv.name": "Ask for a CV",
        "ask_for_cv.description": (
            "An agent runs it on a conversation: asks the candidate for their CV, keeps the "
            "file and leaves a note."
        ),
        "ask_for_cv.ask": "Could you send us your CV? A PDF or a photo is fine.",
        "ask_for_cv.invalid": "Please send the CV as a file (PDF or photo).",
        "ask_for_cv.thanks": "Thank you, we received your CV!",
        "ask_for_cv.note": "CV received from the candidate.",
        "ask_for_cv.missing": "The candidate did not send a CV.",
        "vip_to_owner.name": "VIP to owner",
        "vip_to_owner.description": (
            "A new conversation of a contact tagged VIP goes to the contact's owner."
        ),
        "vip_to_owner.case": "Tagged VIP",
        "csat_after_close.name": "CSAT after close",
        "csat_after_close.description": (
            "When a conversation is closed, asks the customer the satisfaction question."
        ),
        "round_robin_online.name": "Round robin, online agents only",
        "round_robin_online.description": (
            "New conversations go to the team you pick. Set its routing to round robin with "
            "online agents only: the online agent who waited longest gets the next one."
        ),
        "least_open.name": "Least open conversations",
        "least_open.description": (
            "New conversations go to the team you pick. Set its routing to least open "
            "conversations: the agent with the fewest open ones gets the next one."
        ),
        "returning_customer.name": "Returning customer",
        "returning_customer.description": (
            "A returning customer goes back to the agent who helped them last; with none, the "
            "conversation is queued for its team."
        ),
        "param.jobs_team": "Team for “Jobs”",
        "param.interview_team": "Team for “Interview”",
        "param.recruiter_team": "Team for “Talk to a recruiter”",
        "param.team": "Team",
        "param.keywords": "Keywords",
        "param.vip_tag": "VIP tag",
    },
    "pt-BR": {
        "greeting_menu.name": "Menu de boas-vindas",
        "greeting_menu.description": (
            "Recebe uma nova conversa com um menu numerado e encaminha cada opção a uma equipe."
        ),
        "greeting_menu.menu": (
            "Olá {{contact.name}}! Como podemos ajudar?\n"
            "1 Vagas\n2 Entrevista\n3 Falar com recrutador"
        ),
        "greeting_menu.invalid": "Desculpe, responda com 1, 2 ou 3.",
        "greeting_menu.not_understood": "Desculpe, não entendi. Aqui está o menu de novo.",
        "greeting_menu.timeout": "Continuamos aqui quando você precisar.",
        "greeting_menu.cpf": "Para agendar sua entrevista, envie seu CPF (somente números).",
        "greeting_menu.cpf_invalid": "Esse CPF não parece válido. Tente novamente.",
        "route.jobs": "Vagas",
        "route.interview": "Entrevista",
        "route.recruiter": "Falar com recrutador",
        "keyword_route.name": "Rota por palavra-chave",
        "keyword_route.description": (
            "Uma mensagem com uma das palavras-chave vai direto para a equipe escolhida."
        ),
        "keyword_route.reply": "Obrigado! Estamos te encaminhando para a nossa equipe.",
        "keyword_route.keywords": "vaga,vagas,emprego,trabalho",
        "keyword_route.label": "Palavra-chave Vagas",
        "business_hours_away.name": "Mensagem fora do horário",
        "business_hours_away.description": (
            "Fora do horário de atendimento, uma nova conversa recebe uma mensagem de ausência."
        ),
        "business_hours_away.away": (
            "Obrigado pela mensagem! Estamos fora do horário de atendimento e responderemos "
            "assim que voltarmos."
        ),
        "ask_for_cv.name": "Pedir currículo",
        "ask_for_cv.description": (
            "Um agente executa na conversa: pede o currículo ao candidato, guarda o arquivo "
            "e deixa uma nota."
        ),
        "ask_for_cv.ask": "Você pode nos enviar seu currículo? Pode ser PDF ou foto.",
        "ask_for_cv.invalid": "Envie o currículo como arquivo (PDF ou foto), por favor.",
        "ask_for_cv.thanks": "Obrigado, recebemos seu currículo!",
        "ask_for_cv.note": "Currículo recebido do candidato.",
        "ask_for_cv.missing": "O candidato não enviou o currículo.",
        "vip_to_owner.name": "VIP para o responsável",
        "vip_to_owner.description": (
            "Uma nova conversa de um contato com a etiqueta VIP vai para o responsável do contato."
        ),
        "vip_to_owner.case": "Etiqueta VIP",
        "csat_after_close.name": "CSAT após encerrar",
        "csat_after_close.description": (
            "Quando uma conversa é encerrada, faz ao cliente a pergunta de satisfação."
        ),
        "round_robin_online.name": "Rodízio, só agentes online",
        "round_robin_online.description": (
            "Novas conversas vão para a equipe escolhida. Configure o roteamento dela como "
            "rodízio só com agentes online: o agente online que espera há mais tempo recebe a "
            "próxima."
        ),
        "least_open.name": "Menos conversas abertas",
        "least_open.description": (
            "Novas conversas vão para a equipe escolhida. Configure o roteamento dela como menos "
            "conversas abertas: o agente com menos conversas abertas recebe a próxima."
        ),
        "returning_customer.name": "Cliente que retorna",
        "returning_customer.description": (
            "Um cliente que retorna volta ao último agente que o atendeu; sem ele, a conversa "
            "entra na fila da equipe."
        ),
        "param.jobs_team": "Equipe para “Vagas”",
        "param.interview_team": "Equipe para “Entrevista”",
        "param.recruiter_team": "Equipe para “Falar com recrutador”",
        "param.team": "Equipe",
        "param.keywords": "Palavras-chave",
        "param.vip_tag": "Etiqueta VIP",
    },
    "vi": {
        "greeting_menu.name": "Menu chào mừng",
        "greeting_menu.description": (
            "Chào cuộc trò chuyện mới bằng một menu đánh số và chuyển mỗi lựa chọn đến một nhóm."
        ),
        "greeting_menu.menu": (
            "Xin chào {{contact.name}}! Chúng tôi có thể giúp gì cho bạn?\n"
            "1 Việc làm\n2 Phỏng vấn\n3 Gặp nhà tuyển dụng"
        ),
        "greeting_menu.invalid": "Xin lỗi, vui lòng trả lời 1, 2 hoặc 3.",
        "greeting_menu.not_understood": "Xin lỗi, tôi chưa hiểu. Đây là menu một lần nữa.",
        "greeting_menu.timeout": "Chúng tôi vẫn ở đây bất cứ khi nào bạn cần.",
        "greeting_menu.cpf": "Để đặt lịch phỏng vấn, vui lòng gửi số CPF của bạn (chỉ gồm số).",
        "greeting_menu.cpf_invalid": "Số CPF này có vẻ không hợp lệ. Vui lòng thử lại.",
        "route.jobs": "Việc làm",
        "route.interview": "Phỏng vấn",
        "route.recruiter": "Gặp nhà tuyển dụng",
        "keyword_route.name": "Định tuyến theo từ khóa",
        "keyword_route.description": (
            "Tin nhắn có một trong các từ khóa sẽ đi thẳng đến nhóm bạn chọn."
        ),
        "keyword_route.reply": "Cảm ơn bạn! Chúng tôi đang chuyển bạn đến nhóm của chúng tôi.",
        "keyword_route.keywords": "việc làm,tuyển dụng,vị trí",
        "keyword_route.label": "Từ khóa việc làm",
        "business_hours_away.name": "Tin nhắn ngoài giờ làm việc",
        "business_hours_away.description": (
            "Ngoài giờ làm việc, cuộc trò chuyện mới nhận được tin nhắn báo khi nào chúng tôi "
            "quay lại."
        ),
        "business_hours_away.away": (
            "Cảm ơn tin nhắn của bạn! Hiện chúng tôi đã nghỉ và sẽ trả lời ngay khi quay lại."
        ),
        "ask_for_cv.name": "Yêu cầu CV",
        "ask_for_cv.description": (
            "Nhân viên chạy trên cuộc trò chuyện: yêu cầu ứng viên gửi CV, lưu tệp và để lại "
            "ghi chú."
        ),
        "ask_for_cv.ask": "Bạn có thể gửi CV cho chúng tôi không? PDF hoặc ảnh đều được.",
        "ask_for_cv.invalid": "Vui lòng gửi CV dưới dạng tệp (PDF hoặc ảnh).",
        "ask_for_cv.thanks": "Cảm ơn bạn, chúng tôi đã nhận được CV!",
        "ask_for_cv.note": "Đã nhận CV từ ứng viên.",
        "ask_for_cv.missing": "Ứng viên chưa gửi CV.",
        "vip_to_owner.name": "VIP đến người phụ trách",
        "vip_to_owner.description": (
            "Cuộc trò chuyện mới của liên hệ có thẻ VIP sẽ đến người phụ trách liên hệ đó."
        ),
        "vip_to_owner.case": "Có thẻ VIP",
        "csat_after_close.name": "CSAT sau khi đóng",
        "csat_after_close.description": (
            "Khi một cuộc trò chuyện được đóng, gửi cho khách hàng câu hỏi mức độ hài lòng."
        ),
        "round_robin_online.name": "Xoay vòng, chỉ nhân viên trực tuyến",
        "round_robin_online.description": (
            "Cuộc trò chuyện mới đến nhóm bạn chọn. Đặt định tuyến của nhóm là xoay vòng, chỉ "
            "nhân viên trực tuyến: nhân viên trực tuyến chờ lâu nhất nhận cuộc tiếp theo."
        ),
        "least_open.name": "Ít cuộc trò chuyện mở nhất",
        "least_open.description": (
            "Cuộc trò chuyện mới đến nhóm bạn chọn. Đặt định tuyến của nhóm là ít cuộc trò "
            "chuyện mở nhất: nhân viên có ít cuộc đang mở nhất nhận cuộc tiếp theo."
        ),
        "returning_customer.name": "Khách hàng quay lại",
        "returning_customer.description": (
            "Khách hàng quay lại được chuyển về nhân viên đã hỗ trợ lần trước; nếu không có, "
            "cuộc trò chuyện vào hàng chờ của nhóm."
        ),
        "param.jobs_team": "Nhóm cho “Việc làm”",
        "param.interview_team": "Nhóm cho “Phỏng vấn”",
        "param.recruiter_team": "Nhóm cho “Gặp nhà tuyển dụng”",
        "param.team": "Nhóm",
        "param.keywords": "Từ khóa",
        "param.vip_tag": "Thẻ VIP",
    },
}
