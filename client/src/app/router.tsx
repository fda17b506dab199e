import { lazy, Suspense, type ComponentType } from 'react';
import { Outlet, createBrowserRouter } from 'react-router';
import { AppLayout } from './layout/app-layout';
import { FullPageLoader } from './layout/page-loader';
import { RequireAuth } from './layout/require-auth';
import { NotFoundPage } from './routes/not-found-page';
import { RootRedirect } from './routes/root-redirect';
import { RouteErrorPage } from './routes/route-error-page';

function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}

const SetupPage = page(() => import('./routes/setup-page'), 'SetupPage');
const SignupPage = page(() => import('./routes/signup-page'), 'SignupPage');
const LoginPage = page(() => import('./routes/login-page'), 'LoginPage');
const ForgotPasswordPage = page(() => import('./routes/forgot-password-page'), 'ForgotPasswordPage');
const ResetPasswordPage = page(() => import('./routes/reset-password-page'), 'ResetPasswordPage');
const InvitePage = page(() => import('./routes/invite-page'), 'InvitePage');
const AgentsPage = page(() => import('./routes/agents-page'), 'AgentsPage');
const AgentBuilderPage = page(() => import('./routes/agent-builder-page'), 'AgentBuilderPage');
const WorkflowsPage = page(() => import('./routes/workflows-page'), 'WorkflowsPage');
const WorkflowDesignerPage = page(() => import('./routes/workflow-designer-page'), 'WorkflowDesignerPage');
const RunsPage = page(() => import('./routes/runs-page'), 'RunsPage');
const RunMonitorPage = page(() => import('./routes/run-monitor-page'), 'RunMonitorPage');
const ApprovalsPage = page(() => import('./routes/approvals-page'), 'ApprovalsPage');
const DashboardPage = page(() => import('./routes/dashboard-page'), 'DashboardPage');
const MembersPage = page(() => import('./routes/members-page'), 'MembersPage');
const ApiKeysPage = page(() => import('./routes/api-keys-page'), 'ApiKeysPage');
const AuditLogPage = page(() => import('./routes/audit-log-page'), 'AuditLogPage');
const SettingsPage = page(() => import('./routes/settings-page'), 'SettingsPage');
const IntegrationsSettingsPage = page(() => import('./routes/integrations-settings-page'), 'IntegrationsSettingsPage');
const MarketplacePage = page(() => import('./routes/marketplace-page'), 'MarketplacePage');
const ListingPage = page(() => import('./routes/listing-page'), 'ListingPage');
const CustomToolsPage = page(() => import('./routes/custom-tools-page'), 'CustomToolsPage');
const CustomToolBuilderPage = page(() => import('./routes/custom-tool-builder-page'), 'CustomToolBuilderPage');

function PublicLayout() {
  return (
    <Suspense fallback={<FullPageLoader />}>
      <Outlet />
    </Suspense>
  );
}

export const routes = [
  {
    errorElement: <RouteErrorPage />,
    children: [
      { path: '/', element: <RootRedirect /> },
      {
        element: <PublicLayout />,
        children: [
          { path: '/setup', element: <SetupPage /> },
          { path: '/signup', element: <SignupPage /> },
          { path: '/login', element: <LoginPage /> },
          { path: '/forgot-password', element: <ForgotPasswordPage /> },
          { path: '/reset-password', element: <ResetPasswordPage /> },
          { path: '/invite/:token', element: <InvitePage /> },
        ],
      },
      {
        element: (
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        ),
        children: [
          { path: '/agents', element: <AgentsPage /> },
          { path: '/agents/new', element: <AgentBuilderPage /> },
          { path: '/agents/:id', element: <AgentBuilderPage /> },
          { path: '/dashboard', element: <DashboardPage /> },
          { path: '/workflows', element: <WorkflowsPage /> },
          { path: '/workflows/:id', element: <WorkflowDesignerPage /> },
          { path: '/runs', element: <RunsPage /> },
          { path: '/runs/:id', element: <RunMonitorPage /> },
          { path: '/approvals', element: <ApprovalsPage /> },
          { path: '/members', element: <MembersPage /> },
          { path: '/api-keys', element: <ApiKeysPage /> },
          { path: '/audit-log', element: <AuditLogPage /> },
          { path: '/settings', element: <SettingsPage /> },
          { path: '/settings/integrations', element: <IntegrationsSettingsPage /> },
          { path: '/marketplace', element: <MarketplacePage /> },
          { path: '/marketplace/:name', element: <ListingPage /> },
          { path: '/tools/custom', element: <CustomToolsPage /> },
          { path: '/tools/custom/new', element: <CustomToolBuilderPage /> },
          { path: '/tools/custom/:name', element: <CustomToolBuilderPage /> },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export const router = createBrowserRouter(routes);
