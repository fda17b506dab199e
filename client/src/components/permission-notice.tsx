import { Card } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { EmptyState } from './empty-state';

export function PermissionNotice({ description }: { description: string }) {
  return (
    <Card withBorder radius="md">
      <EmptyState icon={IconLock} title="You do not have access" description={description} testId="permission-denied" />
    </Card>
  );
}
