import { Suspense, useEffect, useMemo } from 'react';
import { AppShell, Badge, Burger, Center, Group, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Outlet } from 'react-router';
import { ErrorAlert } from '../../components/error-alert';
import { Logo } from '../../components/logo';
import { OrganizationSwitcher } from '../../features/organizations/components/organization-switcher';
import { CurrentOrganizationContext, type CurrentOrganization } from '../../lib/current-organization';
import { notifySuccess } from '../../lib/notify';
import { permissionChecker } from '../../lib/permissions';
import { setActiveOrganization } from '../../lib/session-store';
import { useSession } from '../../lib/use-session';
import { NavLinks } from './nav-links';
import { NoOrganization } from './no-organization';
import { ContentSkeleton, FullPageLoader } from './page-loader';
import { useViewer } from './use-viewer';
import { UserMenu } from './user-menu';

export function AppLayout() {
  const session = useSession();
  const [navOpened, nav] = useDisclosure(false);
  const { viewer, fresh, error, refresh } = useViewer();
  const organizations = viewer?.organizations;
  const activeId = session?.organizationId ?? null;
  const active = organizations?.find((o) => o.id === activeId);

  // Fall back to the first organization when the stored one is gone (left, removed, new login).
  useEffect(() => {
    if (fresh && organizations && !active) setActiveOrganization(organizations[0]?.id ?? null);
  }, [fresh, organizations, active]);

  const current = useMemo<CurrentOrganization | null>(
    () =>
      viewer && active
        ? {
            organization: active,
            organizations: viewer.organizations,
            viewer: { id: viewer.id, name: viewer.name, email: viewer.email },
            can: permissionChecker(active.permissions),
            refresh,
          }
        : null,
    [viewer, active, refresh],
  );

  if (!viewer) {
    if (!error) return <FullPageLoader />;
    return (
      <Center mih="100vh" p="md">
        <ErrorAlert error={error} title="Could not load your account" onRetry={refresh} />
      </Center>
    );
  }

  const switchTo = (id: string, name: string) => {
    setActiveOrganization(id);
    nav.close();
    notifySuccess(`You are now working in ${name}.`, 'Organization switched');
  };

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !navOpened } }} padding="xl">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="md" wrap="nowrap">
            <Burger opened={navOpened} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Logo />
            <OrganizationSwitcher
              organizations={viewer.organizations}
              activeId={active?.id ?? null}
              onSwitch={(id) => switchTo(id, viewer.organizations.find((o) => o.id === id)?.name ?? 'the organization')}
              onCreated={(org) => {
                refresh();
                switchTo(org.id, org.name);
              }}
            />
          </Group>
          <UserMenu name={viewer.name} email={viewer.email} />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="md">
        <AppShell.Section grow>
          <NavLinks onNavigate={nav.close} live={Boolean(current)} />
        </AppShell.Section>
        {active ? (
          <AppShell.Section>
            <Stack gap={2} p="sm" style={{ borderRadius: 'var(--mantine-radius-md)', background: 'var(--mantine-color-default-hover)' }}>
              <Text fz="xs" c="dimmed">
                Organization plan
              </Text>
              <Group justify="space-between">
                <Text fz="sm" fw={600} truncate maw={140}>
                  {active.name}
                </Text>
                <Badge size="sm" variant="light" tt="capitalize">
                  {viewer.organizations.find((o) => o.id === active.id)?.plan ?? 'free'}
                </Badge>
              </Group>
            </Stack>
          </AppShell.Section>
        ) : null}
      </AppShell.Navbar>
      <AppShell.Main>
        <Stack maw={1200} mx="auto" gap={0}>
          {current ? (
            <CurrentOrganizationContext.Provider value={current}>
              <Suspense fallback={<ContentSkeleton />}>
                <Outlet />
              </Suspense>
            </CurrentOrganizationContext.Provider>
          ) : viewer.organizations.length === 0 ? (
            <NoOrganization onCreated={refresh} />
          ) : (
            <ContentSkeleton />
          )}
        </Stack>
      </AppShell.Main>
    </AppShell>
  );
}
