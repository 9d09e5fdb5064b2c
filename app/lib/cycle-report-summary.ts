import type { CycleReportStatus, PhaseStatus } from "./workflow-status";

/** What the signed-in user can do on a cycle report, as the database's policies decide it. */
export interface Relationship {
  /** An assigned tester, or an admin: starts and completes phases and records tester decisions. */
  works: boolean;
  /** The report's owner, or an admin: approves or rejects versions. */
  reviews: boolean;
}

export interface Viewer {
  id: string;
  isAdmin: boolean;
}

export function relationshipOf(viewer: Viewer, ownerId: string | null, testerIds: string[]): Relationship {
  return {
    works: viewer.isAdmin || testerIds.includes(viewer.id),
    reviews: viewer.isAdmin || ownerId === viewer.id,
  };
}

export interface OpenVersion {
  version_status: string;
  item_count: number;
  tester_decided_count: number;
  owner_decided_count: number;
  /** Whether the version's phase has the report owner decide every item (phase_definitions.owner_item_review). */
  owner_item_review: boolean;
}

export interface Awaiting {
  /**
   * Item decisions still to make: tester decisions on the items of drafts (for those who work on the cycle
   * report) and report-owner decisions on the items of versions awaiting approval in phases with owner item
   * review (for those who review it).
   */
  decisions: number;
  /** Versions awaiting approval (for those who review the cycle report). */
  approvals: number;
}

export function awaitingOf(relationship: Relationship, versions: OpenVersion[]): Awaiting {
  let decisions = 0;
  let approvals = 0;
  for (const version of versions) {
    if (relationship.works && version.version_status === "draft") {
      decisions += version.item_count - version.tester_decided_count;
    }
    if (relationship.reviews && version.version_status === "pending_approval") {
      if (version.owner_item_review) decisions += version.item_count - version.owner_decided_count;
      approvals += 1;
    }
  }
  return { decisions, approvals };
}

export interface PhaseStep {
  id: number;
  name: string;
  label: string;
  order: number;
  status: PhaseStatus;
}

export interface CycleReportCard {
  id: number;
  reportName: string;
  regulation: string;
  cycleName: string;
  status: CycleReportStatus;
  phases: PhaseStep[];
  relationship: Relationship;
  awaiting: Awaiting;
}

export function totalAwaiting(cards: CycleReportCard[]): Awaiting {
  return cards.reduce(
    (sum, card) => ({
      decisions: sum.decisions + card.awaiting.decisions,
      approvals: sum.approvals + card.awaiting.approvals,
    }),
    { decisions: 0, approvals: 0 },
  );
}
