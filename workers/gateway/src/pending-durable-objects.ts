// TEMPORARY (lead): placeholders until limits/rate-limiter.ts and cache/vector-store land.
import { DurableObject } from "cloudflare:workers";
export class LocalVectorIndex extends DurableObject {}
