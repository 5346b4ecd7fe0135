// The tab's live socket, for sending typing and viewing signals (owned by `LiveProvider`).
export { useLiveSocket } from "../live/LiveProvider";
