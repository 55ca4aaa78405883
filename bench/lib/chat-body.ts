/**
 * The chat request every gateway load benchmark sends (overhead, profile, and the hotpath
 * Worker, which bundles this file): short, answered by the small simulated model.
 */
export const CHAT_BODY = JSON.stringify({ model: "small-sim", messages: [{ role: "user", content: "Give me a one-line status update." }], max_tokens: 16 });
