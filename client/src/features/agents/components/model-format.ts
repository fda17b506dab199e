import { formatTokenCount } from '../../../lib/format';
import { PROVIDER_LABELS } from '../../../lib/llm-providers';
import type { Model } from '../api/agents.api';

const price = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 3 });
const wholePrice = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

/** A price per million tokens: 3 → "$3", 0.25 → "$0.25", 0.125 → "$0.125". */
export function formatPricePerMTok(usd: number): string {
  return Number.isInteger(usd) ? wholePrice.format(usd) : price.format(usd);
}

/** "$3 / $15 per 1M in/out", or "free" for models without a price. */
export function modelPrices(model: Model): string {
  if (model.inputPricePerMTokUsd === 0 && model.outputPricePerMTokUsd === 0) return 'free';
  return `${formatPricePerMTok(model.inputPricePerMTokUsd)} / ${formatPricePerMTok(model.outputPricePerMTokUsd)} per 1M in/out`;
}

/** "Anthropic · 200K ctx · $3 / $15 per 1M in/out". */
export function modelSummary(model: Model): string {
  return `${PROVIDER_LABELS[model.provider]} · ${formatTokenCount(model.contextWindow)} ctx · ${modelPrices(model)}`;
}

/** The display name of a model id, the id itself when the catalog does not know it. */
export function modelLabel(models: readonly Model[] | undefined, id: string): string {
  if (id === 'auto') return 'auto';
  return models?.find((m) => m.id === id)?.displayName ?? id;
}
