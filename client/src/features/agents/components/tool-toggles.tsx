import type { ReactNode } from 'react';
import { Checkbox, Code, Stack, Switch, Text } from '@mantine/core';
import type { ToolDefinition } from '../api/agents.api';

interface ToolTogglesProps {
  tools: readonly ToolDefinition[];
  value: string[];
  onChange: (value: string[]) => void;
  /** Enabled tools whose calls wait for a person's approval in workflow runs. */
  requiringApproval: string[];
  onRequiringApprovalChange: (value: string[]) => void;
  disabled: boolean;
  error?: ReactNode;
}

/** One switch per tool the server offers; tools the agent has but the server no longer lists stay removable. */
export function ToolToggles({ tools, value, onChange, requiringApproval, onRequiringApprovalChange, disabled, error }: ToolTogglesProps) {
  const known = new Set(tools.map((t) => t.name));
  const gone = value.filter((name) => !known.has(name)).map((name) => ({ name, description: 'No longer available on this server.' }));
  const listed = [...tools, ...gone];
  const toggle = (name: string, on: boolean) => onChange(on ? [...value.filter((n) => n !== name), name] : value.filter((n) => n !== name));
  const toggleApproval = (name: string, on: boolean) =>
    onRequiringApprovalChange(on ? [...requiringApproval.filter((n) => n !== name), name] : requiringApproval.filter((n) => n !== name));

  return (
    <Stack gap="sm" data-testid="tool-toggles">
      {listed.length === 0 ? (
        <Text fz="sm" c="dimmed">
          This server offers no tools yet.
        </Text>
      ) : (
        listed.map((tool) => (
          <Stack key={tool.name} gap={4}>
            <Switch
              checked={value.includes(tool.name)}
              onChange={(e) => toggle(tool.name, e.currentTarget.checked)}
              disabled={disabled}
              data-testid={`tool-toggle-${tool.name}`}
              label={<Code fz="xs">{tool.name}</Code>}
              description={tool.description}
            />
            {value.includes(tool.name) ? (
              <Checkbox
                ml={48}
                size="xs"
                checked={requiringApproval.includes(tool.name)}
                onChange={(e) => toggleApproval(tool.name, e.currentTarget.checked)}
                disabled={disabled}
                data-testid={`tool-approval-${tool.name}`}
                label="In workflow runs, ask a person to approve each call (with its arguments)"
              />
            ) : null}
          </Stack>
        ))
      )}
      {error ? (
        <Text fz="xs" c="red">
          {error}
        </Text>
      ) : null}
    </Stack>
  );
}
