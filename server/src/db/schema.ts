import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Table types, hand-written beside the SQL in migrations/ (the one place the schema is defined). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type DbRole = 'owner' | 'admin' | 'member' | 'viewer';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OrganizationsTable {
  id: Generated<string>;
  name: string;
  plan: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MembershipsTable {
  id: Generated<string>;
  organization_id: string;
  user_id: string;
  role: DbRole;
  created_at: Timestamp;
}

export interface SessionsTable {
  id: Generated<string>;
  user_id: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Timestamp;
  revoked_at: NullableTimestamp;
  revoked_reason: string | null;
}

export interface RefreshTokensTable {
  token_hash: string;
  session_id: string;
  created_at: Timestamp;
  expires_at: Date | string;
  used_at: NullableTimestamp;
}

export interface PasswordResetsTable {
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Date | string;
  used_at: NullableTimestamp;
}

export interface InvitationsTable {
  id: Generated<string>;
  organization_id: string;
  email: string;
  role: DbRole;
  token_hash: string;
  invited_by: string | null;
  created_at: Timestamp;
  expires_at: Date | string;
  accepted_at: NullableTimestamp;
  accepted_by: string | null;
  revoked_at: NullableTimestamp;
}

export interface ApiKeysTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  role: DbRole;
  prefix: string;
  key_hash: string;
  created_by: string | null;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface AuditLogTable {
  id: Generated<string>;
  organization_id: string | null;
  actor_user_id: string | null;
  actor_api_key_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Timestamp;
}

export interface EmailOutboxTable {
  id: Generated<string>;
  organization_id: string | null;
  created_by: string | null;
  recipient: string;
  subject: string;
  body: string;
  status: ColumnType<'pending' | 'sent' | 'logged' | 'failed', 'pending' | undefined, 'sent' | 'logged' | 'failed'>;
  error: string | null;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
}

export interface RateLimitsTable {
  key: string;
  window_start: Date | string;
  hits: number;
}

/** jsonb: read as the parsed value, written as a JSON string. */
type Json<T> = ColumnType<T, string, string>;
export type DbAgentStatus = 'active' | 'inactive' | 'archived';

export interface AgentsTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  role: string;
  instructions: string;
  model: string;
  tools: ColumnType<string[], string[], string[]>;
  config: Json<Record<string, unknown>>;
  status: ColumnType<DbAgentStatus, DbAgentStatus | undefined, DbAgentStatus>;
  version: ColumnType<number, number | undefined, number>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AgentVersionsTable {
  agent_id: string;
  version: number;
  organization_id: string;
  snapshot: Json<Record<string, unknown>>;
  created_by: string | null;
  created_at: Timestamp;
}

export interface ProviderCredentialsTable {
  organization_id: string;
  provider: string;
  encrypted_key: string | null;
  key_hint: string | null;
  base_url: string | null;
  updated_by: string | null;
  updated_at: Timestamp;
}

export type DbAgentTestStatus = 'running' | 'succeeded' | 'failed' | 'stopped';

export interface AgentTestSessionsTable {
  id: Generated<string>;
  organization_id: string;
  agent_id: string;
  agent_version: number;
  status: ColumnType<DbAgentTestStatus, DbAgentTestStatus | undefined, DbAgentTestStatus>;
  messages: Json<unknown[]>;
  reply: string | null;
  error: string | null;
  error_code: string | null;
  created_by: string | null;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
}

export interface AgentTestEventsTable {
  session_id: string;
  seq: number;
  type: string;
  payload: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export type DbLlmCallStatus = 'succeeded' | 'failed' | 'cached';

export interface LlmCallsTable {
  id: Generated<string>;
  organization_id: string;
  agent_id: string | null;
  test_session_id: string | null;
  model: string;
  provider: string;
  step: number;
  attempt: number;
  status: DbLlmCallStatus;
  error: string | null;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  /** numeric(20,9): read as a decimal string. */
  cost_usd: ColumnType<string, string, string>;
  latency_ms: number;
  route_reason: string | null;
  run_id: ColumnType<string | null, string | null | undefined, string | null>;
  task_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
}

export interface LlmBudgetReservationsTable {
  id: Generated<string>;
  organization_id: string;
  agent_id: string;
  cost_usd: string;
  created_at: Timestamp;
  expires_at: Date | string;
}

export interface LlmCacheTable {
  organization_id: string;
  key: string;
  model: string;
  response: Json<Record<string, unknown>>;
  created_at: Timestamp;
  expires_at: Date | string;
}

export type DbWorkflowStatus = 'draft' | 'active' | 'archived';
export type DbRunStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
export type DbTaskStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';
export type DbApprovalStatus = 'pending' | 'approved' | 'rejected' | 'timed_out' | 'cancelled';
type NumericUsd = ColumnType<string, string | undefined, string>;

export interface WorkflowsTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  definition: Json<Record<string, unknown>>;
  status: ColumnType<DbWorkflowStatus, DbWorkflowStatus | undefined, DbWorkflowStatus>;
  version: ColumnType<number, number | undefined, number>;
  webhook_secret: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WorkflowVersionsTable {
  workflow_id: string;
  version: number;
  organization_id: string;
  snapshot: Json<Record<string, unknown>>;
  created_by: string | null;
  created_at: Timestamp;
}

export interface WorkflowRunsTable {
  id: Generated<string>;
  organization_id: string;
  workflow_id: string;
  workflow_version: number;
  definition: Json<Record<string, unknown>>;
  status: ColumnType<DbRunStatus, DbRunStatus | undefined, DbRunStatus>;
  trigger: string;
  input: Json<unknown>;
  output: ColumnType<unknown, string | null | undefined, string | null>;
  error: string | null;
  error_code: string | null;
  input_tokens: ColumnType<number, number | undefined, number>;
  output_tokens: ColumnType<number, number | undefined, number>;
  cost_usd: NumericUsd;
  started_by: string | null;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

export interface TasksTable {
  id: Generated<string>;
  organization_id: string;
  run_id: string;
  node_id: string;
  node_type: string;
  status: DbTaskStatus;
  attempts: ColumnType<number, number | undefined, number>;
  input: ColumnType<unknown, string | null | undefined, string | null>;
  output: ColumnType<unknown, string | null | undefined, string | null>;
  output_port: string | null;
  error: string | null;
  input_tokens: ColumnType<number, number | undefined, number>;
  output_tokens: ColumnType<number, number | undefined, number>;
  cost_usd: NumericUsd;
  state: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

export interface RunEventsTable {
  id: Generated<string>;
  organization_id: string;
  run_id: string;
  type: string;
  node_id: string | null;
  task_id: string | null;
  message: string | null;
  data: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: Timestamp;
}

export interface ApprovalsTable {
  id: Generated<string>;
  organization_id: string;
  run_id: string;
  task_id: string;
  node_id: string;
  message: string;
  details: ColumnType<unknown, string | null | undefined, string | null>;
  assignee_role: ColumnType<DbRole, DbRole | undefined, DbRole>;
  status: ColumnType<DbApprovalStatus, DbApprovalStatus | undefined, DbApprovalStatus>;
  comment: string | null;
  decided_by: string | null;
  created_at: Timestamp;
  decided_at: NullableTimestamp;
  expires_at: Date | string | null;
}

export type DbPluginKind = 'plugin' | 'agent_template' | 'workflow_template';

export interface PluginListingsTable {
  id: Generated<string>;
  name: string;
  publisher_organization_id: string | null;
  kind: DbPluginKind;
  visibility: ColumnType<'public' | 'private', 'public' | 'private' | undefined, 'public' | 'private'>;
  title: string;
  description: ColumnType<string, string | undefined, string>;
  categories: ColumnType<string[], string[] | undefined, string[]>;
  price_cents: ColumnType<number, number | undefined, number>;
  featured: ColumnType<boolean, boolean | undefined, boolean>;
  signing_public_key: string | null;
  latest_version: string | null;
  install_count: ColumnType<number, number | undefined, number>;
  rating_count: ColumnType<number, number | undefined, number>;
  rating_sum: ColumnType<number, number | undefined, number>;
  /** Generated by Postgres; never written. */
  search: ColumnType<string, never, never>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PluginVersionsTable {
  id: Generated<string>;
  listing_id: string;
  version: string;
  manifest: ColumnType<unknown, string, string>;
  bundle: string;
  sha256: string;
  signature: ColumnType<unknown, string | null, string | null>;
  changelog: ColumnType<string, string | undefined, string>;
  size_bytes: number;
  published_by: string | null;
  created_at: Timestamp;
}

export interface PluginInstallationsTable {
  id: Generated<string>;
  organization_id: string;
  listing_id: string;
  version_id: string;
  pending_version_id: string | null;
  installed_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PluginReviewsTable {
  id: Generated<string>;
  listing_id: string;
  organization_id: string;
  user_id: string | null;
  rating: number;
  body: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type DbIntegrationStatus = 'connected' | 'error' | 'disconnected';

export interface IntegrationsTable {
  id: Generated<string>;
  organization_id: string;
  plugin_name: string;
  name: string;
  auth_type: 'oauth2' | 'apiKey';
  status: ColumnType<DbIntegrationStatus, DbIntegrationStatus | undefined, DbIntegrationStatus>;
  status_message: string | null;
  oauth_client: string | null;
  credentials: string | null;
  token_expires_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OauthStatesTable {
  state_hash: string;
  integration_id: string;
  organization_id: string;
  user_id: string | null;
  code_verifier: string;
  expires_at: Date | string;
}

export interface Database {
  users: UsersTable;
  organizations: OrganizationsTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  password_resets: PasswordResetsTable;
  invitations: InvitationsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  email_outbox: EmailOutboxTable;
  rate_limits: RateLimitsTable;
  agents: AgentsTable;
  agent_versions: AgentVersionsTable;
  provider_credentials: ProviderCredentialsTable;
  agent_test_sessions: AgentTestSessionsTable;
  agent_test_events: AgentTestEventsTable;
  llm_calls: LlmCallsTable;
  llm_cache: LlmCacheTable;
  llm_budget_reservations: LlmBudgetReservationsTable;
  workflows: WorkflowsTable;
  workflow_versions: WorkflowVersionsTable;
  workflow_runs: WorkflowRunsTable;
  tasks: TasksTable;
  run_events: RunEventsTable;
  approvals: ApprovalsTable;
  plugin_listings: PluginListingsTable;
  plugin_versions: PluginVersionsTable;
  plugin_installations: PluginInstallationsTable;
  plugin_reviews: PluginReviewsTable;
  integrations: IntegrationsTable;
  oauth_states: OauthStatesTable;
}

export type UserRow = Selectable<UsersTable>;
export type OrganizationRow = Selectable<OrganizationsTable>;
export type NewAuditEntry = Insertable<AuditLogTable>;
