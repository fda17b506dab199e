import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.ts';
import './scalars.ts';
import './node.ts';
import '../modules/auth/auth.schema.ts';
import '../modules/organizations/organization.schema.ts';
import '../modules/members/member.schema.ts';
import '../modules/invitations/invitation.schema.ts';
import '../modules/api-keys/api-key.schema.ts';
import '../modules/audit/audit.schema.ts';
import '../modules/mail/outbox.schema.ts';
import '../modules/providers/provider.schema.ts';
import '../modules/agents/agent.schema.ts';
import '../modules/workflows/workflow.schema.ts';
import '../modules/workflows/run.schema.ts';
import '../modules/integrations/integration.schema.ts';
import '../modules/marketplace/marketplace.schema.ts';
import '../modules/custom-tools/custom-tool.schema.ts';

export const schema = builder.toSchema();

/** The SDL checked in as schema.graphql. */
export const printedSchema = (): string => printSchema(lexicographicSortSchema(schema)) + '\n';
