#!/bin/sh
# Downloads the small tier's fine-tuning set from the gateway (OpenAI chat-format JSONL,
# redacted) and refuses to train on too little: a few dozen examples overfit more than they teach.
set -eu
since_ms="$(( ($(date +%s) - LOOKBACK_DAYS * 86400) * 1000 ))"
url="${GATEWAY_URL%/}/admin/v1/datasets/fine-tuning?since=${since_ms}&threshold=${SCORE_THRESHOLD}"
out="${DATA_DIR:-/work/data}/train.jsonl"
mkdir -p "$(dirname "$out")"
curl --fail-with-body --silent --show-error --retry 3 --max-time 1800 \
  -H "Authorization: Bearer ${GATEWAY_EXPORT_KEY}" -o "$out" "$url"
examples="$(grep -c . "$out" || true)"
echo "fine-tuning export: ${examples} examples since ${since_ms} (threshold ${SCORE_THRESHOLD})"
if [ "${examples}" -lt "${MIN_EXAMPLES}" ]; then
  echo "fewer than MIN_EXAMPLES=${MIN_EXAMPLES} examples: not training (lower it, widen LOOKBACK_DAYS, or wait for more judged cascade drafts)" >&2
  exit 3
fi
