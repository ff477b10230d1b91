'use client';

import { Badge } from '@/components/badge';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { type StackIssue, sortIssues } from './stack-issues';

export interface StackIssueListProps {
  issues: readonly StackIssue[];
  /** Moves the editor to the issue; without it the lines are not links. */
  onJump?: ((issue: StackIssue) => void) | undefined;
  id?: string;
}

/** The compose file's problems under the editor, by line: each one a button to its place in the text. */
export function StackIssueList({ issues, onJump, id }: StackIssueListProps) {
  const { t } = useI18n();
  if (issues.length === 0) return null;
  return (
    <ul className="issue-list" id={id} aria-label={t('stacks.issues.label')} data-testid="stack-issues">
      {sortIssues(issues).map((issue) => {
        const where = t('stacks.issues.at', { line: issue.line, column: issue.column });
        return (
          <li
            key={`${issue.line}:${issue.column}:${issue.code}:${issue.message}`}
            className={`issue issue-${issue.severity}`}
            data-testid="stack-issue"
            data-line={issue.line}
            data-severity={issue.severity}
          >
            <Badge tone={issue.severity === 'error' ? 'danger' : 'warning'}>{t(`stacks.severity.${issue.severity}`)}</Badge>
            {onJump ? (
              <button type="button" className="issue-where" onClick={() => onJump(issue)}>
                {where}
              </button>
            ) : (
              <span className="issue-where">{where}</span>
            )}
            <span className="issue-message">
              <span lang="en">{issue.message}</span>
              {issue.rule && <span className="cell-secondary">{t('stacks.issues.rule', { rule: issue.rule })}</span>}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
