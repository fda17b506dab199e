import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Button, Card, Group, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { ErrorAlert } from '../../../components/error-alert';
import { PROVIDER_LABELS } from '../../../lib/llm-providers';
import type { Model, ToolDefinition } from '../api/agents.api';
import { AgentConfigFields } from './agent-config-fields';
import { agentFormValidation, formPathOf, type AgentFormValues } from './agent-form-values';
import { InstructionsEditor } from './instructions-editor';
import { ModelPicker } from './model-picker';
import { ToolToggles } from './tool-toggles';

interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown> | null;
}

/** The field a BAD_USER_INPUT error names (extensions.details.field), with its message. */
function fieldError(error: unknown): { path: string; message: string } | null {
  const errors = (error as { graphQLErrors?: GraphQLErrorLike[] } | null)?.graphQLErrors ?? [];
  for (const e of errors) {
    if (e.extensions?.code !== 'BAD_USER_INPUT') continue;
    const details = e.extensions.details as { field?: unknown } | undefined;
    const path = formPathOf(details?.field);
    if (path) return { path, message: e.message };
  }
  return null;
}

function Section({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <Card withBorder radius="md" padding="lg">
      <Stack gap="md">
        <Stack gap={2}>
          <Text fw={600}>{title}</Text>
          {description ? (
            <Text fz="sm" c="dimmed">
              {description}
            </Text>
          ) : null}
        </Stack>
        {children}
      </Stack>
    </Card>
  );
}

export interface AgentFormProps {
  initialValues: AgentFormValues;
  models: readonly Model[];
  tools: readonly ToolDefinition[];
  readOnly: boolean;
  submitLabel: string;
  /** Resolves to the error to show on the form, or null when saved (or handled elsewhere). */
  onSubmit: (values: AgentFormValues) => Promise<unknown>;
  submitting: boolean;
  /** Blocks saving (e.g. someone else saved a newer version), with the reason on the button. */
  saveBlocked?: boolean;
  /** Saving an unchanged form would only add a version: disable Save until something changes. */
  saveRequiresChanges?: boolean;
  onDirtyChange?: (dirty: boolean) => void;
  /** More actions next to Save (archive). */
  actions?: ReactNode;
}

export function AgentForm(props: AgentFormProps) {
  const { initialValues, models, tools, readOnly, submitLabel, onSubmit, submitting, saveBlocked, saveRequiresChanges, onDirtyChange, actions } = props;
  const [serverError, setServerError] = useState<unknown>(null);
  const form = useForm<AgentFormValues>({ initialValues, validate: agentFormValidation });
  const dirty = form.isDirty();
  useEffect(() => onDirtyChange?.(dirty), [dirty, onDirtyChange]);

  const submit = form.onSubmit(async (values) => {
    setServerError(null);
    const error = await onSubmit(values);
    if (!error) return;
    setServerError(error);
    const field = fieldError(error);
    if (field) form.setFieldError(field.path, field.message);
  });

  const model = models.find((m) => m.id === form.values.model);

  return (
    <form onSubmit={submit} noValidate data-testid="agent-form" aria-label="Agent">
      <Stack gap="lg">
        {serverError ? <ErrorAlert error={serverError} title="Could not save the agent" testId="agent-save-error" /> : null}
        <Section title="Agent">
          <TextInput label="Name" placeholder="Support triage" required disabled={readOnly} data-testid="agent-name" {...form.getInputProps('name')} />
          <TextInput
            label="Role"
            description="A short description of the agent's job, shown in lists."
            placeholder="Sorts incoming tickets and drafts first replies"
            disabled={readOnly}
            data-testid="agent-role"
            {...form.getInputProps('role')}
          />
          <Stack gap={4}>
            <Text fz="sm" fw={500} id="agent-status-label">
              Status
            </Text>
            <SegmentedControl
              aria-labelledby="agent-status-label"
              data={[
                { value: 'ACTIVE', label: 'Active' },
                { value: 'INACTIVE', label: 'Inactive' },
              ]}
              disabled={readOnly}
              w={{ base: '100%', xs: 260 }}
              data-testid="agent-status"
              {...form.getInputProps('status')}
            />
            <Text fz="xs" c="dimmed">
              Inactive agents keep their configuration but cannot be used in workflows.
            </Text>
          </Stack>
        </Section>
        <Section title="System prompt">
          <InstructionsEditor
            value={form.values.instructions}
            onChange={(v) => form.setFieldValue('instructions', v)}
            readOnly={readOnly}
            error={form.errors.instructions}
          />
        </Section>
        <Section title="Model" description="Which LLM answers, and what happens when it fails or costs too much.">
          <ModelPicker models={models} disabled={readOnly} {...form.getInputProps('model')} />
          {model && !model.available ? (
            <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="model-no-key-warning">
              No {PROVIDER_LABELS[model.provider]} key is configured, so calls to {model.displayName} fail. An owner or admin can add one under
              Settings → Model providers.
            </Alert>
          ) : null}
          <AgentConfigFields form={form} models={models} readOnly={readOnly} />
        </Section>
        <Section title="Tools" description="What the agent may call while it works.">
          <ToolToggles
            tools={tools}
            value={form.values.tools}
            onChange={(v) => form.setFieldValue('tools', v)}
            requiringApproval={form.values.config.toolsRequiringApproval}
            onRequiringApprovalChange={(v) => form.setFieldValue('config.toolsRequiringApproval', v)}
            disabled={readOnly}
            error={form.errors.tools}
          />
        </Section>
        {readOnly ? null : (
          <Group justify="space-between" data-testid="agent-form-actions">
            <Group gap="sm">{actions}</Group>
            <Group gap="sm">
              {Object.keys(form.errors).length > 0 ? (
                <Text fz="sm" c="red">
                  Check the highlighted fields.
                </Text>
              ) : null}
              {dirty ? (
                <Button variant="default" onClick={() => form.reset()} disabled={submitting}>
                  Discard changes
                </Button>
              ) : null}
              <Button type="submit" loading={submitting} disabled={saveBlocked || (saveRequiresChanges && !dirty)} data-testid="agent-save">
                {submitLabel}
              </Button>
            </Group>
          </Group>
        )}
      </Stack>
    </form>
  );
}
