import { Group, MultiSelect, NumberInput, Select, SimpleGrid, Slider, Stack, Switch, Text } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { Model, PiiPolicy } from '../api/agents.api';
import { MAX_OUTPUT_TOKENS, MAX_STEPS, MAX_TEMPERATURE, type AgentFormValues } from './agent-form-values';

const PII_POLICIES: { value: PiiPolicy; label: string; explanation: string }[] = [
  { value: 'REDACT', label: 'Redact', explanation: 'Personal data is masked before messages reach the provider, and in logs.' },
  { value: 'BLOCK', label: 'Block', explanation: 'Messages that contain personal data are refused and never sent to the provider.' },
  { value: 'ALLOW', label: 'Allow', explanation: 'Messages are sent and logged as they are, personal data included.' },
];

interface AgentConfigFieldsProps {
  form: UseFormReturnType<AgentFormValues>;
  models: readonly Model[];
  readOnly: boolean;
}

export function AgentConfigFields({ form, models, readOnly }: AgentConfigFieldsProps) {
  const { config } = form.values;
  const temperature = config.temperature === '' ? null : Number(config.temperature);
  const pii = PII_POLICIES.find((p) => p.value === config.piiPolicy);
  const known = new Set(models.map((m) => m.id));
  const fallbackOptions = [
    ...models.map((m) => ({ value: m.id, label: m.available ? m.displayName : `${m.displayName} (no key)` })),
    // Fallbacks the catalog no longer lists stay visible so they can be removed.
    ...config.fallbackModels.filter((id) => !known.has(id)).map((id) => ({ value: id, label: id })),
  ];

  return (
    <Stack gap="md">
      <Stack gap={4}>
        <Group justify="space-between" align="flex-end" wrap="nowrap">
          <Stack gap={0}>
            <Text fz="sm" fw={500} id="agent-temperature-label">
              Temperature
            </Text>
            <Text fz="xs" c="dimmed">
              Lower is more focused, higher more varied. Empty: the provider's default.
            </Text>
          </Stack>
          <NumberInput
            aria-labelledby="agent-temperature-label"
            placeholder="Default"
            min={0}
            max={MAX_TEMPERATURE}
            step={0.1}
            decimalScale={2}
            w={110}
            disabled={readOnly}
            data-testid="agent-temperature"
            {...form.getInputProps('config.temperature')}
          />
        </Group>
        <Slider
          min={0}
          max={MAX_TEMPERATURE}
          step={0.05}
          value={temperature ?? 1}
          onChange={(v) => form.setFieldValue('config.temperature', v)}
          disabled={readOnly}
          thumbLabel="Temperature"
          color={temperature === null ? 'gray' : undefined}
          marks={[{ value: 0 }, { value: 1 }, { value: 2 }]}
        />
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NumberInput
          label="Max output tokens"
          description={`Per model call, 1 to ${MAX_OUTPUT_TOKENS.toLocaleString('en-US')}`}
          min={1}
          max={MAX_OUTPUT_TOKENS}
          allowDecimal={false}
          thousandSeparator=","
          disabled={readOnly}
          data-testid="agent-max-output-tokens"
          {...form.getInputProps('config.maxOutputTokens')}
        />
        <NumberInput
          label="Max steps"
          description={`Model calls per turn in the tool loop, 1 to ${MAX_STEPS}`}
          min={1}
          max={MAX_STEPS}
          allowDecimal={false}
          disabled={readOnly}
          data-testid="agent-max-steps"
          {...form.getInputProps('config.maxSteps')}
        />
        <NumberInput
          label="Max cost per run"
          description="USD; the run stops when it would exceed this. Empty: no cap."
          prefix="$"
          min={0}
          decimalScale={4}
          placeholder="No cap"
          disabled={readOnly}
          data-testid="agent-max-cost-run"
          {...form.getInputProps('config.maxCostPerRunUsd')}
        />
        <NumberInput
          label="Max cost per month"
          description="USD per calendar month (UTC) for this agent. Empty: no cap."
          prefix="$"
          min={0}
          decimalScale={2}
          placeholder="No cap"
          disabled={readOnly}
          data-testid="agent-max-cost-month"
          {...form.getInputProps('config.maxCostPerMonthUsd')}
        />
      </SimpleGrid>
      <MultiSelect
        label="Fallback models"
        description="Tried in the order picked when the model is rate limited, down or times out."
        placeholder={config.fallbackModels.length === 0 ? 'None' : undefined}
        data={fallbackOptions}
        searchable
        clearable
        disabled={readOnly}
        comboboxProps={{ withinPortal: true }}
        data-testid="agent-fallback-models"
        {...form.getInputProps('config.fallbackModels')}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }} verticalSpacing="md">
        <Select
          label="Personal data (PII)"
          description={pii?.explanation}
          data={PII_POLICIES.map(({ value, label }) => ({ value, label }))}
          allowDeselect={false}
          disabled={readOnly}
          comboboxProps={{ withinPortal: true }}
          data-testid="agent-pii-policy"
          {...form.getInputProps('config.piiPolicy')}
        />
        <Switch
          mt={{ base: 0, sm: 28 }}
          label="Cache responses"
          description="Identical model requests are answered from the cache instead of the provider."
          disabled={readOnly}
          data-testid="agent-cache-enabled"
          {...form.getInputProps('config.cacheEnabled', { type: 'checkbox' })}
        />
      </SimpleGrid>
    </Stack>
  );
}
