import type { ReactNode } from 'react';
import { EmptyState as MantineEmptyState, Text } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';

interface EmptyStateProps {
  icon: Icon;
  title: string;
  description: ReactNode;
  action?: ReactNode;
  testId?: string;
}

export function EmptyState({ icon: IconComponent, title, description, action, testId }: EmptyStateProps) {
  return (
    <MantineEmptyState
      py="xl"
      variant="light"
      icon={<IconComponent size={26} stroke={1.6} />}
      title={title}
      description={<Text c="dimmed" fz="sm" maw={420} ta="center" component="span">{description}</Text>}
      data-testid={testId ?? 'empty-state'}
    >
      {action ? <MantineEmptyState.Actions>{action}</MantineEmptyState.Actions> : null}
    </MantineEmptyState>
  );
}
