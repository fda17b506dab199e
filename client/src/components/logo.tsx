import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconTopologyStar3 } from '@tabler/icons-react';

export function Logo({ size = 'md' }: { size?: 'md' | 'lg' }) {
  const large = size === 'lg';
  return (
    <Group gap={8} wrap="nowrap" data-testid="app-logo">
      <ThemeIcon size={large ? 38 : 30} radius="md" variant="gradient" gradient={{ from: 'violet', to: 'indigo', deg: 135 }}>
        <IconTopologyStar3 size={large ? 22 : 18} stroke={1.8} />
      </ThemeIcon>
      <Text fw={700} fz={large ? 24 : 19} style={{ letterSpacing: '-0.02em' }}>
        AgentFlow
      </Text>
    </Group>
  );
}
