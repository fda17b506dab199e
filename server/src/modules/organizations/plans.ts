/** What each plan allows: the one place for plan limits (enforced on the server, QUOTA_EXCEEDED). */
export const PLANS = ['free', 'starter', 'pro', 'business', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

export interface PlanLimits { activeAgents: number }

export const PLAN_LIMITS: Record<Plan, PlanLimits> = {
  free: { activeAgents: 2 },
  starter: { activeAgents: 5 },
  pro: { activeAgents: 20 },
  business: { activeAgents: 100 },
  enterprise: { activeAgents: Number.POSITIVE_INFINITY },
};

export const planLimits = (plan: string): PlanLimits => PLAN_LIMITS[plan as Plan] ?? PLAN_LIMITS.free;
