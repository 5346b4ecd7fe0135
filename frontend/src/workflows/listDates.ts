// The workflows list's publish date: "3 Dec" (or "Dec 3") this year, with the year otherwise.

export function formatPublishedDay(iso: string, language: string, now: Date = new Date()): string {
  const when = new Date(iso);
  const options: Intl.DateTimeFormatOptions = { day: "numeric", month: "short" };
  if (when.getFullYear() !== now.getFullYear()) options.year = "numeric";
  return new Intl.DateTimeFormat(language, options).format(when);
}
