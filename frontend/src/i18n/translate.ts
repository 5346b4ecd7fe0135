// A translation function: `t` of react-i18next, or of an i18next instance in a unit test.
export type Translate = (key: string, values?: Record<string, unknown>) => string;
