// Every text the visitor reads, in the three languages Frontdesk speaks.
export type Lang = "en" | "pt-BR" | "vi";

const en = {
  open: "Open chat",
  close: "Close chat",
  title: "Chat with us",
  placeholder: "Write a message…",
  send: "Send",
  attach: "Attach a file",
  typing: "{name} is typing…",
  someone: "Someone",
  team: "Our team",
  closed: "We're closed",
  closedUntil: "We're closed · we open {when}",
  atToday: "today at {time}",
  atTomorrow: "tomorrow at {time}",
  atDay: "{day} at {time}",
  replySoon: "We're online · an agent will answer shortly",
  replyWait: "We're online · expected wait about {minutes} min",
  replyLater: "We're open · everyone is busy, we'll reply as soon as we can",
  start: "Start chat",
  name: "Your name",
  email: "Your email",
  emailRequired: "Please give your email so we can reply.",
  retry: "Not sent. Tap to retry",
  sending: "Sending…",
  sent: "Sent",
  read: "Read",
  today: "Today",
  yesterday: "Yesterday",
  offline: "Reconnecting…",
  tooLarge: "This file is larger than {size}.",
  uploadFailed: "The file could not be sent.",
  uploading: "Uploading {name}",
  remove: "Remove {name}",
  tooFast: "You are sending messages too fast. Please wait a moment.",
  unread: "{count} unread",
  poweredBy: "Chat by Frontdesk",
  earlier: "Show earlier messages",
};
export type Key = keyof typeof en;

const catalogues: Record<Lang, Record<Key, string>> = {
  en,
  "pt-BR": {
    open: "Abrir chat",
    close: "Fechar chat",
    title: "Fale conosco",
    placeholder: "Escreva uma mensagem…",
    send: "Enviar",
    attach: "Anexar arquivo",
    typing: "{name} está digitando…",
    someone: "Alguém",
    team: "Nossa equipe",
    closed: "Estamos fechados",
    closedUntil: "Estamos fechados · abrimos {when}",
    atToday: "hoje às {time}",
    atTomorrow: "amanhã às {time}",
    atDay: "{day} às {time}",
    replySoon: "Estamos on-line · um atendente vai responder em instantes",
    replyWait: "Estamos on-line · espera estimada de cerca de {minutes} min",
    replyLater: "Estamos abertos · todos estão ocupados, responderemos assim que possível",
    start: "Iniciar conversa",
    name: "Seu nome",
    email: "Seu e-mail",
    emailRequired: "Informe seu e-mail para podermos responder.",
    retry: "Não enviada. Toque para tentar de novo",
    sending: "Enviando…",
    sent: "Enviada",
    read: "Lida",
    today: "Hoje",
    yesterday: "Ontem",
    offline: "Reconectando…",
    tooLarge: "Este arquivo é maior que {size}.",
    uploadFailed: "Não foi possível enviar o arquivo.",
    uploading: "Enviando {name}",
    remove: "Remover {name}",
    tooFast: "Você está enviando mensagens rápido demais. Aguarde um momento.",
    unread: "{count} não lidas",
    poweredBy: "Chat por Frontdesk",
    earlier: "Ver mensagens anteriores",
  },
  vi: {
    open: "Mở trò chuyện",
    close: "Đóng trò chuyện",
    title: "Trò chuyện với chúng tôi",
    placeholder: "Nhập tin nhắn…",
    send: "Gửi",
    attach: "Đính kèm tệp",
    typing: "{name} đang soạn tin…",
    someone: "Ai đó",
    team: "Đội ngũ của chúng tôi",
    closed: "Chúng tôi đang nghỉ",
    closedUntil: "Chúng tôi đang nghỉ · mở cửa lại {when}",
    atToday: "hôm nay lúc {time}",
    atTomorrow: "ngày mai lúc {time}",
    atDay: "{day} lúc {time}",
    replySoon: "Chúng tôi đang trực tuyến · nhân viên sẽ trả lời ngay",
    replyWait: "Chúng tôi đang trực tuyến · thời gian chờ khoảng {minutes} phút",
    replyLater: "Chúng tôi đang mở cửa · mọi người đều bận, chúng tôi sẽ trả lời sớm nhất có thể",
    start: "Bắt đầu trò chuyện",
    name: "Tên của bạn",
    email: "Email của bạn",
    emailRequired: "Vui lòng nhập email để chúng tôi có thể trả lời.",
    retry: "Chưa gửi được. Chạm để thử lại",
    sending: "Đang gửi…",
    sent: "Đã gửi",
    read: "Đã xem",
    today: "Hôm nay",
    yesterday: "Hôm qua",
    offline: "Đang kết nối lại…",
    tooLarge: "Tệp này lớn hơn {size}.",
    uploadFailed: "Không gửi được tệp.",
    uploading: "Đang tải lên {name}",
    remove: "Xóa {name}",
    tooFast: "Bạn gửi tin quá nhanh. Vui lòng đợi một chút.",
    unread: "{count} chưa đọc",
    poweredBy: "Trò chuyện bởi Frontdesk",
    earlier: "Xem tin nhắn trước",
  },
};

/** The best of our languages for what the browser (or the site) asks for. */
export function pickLanguage(wanted: readonly string[]): Lang {
  for (const raw of wanted) {
    const tag = raw.toLowerCase();
    if (tag.startsWith("pt")) return "pt-BR";
    if (tag.startsWith("vi")) return "vi";
    if (tag.startsWith("en")) return "en";
  }
  return "en";
}

export function translator(lang: Lang) {
  const table = catalogues[lang];
  return (key: Key, vars: Record<string, string | number> = {}): string =>
    table[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ""));
}

export function catalogueKeys(lang: Lang): string[] {
  return Object.keys(catalogues[lang]).sort();
}

export function formatBytes(bytes: number, lang: Lang): string {
  const mb = bytes / (1024 * 1024);
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(mb)} MB`;
}
