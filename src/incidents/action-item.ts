import { assertUtcMs } from "./assert-utc-ms.js";
import { ActionItemInvalidError, ActionItemTransitionIllegalError } from "./errors.js";
import { normalizeLine } from "./postmortem.js";

/** Action item kinds, after the mitigate/prevent/detect split of SRE book ch. 15 plus process fixes. */
export type ActionItemType = "mitigate" | "prevent" | "detect" | "process";
export type ActionItemPriority = "P0" | "P1" | "P2" | "P3";
export type ActionItemStatus = "open" | "in-progress" | "done" | "wont-do";

export const ACTION_ITEM_TYPES: readonly ActionItemType[] = ["mitigate", "prevent", "detect", "process"];
export const ACTION_ITEM_PRIORITIES: readonly ActionItemPriority[] = ["P0", "P1", "P2", "P3"];
export const ACTION_ITEM_STATUSES: readonly ActionItemStatus[] = ["open", "in-progress", "done", "wont-do"];

/** An action item from a postmortem (SRE book ch. 15: every postmortem ends with owned, tracked fixes). */
export interface ActionItem {
  readonly id: string;
  /** The postmortem that created the item. */
  readonly postmortemId: string;
  readonly description: string;
  readonly type: ActionItemType;
  readonly owner: string;
  readonly priority: ActionItemPriority;
  readonly dueAt: number;
  readonly status: ActionItemStatus;
  /** Link to the tracker issue (http or https only). */
  readonly issueUrl?: string;
  readonly service?: string;
  readonly team?: string;
}

/** True for an absolute http:// or https:// URL with a host. */
export function isHttpUrl(value: string): boolean {
  if (/\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** Checks an action item's URL and due date; throws NINES_ERR_POSTMORTEM_ACTION_ITEM_INVALID naming the field. */
export function checkActionItem(item: ActionItem, path = "actionItem"): ActionItem {
  if (item.issueUrl !== undefined && !isHttpUrl(item.issueUrl)) {
    throw new ActionItemInvalidError(`${path}.issueUrl must be an http or https URL`, {
      errors: [{ path: `${path}.issueUrl`, message: "must be an http or https URL" }],
    });
  }
  if (!Number.isInteger(item.dueAt) || item.dueAt < 0) {
    throw new ActionItemInvalidError(`${path}.dueAt must be UTC ms`, {
      errors: [{ path: `${path}.dueAt`, message: "must be a non-negative integer of UTC ms" }],
    });
  }
  if (item.description.trim() === "" || item.owner.trim() === "") {
    const field = item.description.trim() === "" ? "description" : "owner";
    throw new ActionItemInvalidError(`${path}.${field} must not be empty`, {
      errors: [{ path: `${path}.${field}`, message: "must not be empty" }],
    });
  }
  return item;
}

/**
 * Builds an action item of a postmortem from validated input (see validateActionItemInput).
 * @example createActionItem({ id: "ai-1", description: "Validate configs", type: "prevent", owner: "bob",
 *   priority: "P1", dueAt, status: "open" }, "pm-1")
 */
export function createActionItem(input: Omit<ActionItem, "postmortemId">, postmortemId: string): ActionItem {
  return checkActionItem({ ...input, postmortemId, description: normalizeLine(input.description) });
}

const ACTION_ITEM_TRANSITIONS: Readonly<Record<ActionItemStatus, readonly ActionItemStatus[]>> = {
  open: ["in-progress", "done", "wont-do"],
  "in-progress": ["open", "done", "wont-do"],
  done: ["open"],
  "wont-do": ["open"],
};

/** Moves an action item to a new status; throws NINES_ERR_POSTMORTEM_ACTION_ITEM_TRANSITION_ILLEGAL otherwise. */
export function transitionActionItem(item: ActionItem, to: ActionItemStatus): ActionItem {
  if (!ACTION_ITEM_TRANSITIONS[item.status].includes(to)) {
    throw new ActionItemTransitionIllegalError(
      `action item ${item.id} cannot move from ${item.status} to ${to}`,
      {
        from: item.status,
        to,
        allowed: ACTION_ITEM_TRANSITIONS[item.status],
      },
    );
  }
  return { ...item, status: to };
}

function isOpen(item: ActionItem): boolean {
  return item.status === "open" || item.status === "in-progress";
}

/** Open or in-progress items past their due date, by priority then due date. */
export function overdueActionItems(items: readonly ActionItem[], now: number): ActionItem[] {
  assertUtcMs(now, "now");
  return items
    .filter((i) => isOpen(i) && i.dueAt < now)
    .sort((a, b) => a.priority.localeCompare(b.priority) || a.dueAt - b.dueAt || a.id.localeCompare(b.id));
}

/** Items still open or in progress. */
export function openActionItems(items: readonly ActionItem[]): ActionItem[] {
  return items.filter(isOpen);
}

/** Completion of the action items of one service or team. */
export interface CompletionRate {
  readonly key: string;
  readonly total: number;
  readonly done: number;
  readonly wontDo: number;
  readonly open: number;
  /** done / (total − won't do); null when nothing is left to count. */
  readonly rate: number | null;
}

/**
 * Completion per service or team. "Won't do" items are decisions, not debts, so they leave the
 * denominator. Items without the key are grouped under "(none)".
 */
export function completionRates(items: readonly ActionItem[], by: "service" | "team"): CompletionRate[] {
  const groups = new Map<string, ActionItem[]>();
  for (const item of items) {
    const key = item[by] ?? "(none)";
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups]
    .map(([key, group]) => {
      const done = group.filter((i) => i.status === "done").length;
      const wontDo = group.filter((i) => i.status === "wont-do").length;
      const counted = group.length - wontDo;
      return {
        key,
        total: group.length,
        done,
        wontDo,
        open: counted - done,
        rate: counted === 0 ? null : done / counted,
      };
    })
    .sort((a, b) => a.key.localeCompare(b.key));
}
