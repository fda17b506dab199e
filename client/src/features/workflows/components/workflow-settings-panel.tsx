import { useState } from 'react';
import { Alert, Button, Code, CopyButton, Divider, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useMutation } from 'urql';
import { notifyError } from '../../../lib/notify';
import { RotateWebhookSecretMutation } from '../api/workflows.api';

interface WorkflowSettingsPanelProps {
  workflowId: string;
  name: string;
  description: string;
  webhookUrl: string | null;
  readOnly: boolean;
  onChange: (patch: { name?: string; description?: string }) => void;
}

/** The panel when no node is selected: the workflow's name, description and webhook. */
export function WorkflowSettingsPanel({ workflowId, name, description, webhookUrl, readOnly, onChange }: WorkflowSettingsPanelProps) {
  const [rotateState, rotate] = useMutation(RotateWebhookSecretMutation);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);

  const rotateSecret = async () => {
    const result = await rotate({ workflowId });
    if (result.data) setSecret(result.data.rotateWebhookSecret);
    else notifyError(result.error, 'Could not create a webhook secret');
  };

  return (
    <Stack gap="md" data-testid="workflow-settings-panel">
      <Text fz="sm" c="dimmed">
        Select a node to edit it. Connect nodes by dragging from an output socket (right) to an input socket (left).
      </Text>
      <TextInput
        label="Workflow name"
        withAsterisk
        value={name}
        onChange={(event) => onChange({ name: event.currentTarget.value })}
        error={name.trim() === '' ? 'A workflow needs a name' : undefined}
        disabled={readOnly}
        data-testid="workflow-name-input"
      />
      <Textarea
        label="Description"
        value={description}
        onChange={(event) => onChange({ description: event.currentTarget.value })}
        autosize
        minRows={2}
        maxRows={6}
        disabled={readOnly}
        data-testid="workflow-description-input"
      />
      {webhookUrl ? (
        <>
          <Divider label="Webhook" labelPosition="left" />
          <Stack gap={6}>
            <Text fz="xs" c="dimmed">
              POST JSON here to start a run (signed with the webhook secret):
            </Text>
            <Code block fz="xs" data-testid="webhook-url" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
              {webhookUrl}
            </Code>
            {!readOnly ? (
              <Button variant="light" size="xs" leftSection={<IconKey size={14} />} loading={rotateState.fetching} onClick={() => void rotateSecret()} data-testid="rotate-webhook-secret" style={{ alignSelf: 'flex-start' }}>
                New webhook secret
              </Button>
            ) : null}
            {secret ? (
              <Alert color="yellow" variant="light" title="Copy the secret now: it is shown only once" data-testid="webhook-secret">
                <Stack gap={6}>
                  <Code block fz="xs" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
                    {secret.secret}
                  </Code>
                  <CopyButton value={secret.secret}>
                    {({ copied, copy }) => (
                      <Button size="xs" variant="default" onClick={copy} style={{ alignSelf: 'flex-start' }}>
                        {copied ? 'Copied' : 'Copy secret'}
                      </Button>
                    )}
                  </CopyButton>
                </Stack>
              </Alert>
            ) : null}
          </Stack>
        </>
      ) : null}
    </Stack>
  );
}
