import { ActionIcon, Avatar, Badge, Group, Select, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { formatDate, initials } from '../../../lib/format';
import type { Can } from '../../../lib/permissions';
import { ROLE_LABELS, roleOptions, type Role } from '../../../lib/roles';
import type { Member } from '../api/members.api';

interface MembersTableProps {
  members: Member[];
  viewerId: string;
  /** The caller's permissions in the active organization. */
  can: Can;
  pendingId: string | null;
  onChangeRole: (member: Member, role: Role) => void;
  onRemove: (member: Member) => void;
}

export function MembersTable({ members, viewerId, can, pendingId, onChangeRole, onRemove }: MembersTableProps) {
  const manager = can('members:manage');
  // Granting, changing or removing the owner role also needs owners:manage.
  const assignable = (role: Role) => manager && (role !== 'OWNER' || can('owners:manage'));
  const options = roleOptions((role) => !assignable(role));

  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="sm" highlightOnHover data-testid="members-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Member</Table.Th>
            <Table.Th w={180}>Role</Table.Th>
            <Table.Th w={140}>Joined</Table.Th>
            <Table.Th w={60} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {members.map((member) => {
            const self = member.user.id === viewerId;
            // Owners need owners:manage; nobody edits themselves here (Settings has "Leave").
            const editable = !self && assignable(member.role);
            return (
              <Table.Tr key={member.id} data-testid={`member-row-${member.user.email}`}>
                <Table.Td>
                  <Group gap="sm" wrap="nowrap">
                    <Avatar radius="xl" color="initials" name={member.user.name} size={36}>
                      {initials(member.user.name)}
                    </Avatar>
                    <Stack gap={0}>
                      <Group gap={6}>
                        <Text fz="sm" fw={600}>
                          {member.user.name}
                        </Text>
                        {self ? (
                          <Badge size="xs" variant="outline" color="gray">
                            You
                          </Badge>
                        ) : null}
                      </Group>
                      <Text fz="xs" c="dimmed">
                        {member.user.email}
                      </Text>
                    </Stack>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Select
                    aria-label={`Role of ${member.user.email}`}
                    data-testid={`role-select-${member.user.email}`}
                    size="xs"
                    data={options}
                    value={member.role}
                    allowDeselect={false}
                    disabled={!editable || pendingId === member.id}
                    onChange={(value) => value && value !== member.role && onChangeRole(member, value as Role)}
                    comboboxProps={{ withinPortal: true }}
                    title={editable ? undefined : `${ROLE_LABELS[member.role]}`}
                  />
                </Table.Td>
                <Table.Td>
                  <Text fz="sm" c="dimmed">
                    {formatDate(member.joinedAt)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {editable ? (
                    <Tooltip label="Remove member" withArrow>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Remove ${member.user.email}`}
                        data-testid={`remove-member-${member.user.email}`}
                        onClick={() => onRemove(member)}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Tooltip>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
