/**
 * SageMaker Runtime client construction and SDK error classification.
 * The SDK's own FetchHttpHandler (Web fetch, no node:http) is given ctx.fetch, so the client
 * runs in workerd and tests intercept every call; SDK retries are off because the gateway's
 * executor owns retries, backoff and fallback.
 * Errors: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html#API_runtime_InvokeEndpoint_Errors
 */
import { SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { FetchHttpHandler } from "@smithy/fetch-http-handler";
import { z } from "zod";
import { networkError, streamError } from "../http";
import { isRetryableStatus, UpstreamError, type UpstreamCallContext } from "../upstream";

export const PROVIDER = "sagemaker upstream";

/** The secret named by the registry holds static IAM credentials as JSON. */
const AwsCredentialSchema = z.object({
  accessKeyId: z.string().min(1),
  secretAccessKey: z.string().min(1),
  sessionToken: z.string().min(1).optional(),
});

export function sagemakerClient(ctx: Pick<UpstreamCallContext<{ region: string }>, "config" | "credential" | "fetch">): SageMakerRuntimeClient {
  return new SageMakerRuntimeClient({
    region: ctx.config.region,
    credentials: parseCredential(ctx.credential),
    requestHandler: new FetchHttpHandler({ customFetch: ctx.fetch }),
    maxAttempts: 1,
  });
}

function parseCredential(raw: string | undefined): z.infer<typeof AwsCredentialSchema> {
  let value: unknown;
  try {
    value = raw === undefined ? undefined : JSON.parse(raw);
  } catch {
    value = undefined;
  }
  const parsed = AwsCredentialSchema.safeParse(value);
  // Misconfiguration, not the client's fault: no status, so the executor falls back and reports a 5xx.
  if (!parsed.success) throw new UpstreamError(`${PROVIDER} credential must be JSON {accessKeyId, secretAccessKey, sessionToken?}`, { retryable: false });
  return parsed.data;
}

/** What we read from an SDK ServiceException (names per the API reference's Errors section). */
const SdkErrorSchema = z.looseObject({
  name: z.string(),
  message: z.string().optional(),
  $metadata: z.looseObject({ httpStatusCode: z.number().int().optional() }).optional(),
  /** ModelError: the status the model container itself answered with. */
  OriginalStatusCode: z.number().int().optional(),
});

/** Status to report per modeled error; retryable follows from it (408/409/429/5xx). */
const STATUS_BY_NAME: Record<string, number> = {
  ValidationError: 400,
  ThrottlingException: 429,
  ModelNotReadyException: 503,
  ServiceUnavailable: 503,
  InternalFailure: 500,
  InternalDependencyException: 502,
};

/** Classifies anything the SDK throws; `inStream` = after the response stream opened. */
export function sagemakerError(err: unknown, signal: AbortSignal, inStream: boolean): UpstreamError {
  if (err instanceof UpstreamError) return err;
  const sdk = SdkErrorSchema.safeParse(err);
  if (signal.aborted || !sdk.success || sdk.data.name === "AbortError") return networkError(err, signal, PROVIDER, !inStream);
  const { name, message = "", OriginalStatusCode, $metadata } = sdk.data;
  const text = `${PROVIDER} ${name}: ${message.slice(0, 300)}`;
  // ModelStreamError (ModelInvocationTimeExceeded, StreamBroken) and InternalStreamFailure arrive mid-stream.
  if (inStream) return streamError(text, err);
  const status = name === "ModelError" ? (OriginalStatusCode ?? 424) : (STATUS_BY_NAME[name] ?? $metadata?.httpStatusCode);
  if (status === undefined) return networkError(err, signal, PROVIDER, true);
  return new UpstreamError(text, { status, retryable: isRetryableStatus(status), cause: err });
}
