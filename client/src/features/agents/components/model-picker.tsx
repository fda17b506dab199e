import { useMemo } from 'react';
import { Badge, Group, Select, Stack, Text, TextInput, type ComboboxItem, type SelectProps } from '@mantine/core';
import { PROVIDER_LABELS } from '../../../lib/llm-providers';
import { AUTO_MODEL, type Model } from '../api/agents.api';
import { modelSummary } from './model-format';

export const AUTO_LABEL = 'auto — route by prompt';
/** Models served by the organization's OpenAI-compatible server (Ollama, vLLM, LM Studio) are `compat:<name>`. */
export const COMPAT_PREFIX = 'compat:';
const COMPAT_LABEL = 'A model on your OpenAI-compatible server…';
const AUTO_DESCRIPTION = 'Short prompts without tools go to a fast model, the rest to a strong one.';

interface ModelPickerProps extends Omit<SelectProps, 'data' | 'renderOption' | 'value' | 'onChange'> {
  models: readonly Model[];
  value?: string;
  onChange: (value: string) => void;
}

/** The agent's model: every catalog model with its provider, context size and prices, plus "auto". */
export function ModelPicker({ models, value = '', onChange, ...props }: ModelPickerProps) {
  const byId = useMemo(() => new Map(models.map((m) => [m.id, m])), [models]);
  const data = useMemo(() => {
    const groups = new Map<string, ComboboxItem[]>();
    for (const model of models) {
      const group = PROVIDER_LABELS[model.provider];
      groups.set(group, [...(groups.get(group) ?? []), { value: model.id, label: model.displayName }]);
    }
    const known = value === AUTO_MODEL || byId.has(value) || value.startsWith(COMPAT_PREFIX);
    return [
      { group: 'Routing', items: [{ value: AUTO_MODEL, label: AUTO_LABEL }] },
      ...[...groups].map(([group, items]) => ({ group, items })),
      { group: 'Self-hosted', items: [{ value: COMPAT_PREFIX, label: COMPAT_LABEL }] },
      // A model the catalog no longer lists (or an OpenAI-compatible one) stays visible.
      ...(known || !value ? [] : [{ group: 'Other', items: [{ value, label: value }] }]),
    ];
  }, [models, byId, value]);

  const selected = byId.get(value);
  const compat = value.startsWith(COMPAT_PREFIX);
  const description =
    value === AUTO_MODEL
      ? AUTO_DESCRIPTION
      : compat
        ? 'Served by the base URL set under Settings → Model providers; no price is recorded.'
      : selected
        ? `${modelSummary(selected)} · prices as of ${selected.pricesAsOf}${selected.available ? '' : ' · no key configured'}`
        : undefined;

  return (
    <Stack gap="xs">
      <Select
        label="Model"
        data={data}
        value={compat ? COMPAT_PREFIX : value}
        onChange={(next) => onChange(next === COMPAT_PREFIX ? (compat ? value : COMPAT_PREFIX) : (next ?? value))}
        allowDeselect={false}
        searchable
        maxDropdownHeight={360}
        comboboxProps={{ withinPortal: true }}
        description={description}
        data-testid="model-picker"
        renderOption={({ option }) => {
          if (option.value === AUTO_MODEL) {
            return (
              <Stack gap={0} data-testid="model-option-auto">
                <Text fz="sm" fw={500}>
                  {AUTO_LABEL}
                </Text>
                <Text fz="xs" c="dimmed">
                  {AUTO_DESCRIPTION}
                </Text>
              </Stack>
            );
          }
          const model = byId.get(option.value);
          if (!model) return <Text fz="sm">{option.label}</Text>;
          return (
            <Group justify="space-between" wrap="nowrap" w="100%" gap="sm" data-testid={`model-option-${model.id}`}>
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text fz="sm" fw={500} c={model.available ? undefined : 'dimmed'}>
                  {model.displayName}
                </Text>
                <Text fz="xs" c="dimmed">
                  {modelSummary(model)}
                </Text>
              </Stack>
              {model.available ? null : (
                <Badge size="xs" color="gray" variant="outline" data-testid="model-no-key">
                  no key
                </Badge>
              )}
            </Group>
          );
        }}
        {...props}
      />
      {compat ? (
        <TextInput
          label="Model name on your server"
          placeholder="llama3.2"
          disabled={props.disabled}
          value={value.slice(COMPAT_PREFIX.length)}
          onChange={(event) => onChange(`${COMPAT_PREFIX}${event.currentTarget.value.trim()}`)}
          data-testid="compat-model-name"
        />
      ) : null}
    </Stack>
  );
}
