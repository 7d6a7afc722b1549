/**
 * The alert name of a policy line: `NinesSloBurn` + the line name in PascalCase
 * (`page-fast` → `NinesSloBurnPageFast`). One name per line keeps each line testable on its own
 * and lets Alertmanager routes tell fast from slow burns without parsing labels.
 */
export function alertName(lineName: string): string {
  const pascal = lineName
    .split(/[^a-zA-Z0-9]+/)
    .filter((part) => part !== "")
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
  return `NinesSloBurn${pascal}`;
}
