//! The transmitter audit (issue 25): a report card of checks, each with its outcome, a finding
//! in plain words, the spec section it rests on and its evidence (the HTTP exchanges and SETs
//! behind it, with short quoted facts). The checks are pure functions over what the runtime
//! fetched (`metadata`, `keys`, `hygiene`); `render` writes the report as Markdown.
//!
//! JSON form (`serde`; these names are stable, a later field is only ever added):
//!
//! - report: `issuer` (the one asked for), `profile`, `run_at` (RFC 3339, UTC), `passed`
//!   (no required check failed), `total` (the plain-words total line), `totals` (`pass`,
//!   `fail`, `warn`, `not_applicable`, `could_not_run`: counts), `checks` (in report order).
//! - check: `id` (stable, `group.name`, e.g. `metadata.issuer-matches`), `group` (`metadata`,
//!   `keys`, `hygiene`), `title`, `section` (e.g. `SSF §7.2.4`), `required` (a failure fails
//!   the audit), `outcome` (`pass`, `fail`, `warn`, `not_applicable`, `could_not_run`),
//!   `finding` (one line), `evidence`.
//! - evidence: `exchanges` (record ids of the exchanges, as the exchanges view numbers them),
//!   `sets` (record seqs of SETs), `facts` (short quoted facts, each at most a line).
//! - report `exchanges`: each exchange of the audit, so evidence can be looked up: `id`,
//!   `method`, `url`, `status` (null: no answer), `duration_millis`.
//!
//! Informational checks (unknown members) pass with a note: they never warn or fail, and
//! "not applicable" is kept for a check whose subject is absent (no error answer to judge).

pub mod hygiene;
pub mod keys;
mod known_members;
pub mod metadata;
pub mod render;

use serde::{Deserialize, Serialize};

use super::time::UnixMillis;

/// What a check concluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The transmitter does what the section says.
    Pass,
    /// It does not; for a required check the audit fails.
    Fail,
    /// It works, but departs from the spec or from what receivers rely on.
    Warn,
    /// What the check is about is not there (no error answer was seen, no member to judge).
    NotApplicable,
    /// The check could not be made (what it needs could not be fetched).
    CouldNotRun,
}

impl Outcome {
    /// The word the report prints.
    pub fn word(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Warn => "warning",
            Self::NotApplicable => "not applicable",
            Self::CouldNotRun => "could not run",
        }
    }
}

/// The part of the audit a check belongs to; the report groups by it, in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// The configuration metadata (SSF §7).
    Metadata,
    /// The signing keys (JWKS).
    Keys,
    /// What error answers show.
    Hygiene,
}

impl Group {
    /// The group's heading.
    pub fn title(self) -> &'static str {
        match self {
            Self::Metadata => "Metadata",
            Self::Keys => "Keys",
            Self::Hygiene => "Hygiene",
        }
    }
}

/// What a check rests on: exchanges, SETs and short quoted facts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Record ids of the exchanges.
    pub exchanges: Vec<u64>,
    /// Record seqs of the SETs.
    pub sets: Vec<u64>,
    /// Short facts quoted from them.
    pub facts: Vec<String>,
}

impl Evidence {
    /// Evidence of these exchanges (ids of 0, "never sent", are left out).
    pub fn of(exchanges: impl IntoIterator<Item = u64>) -> Self {
        let mut evidence = Self::default();
        for id in exchanges {
            evidence.exchange(id);
        }
        evidence
    }

    /// Add an exchange once.
    pub fn exchange(&mut self, id: u64) {
        if id != 0 && !self.exchanges.contains(&id) {
            self.exchanges.push(id);
        }
    }

    /// Add a fact, clipped to one short line.
    pub fn fact(&mut self, fact: impl AsRef<str>) {
        let line = fact.as_ref().replace(['\n', '\r'], " ");
        self.facts.push(super::json::clip(&line).into_owned());
    }

    /// These with a fact added.
    pub fn with_fact(mut self, fact: impl AsRef<str>) -> Self {
        self.fact(fact);
        self
    }
}

/// One check of the report card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// Stable id, `group.name`.
    pub id: String,
    /// Its group.
    pub group: Group,
    /// What it checks, as a heading.
    pub title: String,
    /// The spec section it rests on.
    pub section: String,
    /// A failure fails the audit.
    pub required: bool,
    /// What it concluded.
    pub outcome: Outcome,
    /// One line in plain words.
    pub finding: String,
    /// What it rests on.
    pub evidence: Evidence,
}

/// What a check is, before it has run: its id, group, title, section and whether required.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// Stable id.
    pub id: &'static str,
    /// Its group.
    pub group: Group,
    /// Its heading.
    pub title: &'static str,
    /// The section it rests on.
    pub section: &'static str,
    /// A failure fails the audit.
    pub required: bool,
}

impl Spec {
    /// The check with this outcome.
    pub fn outcome(
        self,
        outcome: Outcome,
        finding: impl Into<String>,
        evidence: Evidence,
    ) -> Check {
        Check {
            id: self.id.to_owned(),
            group: self.group,
            title: self.title.to_owned(),
            section: self.section.to_owned(),
            required: self.required,
            outcome,
            finding: finding.into(),
            evidence,
        }
    }

    /// The check, not made for the reason given.
    pub fn could_not_run(self, why: impl Into<String>, evidence: Evidence) -> Check {
        self.outcome(Outcome::CouldNotRun, why, evidence)
    }
}

/// Counts per outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Passed.
    pub pass: usize,
    /// Failed.
    pub fail: usize,
    /// Warnings.
    pub warn: usize,
    /// Not applicable.
    pub not_applicable: usize,
    /// Could not run.
    pub could_not_run: usize,
}

impl Totals {
    /// Count the outcomes of `checks`.
    pub fn of(checks: &[Check]) -> Self {
        let mut totals = Self::default();
        for check in checks {
            *match check.outcome {
                Outcome::Pass => &mut totals.pass,
                Outcome::Fail => &mut totals.fail,
                Outcome::Warn => &mut totals.warn,
                Outcome::NotApplicable => &mut totals.not_applicable,
                Outcome::CouldNotRun => &mut totals.could_not_run,
            } += 1;
        }
        totals
    }
}

/// The audit's report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The transmitter's issuer, as asked for.
    pub issuer: String,
    /// The profile audited.
    pub profile: String,
    /// When it ran (RFC 3339).
    pub run_at: String,
    /// No required check failed.
    pub passed: bool,
    /// The total in plain words.
    pub total: String,
    /// Counts per outcome.
    pub totals: Totals,
    /// The checks, grouped, in order.
    pub checks: Vec<Check>,
    /// The exchanges the evidence names.
    pub exchanges: Vec<ExchangeLine>,
}

/// One exchange of the audit, as the report lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeLine {
    /// Its record id.
    pub id: u64,
    /// The HTTP method.
    pub method: String,
    /// The URL (redacted as the exchange is).
    pub url: String,
    /// The HTTP status; none when no answer came.
    pub status: Option<u16>,
    /// How long it took.
    pub duration_millis: u64,
}

impl From<&super::exchange::Exchange> for ExchangeLine {
    fn from(exchange: &super::exchange::Exchange) -> Self {
        Self {
            id: exchange.id,
            method: exchange.method.clone(),
            url: exchange.url.clone(),
            status: exchange.status,
            duration_millis: exchange.duration_millis,
        }
    }
}

/// `n` and the noun, singular for one ("1 key", "2 keys").
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

impl Report {
    /// The report of these checks (kept in their order, grouped stably).
    pub fn new(issuer: &str, profile: &str, run_at: UnixMillis, mut checks: Vec<Check>) -> Self {
        checks.sort_by_key(|c| c.group);
        let totals = Totals::of(&checks);
        let failed: Vec<&str> = checks
            .iter()
            .filter(|c| c.required && c.outcome == Outcome::Fail)
            .map(|c| c.id.as_str())
            .collect();
        let passed = failed.is_empty();
        Self {
            issuer: issuer.to_owned(),
            profile: profile.to_owned(),
            run_at: run_at.rfc3339(),
            passed,
            total: total_line(&totals, checks.len(), &failed),
            totals,
            checks,
            exchanges: Vec::new(),
        }
    }

    /// The report listing these exchanges (those its evidence names).
    #[must_use]
    pub fn with_exchanges(mut self, exchanges: &[super::exchange::Exchange]) -> Self {
        self.exchanges = exchanges.iter().map(ExchangeLine::from).collect();
        self
    }

    /// The outcome of each check by id, in order (what tests compare whole).
    pub fn outcomes(&self) -> Vec<(&str, Outcome)> {
        self.checks
            .iter()
            .map(|c| (c.id.as_str(), c.outcome))
            .collect()
    }

    /// The check with this id.
    pub fn check(&self, id: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }
}

fn total_line(totals: &Totals, checks: usize, failed: &[&str]) -> String {
    let mut parts = vec![format!("{} passed", totals.pass)];
    let checks = count(checks, "check");
    for (count, word) in [
        (totals.fail, "failed"),
        (totals.warn, "warned"),
        (totals.not_applicable, "not applicable"),
        (totals.could_not_run, "could not run"),
    ] {
        if count > 0 {
            parts.push(format!("{count} {word}"));
        }
    }
    let verdict = if failed.is_empty() {
        "the audit passes: no required check failed".to_owned()
    } else {
        format!(
            "the audit fails: required {} failed ({})",
            if failed.len() == 1 { "check" } else { "checks" },
            failed.join(", ")
        )
    };
    format!("{checks}: {}; {verdict}", parts.join(", "))
}
