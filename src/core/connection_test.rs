//! The profile form's *Test connection*: each step (metadata, signing keys, authorization, the
//! stream list) with its result, or the real cause of its failure and what to do.

/// How one step went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepOutcome {
    /// Under way.
    Running,
    /// Done; what was found.
    Passed(String),
    /// Failed; the cause and what to do.
    Failed(String),
    /// Not tried, and why (an earlier step failed, or the transmitter does not offer it).
    Skipped(String),
}

/// One step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestStep {
    /// What is tried.
    pub what: &'static str,
    /// How it went.
    pub outcome: StepOutcome,
}

/// The steps in order.
pub const STEPS: [&str; 4] = ["Metadata", "Signing keys", "Authorization", "Streams"];

/// A connection test of one profile, as far as it has gone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionTest {
    /// The profile's name.
    pub profile: String,
    /// The steps, as far as they have gone.
    pub steps: Vec<TestStep>,
    /// Every step has an outcome.
    pub done: bool,
}

impl ConnectionTest {
    /// A test just started: the first step running.
    pub fn start(profile: &str) -> Self {
        Self {
            profile: profile.to_owned(),
            steps: vec![TestStep {
                what: STEPS[0],
                outcome: StepOutcome::Running,
            }],
            done: false,
        }
    }

    /// The running step ends with `outcome`; the next one, if any, starts.
    pub fn step_done(&mut self, outcome: StepOutcome) {
        if let Some(step) = self.steps.last_mut() {
            step.outcome = outcome;
        }
        match STEPS.get(self.steps.len()) {
            Some(&what) => self.steps.push(TestStep {
                what,
                outcome: StepOutcome::Running,
            }),
            None => self.done = true,
        }
    }

    /// The running step fails; the rest are skipped.
    pub fn fail(&mut self, cause: String) {
        let failed = self.steps.last().map_or("a step", |s| s.what);
        self.step_done(StepOutcome::Failed(cause));
        while !self.done {
            let why = format!("not tried, since {failed} failed");
            self.step_done(StepOutcome::Skipped(why));
        }
    }

    /// True when every step passed (or was not offered).
    pub fn passed(&self) -> bool {
        self.done
            && self
                .steps
                .iter()
                .all(|s| !matches!(s.outcome, StepOutcome::Failed(_)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_step_skips_the_rest() {
        let mut test = ConnectionTest::start("okta");
        test.step_done(StepOutcome::Passed("issuer matches".to_owned()));
        test.fail("refused".to_owned());
        assert!(test.done && !test.passed());
        let outcomes: Vec<_> = test.steps.iter().map(|s| s.what).collect();
        assert_eq!(outcomes, STEPS);
        assert!(matches!(test.steps[3].outcome, StepOutcome::Skipped(_)));
    }
}
