import { useEffect, useRef, useState } from 'react';
import { Button, Card, Group, ScrollArea, Stack, Text, Textarea } from '@mantine/core';
import { IconMessageChatbot, IconPlayerStop, IconSend, IconTrash } from '@tabler/icons-react';
import { EmptyState } from '../../../components/empty-state';
import { useAgentTestChat } from '../hooks/use-agent-test-chat';
import { ChatItem } from './chat-message';

interface TestChatPanelProps {
  agentId: string;
  /** The saved version tests run against. */
  version: number;
  /** The form has changes that are not saved (and so not tested). */
  unsavedChanges: boolean;
}

/** Talk to the saved agent: streamed replies, tool calls, cost and latency of each answer. */
export function TestChatPanel({ agentId, version, unsavedChanges }: TestChatPanelProps) {
  const { items, running, stopping, send, stop, clear } = useAgentTestChat(agentId);
  const [draft, setDraft] = useState('');
  const viewport = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // Follow the conversation as messages and deltas arrive.
    const element = viewport.current;
    if (element && items.length > 0) element.scrollTop = element.scrollHeight;
  }, [items]);

  const submit = () => {
    if (!draft.trim() || running) return;
    void send(draft);
    setDraft('');
  };

  return (
    <Card withBorder radius="md" padding={0} data-testid="chat-panel">
      <Group justify="space-between" px="md" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Stack gap={0}>
          <Text fw={600}>Test</Text>
          <Text fz="xs" c={unsavedChanges ? 'orange' : 'dimmed'} data-testid="chat-version">
            {unsavedChanges ? `Runs saved version v${version}: save to test your changes` : `Runs version v${version}`}
          </Text>
        </Stack>
        <Button size="xs" variant="subtle" color="gray" leftSection={<IconTrash size={14} />} onClick={clear} disabled={items.length === 0} data-testid="chat-clear">
          Clear
        </Button>
      </Group>
      <ScrollArea.Autosize mah={520} mih={220} viewportRef={viewport} type="auto">
        <Stack gap="sm" p="md" data-testid="chat-messages" aria-live="polite">
          {items.length === 0 ? (
            <EmptyState
              icon={IconMessageChatbot}
              title="Try the agent"
              description="Send a message to see how it answers, which tools it calls and what a turn costs. Test runs are billed like real ones."
              testId="chat-empty"
            />
          ) : (
            items.map((item) => <ChatItem key={item.id} item={item} />)
          )}
        </Stack>
      </ScrollArea.Autosize>
      <Stack gap="xs" p="md" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
        <Textarea
          aria-label="Message"
          placeholder="Ask the agent something… (Enter to send, Shift+Enter for a new line)"
          autosize
          minRows={2}
          maxRows={8}
          value={draft}
          onChange={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              submit();
            }
          }}
          data-testid="chat-input"
        />
        <Group justify="flex-end" gap="sm">
          {running ? (
            <Button color="red" variant="light" leftSection={<IconPlayerStop size={16} />} onClick={stop} loading={stopping} data-testid="chat-stop">
              Stop
            </Button>
          ) : null}
          <Button leftSection={<IconSend size={16} />} onClick={submit} disabled={!draft.trim() || running} loading={running} data-testid="chat-send">
            Send
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
