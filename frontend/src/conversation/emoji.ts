// A compact set of emoji for replies, with names (and search words) in every app language.
import { rank } from "../components/search";

export const EMOJI_GROUPS = ["smileys", "gestures", "symbols", "objects"] as const;
export type EmojiGroup = (typeof EMOJI_GROUPS)[number];

export interface Emoji {
  id: string;
  char: string;
  group: EmojiGroup;
}

const SETS: Record<EmojiGroup, [string, string][]> = {
  smileys: [
    ["grinning", "😀"], ["smile", "😄"], ["joy", "😂"], ["rofl", "🤣"], ["slightly_smiling", "🙂"],
    ["wink", "😉"], ["blush", "😊"], ["innocent", "😇"], ["heart_eyes", "😍"], ["star_struck", "🤩"],
    ["kissing_heart", "😘"], ["upside_down", "🙃"], ["sweat_smile", "😅"], ["sunglasses", "😎"], ["nerd", "🤓"],
    ["hugging", "🤗"], ["thinking", "🤔"], ["shushing", "🤫"], ["zipper_mouth", "🤐"], ["neutral", "😐"],
    ["rolling_eyes", "🙄"], ["relieved", "😌"], ["sleeping", "😴"], ["confused", "😕"], ["worried", "😟"],
    ["frowning", "🙁"], ["pleading", "🥺"], ["cry", "😢"], ["sob", "😭"], ["flushed", "😳"],
    ["scream", "😱"], ["angry", "😠"], ["rage", "😡"], ["party", "🥳"], ["facepalm", "🤦"],
    ["shrug", "🤷"],
  ],
  gestures: [
    ["thumbs_up", "👍"], ["thumbs_down", "👎"], ["ok_hand", "👌"], ["clap", "👏"], ["wave", "👋"],
    ["pray", "🙏"], ["raised_hands", "🙌"], ["muscle", "💪"], ["point_right", "👉"], ["point_up", "☝️"],
    ["crossed_fingers", "🤞"], ["victory", "✌️"], ["handshake", "🤝"], ["call_me", "🤙"], ["writing", "✍️"],
    ["eyes", "👀"],
  ],
  symbols: [
    ["heart", "❤️"], ["orange_heart", "🧡"], ["yellow_heart", "💛"], ["green_heart", "💚"], ["blue_heart", "💙"],
    ["purple_heart", "💜"], ["broken_heart", "💔"], ["sparkling_heart", "💖"], ["fire", "🔥"], ["sparkles", "✨"],
    ["star", "⭐"], ["hundred", "💯"], ["check", "✅"], ["cross", "❌"], ["warning", "⚠️"],
    ["question", "❓"], ["exclamation", "❗"], ["zzz", "💤"],
  ],
  objects: [
    ["tada", "🎉"], ["gift", "🎁"], ["balloon", "🎈"], ["trophy", "🏆"], ["rocket", "🚀"],
    ["bulb", "💡"], ["mobile", "📱"], ["telephone", "☎️"], ["email", "📧"], ["package", "📦"],
    ["truck", "🚚"], ["credit_card", "💳"], ["money", "💰"], ["receipt", "🧾"], ["calendar", "📅"],
    ["alarm_clock", "⏰"], ["hourglass", "⏳"], ["lock", "🔒"], ["key", "🔑"], ["wrench", "🔧"],
    ["memo", "📝"], ["pin", "📌"], ["link", "🔗"], ["chart", "📈"], ["cart", "🛒"],
    ["house", "🏠"], ["coffee", "☕"], ["pizza", "🍕"], ["cake", "🎂"], ["sun", "☀️"],
    ["rain", "🌧️"], ["flower", "🌸"], ["dog", "🐶"], ["cat", "🐱"],
  ],
};

export const EMOJI: readonly Emoji[] = EMOJI_GROUPS.flatMap((group) =>
  SETS[group].map(([id, char]) => ({ id, char, group })),
);

/** Names as catalogues hold them: "thumbs up, like, ok" — the first is the name, all are search words. */
export type EmojiNames = Record<string, string | undefined>;

/** An emoji's name in one language (the first of its words), or its id spelled out. */
export function emojiName(emoji: Emoji, names: EmojiNames): string {
  return names[emoji.id]?.split(",")[0]?.trim() || emoji.id.replace(/_/g, " ");
}

/**
 * The emoji whose names (in any of the given languages, the first one shown) match `query`,
 * best first; all of them, in order, for an empty query.
 */
export function findEmoji(query: string, languages: readonly EmojiNames[]): Emoji[] {
  const first = languages[0] ?? {};
  const items = EMOJI.map((emoji) => ({
    emoji,
    label: emojiName(emoji, first),
    keywords: [
      emoji.id.replace(/_/g, " "),
      ...languages.flatMap((names) => (names[emoji.id] ?? "").split(",").map((word) => word.trim())),
    ],
  }));
  return rank(query, items).map((item) => item.emoji);
}

/** `text` with `insert` put in place of the selection [start, end), and where the caret goes after it. */
export function insertAt(text: string, start: number, end: number, insert: string): { text: string; caret: number } {
  const from = Math.max(0, Math.min(start, text.length));
  const to = Math.max(from, Math.min(end, text.length));
  return { text: text.slice(0, from) + insert + text.slice(to), caret: from + insert.length };
}
