/** Response cache: exact then semantic lookup, and storing fresh answers. */
import type { ChatCompletionResponse } from "../../../../../shared/schemas/openai-chat";
import type { Bindings } from "../../app-env";
import type { ExchangeResult } from "../build-event";
import type { ChatExchange } from "../exchange";
import type { OutputFilter } from "../output-filter";

export interface CachedAnswer {
  respond(ex: ChatExchange, filter: OutputFilter, publish: (r: ExchangeResult) => void): Response;
}

export async function lookupCache(_ex: ChatExchange, _env: Bindings, _headers: Headers): Promise<CachedAnswer | null> {
  return null;
}

export async function storeInCache(_ex: ChatExchange, _env: Bindings, _headers: Headers, _response: ChatCompletionResponse): Promise<void> {}
