//! The report as Markdown: a heading, the total line, then a table per group and, under it,
//! each check's evidence. Plain enough to read in a terminal, a table on GitHub. Cells have
//! their `|` escaped and line breaks flattened, so a quoted fact cannot break a table.

use std::fmt::Write as _;

use super::{Check, Group, Outcome, Report};

fn cell(text: &str) -> String {
    text.replace(['\n', '\r'], " ").replace('|', "\\|")
}

fn mark(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "✅ pass",
        Outcome::Fail => "❌ fail",
        Outcome::Warn => "⚠️ warning",
        Outcome::NotApplicable => "➖ not applicable",
        Outcome::CouldNotRun => "⛔ could not run",
    }
}

/// The report as Markdown.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Audit of {}", cell(&report.issuer));
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Profile `{}`, run at {}.",
        cell(&report.profile),
        report.run_at
    );
    let _ = writeln!(out);
    let verdict = if report.passed { "PASSED" } else { "FAILED" };
    let _ = writeln!(out, "**{verdict}**: {}", cell(&report.total));
    let mut groups: Vec<Group> = report.checks.iter().map(|c| c.group).collect();
    groups.dedup();
    for group in groups {
        let checks: Vec<&Check> = report.checks.iter().filter(|c| c.group == group).collect();
        let _ = writeln!(out);
        let _ = writeln!(out, "## {}", group.title());
        let _ = writeln!(out);
        let _ = writeln!(out, "| Check | Outcome | Finding | Section |");
        let _ = writeln!(out, "| --- | --- | --- | --- |");
        for check in &checks {
            let required = if check.required { " (required)" } else { "" };
            let _ = writeln!(
                out,
                "| `{}`{required} | {} | {} | {} |",
                check.id,
                mark(check.outcome),
                cell(&check.finding),
                cell(&check.section)
            );
        }
        let with_evidence = checks.iter().any(|c| {
            let e = &c.evidence;
            !(e.exchanges.is_empty() && e.sets.is_empty() && e.facts.is_empty())
        });
        if with_evidence {
            let _ = writeln!(out);
            let _ = writeln!(out, "Evidence:");
            let _ = writeln!(out);
        }
        for check in &checks {
            let evidence = &check.evidence;
            let mut refs = Vec::new();
            if !evidence.exchanges.is_empty() {
                let ids: Vec<String> = evidence
                    .exchanges
                    .iter()
                    .map(|id| format!("#{id}"))
                    .collect();
                refs.push(format!("exchanges {}", ids.join(", ")));
            }
            if !evidence.sets.is_empty() {
                let seqs: Vec<String> = evidence.sets.iter().map(|s| format!("#{s}")).collect();
                refs.push(format!("SETs {}", seqs.join(", ")));
            }
            if refs.is_empty() && evidence.facts.is_empty() {
                continue;
            }
            let refs = if refs.is_empty() {
                String::new()
            } else {
                format!(" {}", refs.join("; "))
            };
            let _ = writeln!(out, "- `{}`:{refs}", check.id);
            for fact in &evidence.facts {
                let _ = writeln!(out, "  - {}", cell(fact));
            }
        }
    }
    if !report.exchanges.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "## Exchanges");
        let _ = writeln!(out);
        for exchange in &report.exchanges {
            let answer = exchange
                .status
                .map_or_else(|| "no answer".to_owned(), |s| s.to_string());
            let _ = writeln!(
                out,
                "- #{} {} {} → {answer} ({} ms)",
                exchange.id,
                exchange.method,
                cell(&exchange.url),
                exchange.duration_millis
            );
        }
    }
    out
}
