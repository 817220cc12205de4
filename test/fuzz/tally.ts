/**
 * The fuzz's counts: answers by kind of request (valid, hostile) and status
 * class, the routes that answered 2xx at least once, and the refusals by
 * status, error code and route, which say what kept requests from going
 * further.
 */
export class Tally {
  private readonly byKind = new Map<string, Map<string, number>>();
  private readonly refusals = new Map<string, number>();
  private readonly answered = new Set<string>();

  record(kind: string, route: string, status: number, text: string): void {
    const counts = this.byKind.get(kind) ?? new Map<string, number>();
    const statusClass = `${Math.floor(status / 100)}xx`;
    counts.set(statusClass, (counts.get(statusClass) ?? 0) + 1);
    this.byKind.set(kind, counts);
    if (status >= 200 && status < 300) this.answered.add(route);
    if (status >= 400 && status < 500) {
      const key = `${kind} ${status} ${refusalCode(text)} ${route}`;
      this.refusals.set(key, (this.refusals.get(key) ?? 0) + 1);
    }
  }

  /** "2xx 12, 4xx 30" for one kind, or for all. */
  classes(kind?: string): string {
    const total = new Map<string, number>();
    for (const [name, counts] of this.byKind) {
      if (kind !== undefined && name !== kind) continue;
      for (const [statusClass, count] of counts) total.set(statusClass, (total.get(statusClass) ?? 0) + count);
    }
    return [...total.entries()].sort().map(([statusClass, count]) => `${statusClass} ${count}`).join(', ');
  }

  unanswered(routes: readonly string[]): string[] {
    return routes.filter((route) => !this.answered.has(route));
  }

  mostFrequentRefusals(count: number): string {
    return [...this.refusals.entries()]
      .sort(([, a], [, b]) => b - a)
      .slice(0, count)
      .map(([key, times]) => `  ${String(times).padStart(5)}  ${key}`)
      .join('\n');
  }
}

/** The refusal's error code and its first issue (`validation_failed too_small@body.name`), as the API's error body names them. */
function refusalCode(text: string): string {
  try {
    const answer = JSON.parse(text) as { error?: string; issues?: { path: unknown[]; code: string }[] };
    const issue = answer.issues?.[0];
    return `${answer.error ?? ''}${issue ? ` ${issue.code}@${issue.path.join('.')}` : ''}`;
  } catch {
    return 'non-JSON';
  }
}
