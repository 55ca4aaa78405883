/**
 * Prometheus text exposition with vLLM's metric names and `model_name` label, so dashboards
 * and autoscalers (KEDA on num_requests_waiting) can be tried against the simulator.
 * Format: https://prometheus.io/docs/instrumenting/exposition_formats/
 */
import type { FifoSemaphore } from "./fifo-semaphore";

/** vLLM's time_to_first_token_seconds buckets. */
export const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560];

export class ModelMetrics {
  promptTokens = 0;
  generationTokens = 0;
  readonly success = new Map<string, number>();
  /** Of the successes, `continue_final_message` requests (a gateway resuming a cut stream). */
  continuations = 0;
  readonly ttftCounts = new Array<number>(TTFT_BUCKETS.length).fill(0);
  ttftSum = 0;
  ttftCount = 0;

  recordTtft(seconds: number): void {
    this.ttftSum += seconds;
    this.ttftCount++;
    for (let i = 0; i < TTFT_BUCKETS.length; i++) {
      if (seconds <= (TTFT_BUCKETS[i] as number)) {
        this.ttftCounts[i] = (this.ttftCounts[i] ?? 0) + 1;
        break;
      }
    }
  }

  recordSuccess(finishReason: string, promptTokens: number, generationTokens: number, continuation = false): void {
    if (continuation) this.continuations++;
    this.promptTokens += promptTokens;
    this.generationTokens += generationTokens;
    this.success.set(finishReason, (this.success.get(finishReason) ?? 0) + 1);
  }
}

export interface MetricsSource {
  id: string;
  metrics: ModelMetrics;
  slots: FifoSemaphore;
}

const esc = (v: string): string => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const fmt = (n: number): string => (Number.isInteger(n) ? `${n}.0` : String(n));

function family(lines: string[], name: string, type: string, help: string): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
}

function ttftLines(lines: string[], label: string, m: ModelMetrics): void {
  let cumulative = 0;
  for (let i = 0; i < TTFT_BUCKETS.length; i++) {
    cumulative += m.ttftCounts[i] ?? 0;
    lines.push(`vllm:time_to_first_token_seconds_bucket{${label},le="${fmt(TTFT_BUCKETS[i] as number)}"} ${fmt(cumulative)}`);
  }
  lines.push(`vllm:time_to_first_token_seconds_bucket{${label},le="+Inf"} ${fmt(m.ttftCount)}`);
  lines.push(`vllm:time_to_first_token_seconds_sum{${label}} ${fmt(m.ttftSum)}`);
  lines.push(`vllm:time_to_first_token_seconds_count{${label}} ${fmt(m.ttftCount)}`);
}

export function renderMetrics(models: readonly MetricsSource[]): string {
  const lines: string[] = [];
  const labels = models.map((m) => `model_name="${esc(m.id)}"`);
  const gauge = (name: string, help: string, value: (m: MetricsSource) => number): void => {
    family(lines, name, "gauge", help);
    models.forEach((m, i) => lines.push(`${name}{${labels[i]}} ${fmt(value(m))}`));
  };
  const counter = (name: string, help: string, value: (m: MetricsSource) => number): void => {
    family(lines, name, "counter", help);
    models.forEach((m, i) => lines.push(`${name}{${labels[i]}} ${fmt(value(m))}`));
  };
  gauge("vllm:num_requests_running", "Number of requests currently running.", (m) => m.slots.running);
  gauge("vllm:num_requests_waiting", "Number of requests waiting to be processed.", (m) => m.slots.waiting);
  counter("vllm:prompt_tokens_total", "Number of prefill tokens processed.", (m) => m.metrics.promptTokens);
  counter("vllm:generation_tokens_total", "Number of generation tokens processed.", (m) => m.metrics.generationTokens);
  family(lines, "vllm:request_success_total", "counter", "Count of successfully processed requests.");
  models.forEach((m, i) => {
    for (const [reason, n] of m.metrics.success) lines.push(`vllm:request_success_total{finished_reason="${esc(reason)}",${labels[i]}} ${fmt(n)}`);
  });
  // Not a vLLM metric: the simulator's own, so a fault run can count the streams a gateway resumed.
  counter("sim:continuations_total", "Successfully processed continue_final_message requests (included in vllm:request_success_total).", (m) => m.metrics.continuations);
  family(lines, "vllm:time_to_first_token_seconds", "histogram", "Histogram of time to first token in seconds.");
  models.forEach((m, i) => ttftLines(lines, labels[i] as string, m.metrics));
  return `${lines.join("\n")}\n`;
}
