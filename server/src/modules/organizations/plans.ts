/** What each plan allows: the one place for plan limits (enforced on the server, QUOTA_EXCEEDED). */
export const PLANS = ['free', 'starter', 'pro', 'business', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

export interface PlanLimits { activeAgents: number; tasksPerMonth: number }

export const PLAN_LIMITS: Record<Plan, PlanLimits> = {
  free: { activeAgents: 2, tasksPerMonth: 100 },
  starter: { activeAgents: 5, tasksPerMonth: 1_000 },
  pro: { activeAgents: 20, tasksPerMonth: 10_000 },
  business: { activeAgents: 100, tasksPerMonth: 50_000 },
  enterprise: { activeAgents: Number.POSITIVE_INFINITY, tasksPerMonth: Number.POSITIVE_INFINITY },
};

export const planLimits = (plan: string): PlanLimits => PLAN_LIMITS[plan as Plan] ?? PLAN_LIMITS.free;
