import { Tabs } from '@mantine/core';
import { useNavigate } from 'react-router';

const TABS = [
  { value: 'general', label: 'General', to: '/settings' },
  { value: 'integrations', label: 'Integrations', to: '/settings/integrations' },
] as const;

/** The sections of Settings, each its own URL (the OAuth callback returns to /settings/integrations). */
export function SettingsTabs({ active }: { active: (typeof TABS)[number]['value'] }) {
  const navigate = useNavigate();
  return (
    <Tabs value={active} onChange={(value) => navigate(TABS.find((t) => t.value === value)?.to ?? '/settings')} mb="lg">
      <Tabs.List>
        {TABS.map((tab) => (
          <Tabs.Tab key={tab.value} value={tab.value} data-testid={`settings-tab-${tab.value}`}>
            {tab.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}
