import type { Agent } from '../modules/agents/agent.service.ts';
import type { AgentTestSession } from '../modules/agents/agent-test.service.ts';
import type { ApiKey } from '../modules/api-keys/api-key.service.ts';
import type { Workflow } from '../modules/workflows/workflow.service.ts';
import type { Run } from '../modules/workflows/run.service.ts';
import type { User } from '../modules/auth/user.repository.ts';
import type { Invitation } from '../modules/invitations/invitation.service.ts';
import type { Membership } from '../modules/members/member.service.ts';
import type { Organization } from '../modules/organizations/organization.repository.ts';
import { builder } from './builder.ts';

// Object refs are declared here and implemented in their modules, so modules can point at each
// other's types without import cycles.
export const UserRef = builder.objectRef<User>('User');
export const OrganizationRef = builder.objectRef<Organization>('Organization');
export const MembershipRef = builder.objectRef<Membership>('Membership');
export const InvitationRef = builder.objectRef<Invitation>('Invitation');
export const ApiKeyRef = builder.objectRef<ApiKey>('ApiKey');
export const AgentRef = builder.objectRef<Agent>('Agent');
export const AgentTestSessionRef = builder.objectRef<AgentTestSession>('AgentTestSession');
export const WorkflowRef = builder.objectRef<Workflow>('Workflow');
export const RunRef = builder.objectRef<Run>('Run');
