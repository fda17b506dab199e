import { ActionIcon, Alert, Code, CopyButton, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';

export function ApiKeySecret({ name, secret }: { name: string; secret: string }) {
  return (
    <Stack gap="md">
      <Alert color="yellow" variant="light" radius="md" icon={<IconAlertTriangle size={18} />} title="Copy this key now" data-testid="api-key-secret-warning">
        This is the only time the secret of “{name}” is shown. Store it in a secret manager; if you lose it, revoke the
        key and create a new one.
      </Alert>
      <Group gap="xs" wrap="nowrap" align="stretch">
        <Code block fz="sm" style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="api-key-secret">
          {secret}
        </Code>
        <CopyButton value={secret} timeout={2000}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow position="left">
              <ActionIcon
                color={copied ? 'teal' : 'gray'}
                variant="light"
                size="lg"
                onClick={copy}
                aria-label="Copy API key"
                data-testid="copy-api-key-secret"
              >
                {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
      <Text fz="xs" c="dimmed">
        Send it as <Code>Authorization: Bearer &lt;key&gt;</Code> to the GraphQL API.
      </Text>
    </Stack>
  );
}
