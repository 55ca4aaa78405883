/**
 * Test support: encodes AWS event-stream frames (application/vnd.amazon.eventstream), the
 * binary framing InvokeEndpointWithResponseStream answers with, so tests replay payload parts
 * through the real SDK deserializer. Spec: https://docs.aws.amazon.com/AmazonS3/latest/API/RESTSelectObjectAppendix.html
 */
import { EventStreamCodec } from "@smithy/core/event-streams";

const toUtf8 = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const fromUtf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const codec = new EventStreamCodec(toUtf8, fromUtf8);
const str = (value: string) => ({ type: "string" as const, value });

export const payloadPartFrame = (bytes: Uint8Array): Uint8Array =>
  codec.encode({
    headers: { ":message-type": str("event"), ":event-type": str("PayloadPart"), ":content-type": str("application/octet-stream") },
    body: bytes,
  });

export const exceptionFrame = (type: string, body: unknown): Uint8Array =>
  codec.encode({
    headers: { ":message-type": str("exception"), ":exception-type": str(type), ":content-type": str("application/json") },
    body: fromUtf8(JSON.stringify(body)),
  });

/** Splits `text` into payload parts of `partSize` bytes (lines deliberately cut mid-way). */
export function payloadFrames(text: string, partSize = 13): Uint8Array[] {
  const bytes = fromUtf8(text);
  const frames: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += partSize) frames.push(payloadPartFrame(bytes.slice(i, i + partSize)));
  return frames;
}

export function eventStreamResponse(frames: Uint8Array[]): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const f of frames) controller.enqueue(f);
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { "content-type": "application/vnd.amazon.eventstream", "x-amzn-sagemaker-content-type": "text/event-stream" } });
}
