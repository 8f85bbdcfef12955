//! *Reset demo* on the app's side: the runtime is stopped as at exit, and once it has finished a
//! new one starts on a fresh in-memory record, the window emptied and following live.

use std::time::Duration;

use super::InspectorApp;
use crate::core::state::InspectorState;
use crate::runtime::{Command, Outbox};
use crate::ui::view::DemoReset;

impl InspectorApp {
    /// *Reset demo*: stop the runtime as at exit; [`Self::finish_reset`] starts the new one.
    pub(super) fn reset_demo(&mut self) {
        if self.restart.is_none() || self.resetting.is_some() {
            return;
        }
        tracing::info!("resetting the demo: stopping the runtime");
        self.resetting = Some(self.runtime.handle().finished());
        self.view.demo_reset = DemoReset::Resetting;
        self.send(Command::Shutdown);
    }

    /// Once the runtime being reset has stopped: a new one on a fresh in-memory record, an
    /// empty window following live, and the demo from its start.
    pub(super) fn finish_reset(&mut self, ctx: &egui::Context) {
        let (Some(stopping), Some(restart)) = (&self.resetting, &self.restart) else {
            return;
        };
        if !stopping.is_cancelled() {
            ctx.request_repaint_after(Duration::from_millis(50));
            return;
        }
        let (runtime, updates) = restart.start();
        let demo = restart.demo();
        self.current.replace(runtime.finished());
        self.effects = runtime.effects();
        self.runtime = Outbox::new(runtime);
        // What the old runtime still had queued for the window concerns a state that is gone.
        self.updates = updates;
        self.state = InspectorState::default();
        self.loading = None;
        self.resetting = None;
        let view = &mut self.view;
        view.demo_reset = DemoReset::Ready;
        view.follow = true;
        view.selected = None;
        view.selected_exchange = None;
        view.scroll_to_selected = false;
        view.subject_form = None;
        view.config_form = None;
        view.status_form = None;
        view.transmitter_info = None;
        view.confirm = None;
        // What was read from the old timeline is of no use with the new one.
        view.replay_form = None;
        view.subject_history = None;
        view.stories = Default::default();
        self.send(Command::StartDemo(Box::new(demo)));
        self.send(Command::LoadProfiles);
        tracing::info!("demo reset: a new runtime on a fresh in-memory record");
    }
}
