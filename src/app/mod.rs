//! The `eframe::App`: drains runtime updates into the state (with a time budget), draws the UI,
//! and runs the actions it returns. The only place where UI, state and runtime meet.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use crate::bridge::update_channel;
use crate::core::alerts::{Alert, Severity};
use crate::core::effects::Effects;
use crate::core::opened::OpenedFiles;
use crate::core::state::InspectorState;
use crate::core::time::UnixMillis;
use crate::core::update::{NoticeLevel, Update};
use crate::restart::{CurrentRuntime, Restart};
use crate::runtime::transmitter::TransmitterOptions;
use crate::runtime::{self, Command, EffectSink, Outbox, RuntimeHandle};
use crate::ui::view::{DemoReset, Source};
use crate::ui::{self, Action, ViewState};

mod act;
mod opening;
mod reset;

pub use act::{Dispatched, apply_action};
use opening::shown_mut;

/// How long one frame may spend applying updates before it yields to drawing.
const UPDATE_BUDGET: Duration = Duration::from_millis(10);
/// The same while the updates are parts of the record reopened at start.
const RELOAD_BUDGET: Duration = Duration::from_millis(40);
/// The window title.
pub const TITLE: &str = "SSF Inspector";

/// The window title: marked while an incident waits in the banner, so a window out of sight
/// (minimised, behind others) still says that a stream stopped telling.
pub fn window_title(state: &InspectorState) -> String {
    if state.banner_alerts().next().is_some() {
        format!("⚠ {TITLE}")
    } else {
        TITLE.to_owned()
    }
}

/// The application.
pub struct InspectorApp {
    state: InspectorState,
    /// Files opened read-only beside the live streams.
    opened: OpenedFiles,
    /// Files being opened: when each was asked for, and whether its first SETs were logged.
    opening: Vec<(u64, Instant, bool)>,
    view: ViewState,
    updates: mpsc::Receiver<Update>,
    /// Commands to the runtime; what the queue has no room for waits here, never dropped.
    runtime: Outbox,
    title: String,
    /// Where the reducer's effects go to be written (never dropped, never waited for).
    effects: EffectSink,
    /// The SET being read for the details (from the record or an opened file), and when it
    /// was asked for.
    loading: Option<(Source, u64, Instant)>,
    /// Start-up milestones logged: the first frame, the first SETs on the timeline.
    logged: (bool, bool),
    /// Input held for the next frame (a click or Tab that followed typing, or the typing after
    /// one; see `ui::input_order`).
    held_input: Vec<egui::Event>,
    /// How to start the runtime again (*Reset demo*); `None` for a runtime started elsewhere.
    restart: Option<Restart>,
    /// During a reset: the runtime being stopped (a new one starts once it has finished).
    resetting: Option<tokio_util::sync::CancellationToken>,
    /// The runtime the process waits for at exit.
    current: CurrentRuntime,
}

/// When the process started (set by the binary first thing), for the start-up log lines.
static STARTED: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

/// Note the process start: the log then says when the first frame and the first SETs came.
pub fn mark_start() {
    STARTED.get_or_init(Instant::now);
}

fn since_start() -> Option<u128> {
    STARTED.get().map(|t| t.elapsed().as_millis())
}

/// How often relative times are redrawn while something shows one.
const TICK: Duration = Duration::from_secs(1);
/// The same when nothing on screen depends on the clock.
const IDLE_TICK: Duration = Duration::from_secs(60);

/// How long a SET's read may take before it is asked for again.
const LOAD_RETRY: Duration = Duration::from_secs(2);
/// While commands wait for room in the runtime's queue, how soon the window tries again.
const OUTBOX_RETRY: Duration = Duration::from_millis(20);
/// At exit, how long commands still waiting for room are given to reach the runtime.
const EXIT_DRAIN: Duration = Duration::from_secs(1);

/// What the app starts with.
#[derive(Debug, Default)]
pub struct AppOptions {
    /// The built-in demo transmitter to start and receive from (`None`: no demo).
    pub demo: Option<TransmitterOptions>,
    /// Where the record and the profiles are kept.
    pub folders: runtime::Folders,
    /// Open in presenter mode (`--presenter`); otherwise as last left.
    pub presenter: bool,
    /// Files to open beside the live streams at start (`ssf-inspector FILE…`); the last is shown.
    pub open: Vec<std::path::PathBuf>,
}

impl InspectorApp {
    /// Create the app on the user's folders, start the runtime on `handle`, and start the
    /// built-in demo unless `demo` is `None` (`--no-demo`).
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        handle: &tokio::runtime::Handle,
        demo: Option<TransmitterOptions>,
        retention: crate::core::retention::Retention,
        presenter: bool,
        open: Vec<std::path::PathBuf>,
    ) -> Self {
        let options = AppOptions {
            demo,
            presenter,
            open,
            folders: runtime::Folders {
                retention,
                ..runtime::Folders::user()
            },
        };
        Self::with_options(cc, handle, options)
    }

    /// Create the app with explicit folders, and the demo only when asked (tests use this).
    pub fn with_options(
        cc: &eframe::CreationContext<'_>,
        handle: &tokio::runtime::Handle,
        options: AppOptions,
    ) -> Self {
        let ctx = cc.egui_ctx.clone();
        let (updates_tx, updates) = update_channel(Arc::new(move || ctx.request_repaint()));
        let restart = options.demo.clone().map(|demo| {
            Restart::new(
                handle.clone(),
                options.folders.clone(),
                demo,
                cc.egui_ctx.clone(),
            )
        });
        let runtime = runtime::spawn_in(handle, updates_tx, options.folders);
        let mut app = Self::with_runtime(cc, runtime, updates, options.demo, options.presenter);
        for path in options.open {
            app.dispatch(&Action::OpenFile(Some(path)));
        }
        if restart.is_some() {
            app.view.demo_reset = DemoReset::Ready;
        }
        app.restart = restart;
        app
    }

    /// Create the app on a runtime already running (or a stand-in for one, in tests) whose
    /// updates come on `updates`; start the demo when asked.
    pub fn with_runtime(
        cc: &eframe::CreationContext<'_>,
        runtime: RuntimeHandle,
        updates: mpsc::Receiver<Update>,
        demo: Option<TransmitterOptions>,
        presenter: bool,
    ) -> Self {
        crate::ui::theme::install(&cc.egui_ctx);
        let mut view = cc
            .storage
            .and_then(|storage| eframe::get_value::<ViewState>(storage, eframe::APP_KEY))
            .unwrap_or_default();
        view.demo_requested = demo.is_some();
        if presenter {
            crate::ui::view_menu::set_presenter(&mut view, true);
        }
        let current = CurrentRuntime::new(runtime.finished());
        let mut app = Self {
            state: InspectorState::default(),
            opened: OpenedFiles::default(),
            opening: Vec::new(),
            view,
            updates,
            effects: runtime.effects(),
            runtime: Outbox::new(runtime),
            title: TITLE.to_owned(),
            loading: None,
            logged: (false, false),
            held_input: Vec::new(),
            restart: None,
            resetting: None,
            current,
        };
        if let Some(demo) = demo {
            app.send(Command::StartDemo(Box::new(demo)));
        }
        app.send(Command::LoadProfiles);
        app
    }

    /// The runtime running when the window closed; once it has stopped the binary may end (it
    /// waits for it, so the record gets its stop markers and is closed cleanly).
    pub fn runtime_finished(&self) -> CurrentRuntime {
        self.current.clone()
    }

    /// What the user is looking at (read-only; tests assert on it).
    pub fn view(&self) -> &ViewState {
        &self.view
    }

    /// The state the window shows (read-only; tests assert on it).
    pub fn state(&self) -> &InspectorState {
        &self.state
    }

    /// The files opened beside the live streams (read-only; tests assert on it).
    pub fn opened(&self) -> &OpenedFiles {
        &self.opened
    }

    /// Log when the first frame was drawn and when the first SETs were on the timeline (start-up
    /// time, a reopened record's), once each.
    fn log_start_up(&mut self) {
        let Some(ms) = since_start() else { return };
        if !self.logged.0 {
            self.logged.0 = true;
            tracing::info!("first frame {ms} ms after start");
        }
        if !self.logged.1 && !self.state.timeline.is_empty() {
            self.logged.1 = true;
            let held = self.state.timeline.len();
            tracing::info!("first SETs on the timeline {ms} ms after start ({held} so far)");
        }
    }

    /// Ask the record for what the window shows but holds only compact: the selected SET's
    /// full form, and the filter's free text over the claims of SETs read back at start.
    fn read_what_is_shown(&mut self) {
        let source = self.view.source;
        let state = shown_mut(&mut self.state, &mut self.opened, source);
        let job = state.timeline.take_unresolved();
        let timeline = &mut state.timeline;
        let selected = self.view.selected.filter(|seq| timeline.contains(*seq));
        timeline.keep(selected);
        let wanted = selected.filter(|seq| {
            timeline.full(*seq).is_none() && !state.unavailable_sets.contains_key(seq)
        });
        if let Some(job) = job {
            self.send(match source {
                Source::Live => Command::CheckSets(Box::new(job)),
                Source::Opened(id) => Command::CheckOpened {
                    id,
                    job: Box::new(job),
                },
            });
        }
        let Some(seq) = wanted else { return };
        let asked = self
            .loading
            .is_some_and(|(from, s, at)| from == source && s == seq && at.elapsed() < LOAD_RETRY);
        if !asked {
            self.loading = Some((source, seq, Instant::now()));
            self.send(match source {
                Source::Live => Command::LoadSet(seq),
                Source::Opened(id) => Command::LoadOpenedSet { id, seq },
            });
        }
    }

    /// Hand `command` to the runtime; a full queue keeps it waiting (sent next frame), only a
    /// stopped runtime refuses it.
    fn send(&mut self, command: Command) {
        if let Err(err) = self.runtime.send(command) {
            let text = format!("{err}: restart the window");
            self.state.apply(
                Update::Notice {
                    level: NoticeLevel::Error,
                    text,
                },
                UnixMillis::now(),
            );
        }
    }

    /// Hand the reducer's effects to the record's writer (never waits).
    fn record(&mut self, effects: Effects) {
        if let Err(err) = self.effects.record(effects) {
            if self.resetting.is_some() {
                // The runtime being reset has closed its record: what its last updates changed
                // goes with the state they changed.
                tracing::info!("during the demo reset: {err}");
                return;
            }
            let text = format!("{err}; restart the window");
            let _ = self.state.apply(
                Update::Notice {
                    level: NoticeLevel::Error,
                    text,
                },
                UnixMillis::now(),
            );
        }
    }

    fn dispatch(&mut self, action: &Action) {
        match action {
            Action::ResetDemo => {
                self.reset_demo();
                return;
            }
            Action::OpenFile(path) => {
                self.open_file(path.clone());
                return;
            }
            Action::CloseFile(id) => {
                self.close_file(*id);
                return;
            }
            _ => {}
        }
        // A jump to a SET or an exchange is in what the window shows; an opened file's state
        // changes nothing that is recorded.
        let in_shown = matches!(
            action,
            Action::ShowEvidence(_) | Action::SelectExchange(_) | Action::ShowExchange(_)
        );
        let source = self.view.source;
        let state = if in_shown {
            shown_mut(&mut self.state, &mut self.opened, source)
        } else {
            &mut self.state
        };
        let dispatched = apply_action(action, state, &mut self.view);
        if in_shown && source != Source::Live {
            if let Some(command) = dispatched.command {
                self.send(command);
            }
            return;
        }
        self.record(dispatched.effects);
        if let Some(command) = dispatched.command {
            self.send(command);
        }
    }
}

/// The timeline filtered by what the view asks (the window does it after each frame's actions).
pub fn filter_timeline(state: &mut InspectorState, view: &ViewState, now: UnixMillis) {
    state.timeline.set_filter(&view.timeline_filter(), now);
}

/// The desktop notifications (and sounds) the newly raised alerts call for: one per critical
/// alert that is no consequence of a stop already told, when the user has not turned them off.
pub fn notifications(raised: &[Alert], view: &ViewState) -> Vec<Command> {
    if !view.desktop_notifications {
        return Vec::new();
    }
    raised
        .iter()
        .filter(|alert| alert.severity == Severity::Critical && alert.folded_under.is_none())
        .map(|alert| Command::Notify {
            alert: Box::new(alert.clone()),
            sound: view.alert_sound,
        })
        .collect()
}

impl eframe::App for InspectorApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        let started = Instant::now();
        self.finish_reset(ctx);
        // What the command queue had no room for last frame goes first, in order.
        if let Err(err) = self.runtime.flush() {
            tracing::warn!("commands to the runtime dropped: {err}");
        }
        let mut effects = Effects::default();
        while let Ok(update) = self.updates.try_recv() {
            if let Update::Opened { id, update } = update {
                self.opened.apply(id, update, UnixMillis::now());
                if started.elapsed() > RELOAD_BUDGET {
                    ctx.request_repaint();
                    break;
                }
                continue;
            }
            // Taking a reopened record's SETs may use more of a frame: it is the start-up.
            let budget = if matches!(update, Update::Reloaded(_)) {
                RELOAD_BUDGET
            } else {
                UPDATE_BUDGET
            };
            effects.extend(self.state.apply(update, UnixMillis::now()));
            if started.elapsed() > budget {
                ctx.request_repaint();
                break;
            }
        }
        // The watchdog's deadlines: overdue heartbeats, silence.
        effects.extend(self.state.tick(UnixMillis::now()));
        for command in notifications(&effects.raised, &self.view) {
            self.send(command);
        }
        // Every alert, and every change to one (acknowledged, resolved), goes to the record;
        // so does every change of a stream's status (the status history).
        self.record(effects);
        let title = window_title(&self.state);
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        // Relative times ("last SET 3 s ago", "19 s ago") tick once a second while a stream or
        // an alert shows one; with neither, nothing on screen changes by itself, so an idle
        // window draws nothing until an update or input wakes it (no busy repaint either way).
        let ticking = !self.state.streams.is_empty() || !self.state.alerts.is_empty();
        ctx.request_repaint_after(if self.runtime.waiting() > 0 {
            // Commands wait for room in the runtime's queue: come back soon to send them.
            OUTBOX_RETRY
        } else if ticking {
            TICK
        } else {
            IDLE_TICK
        });
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let actions = ui::root_ui(
            ui,
            &self.state,
            &self.opened,
            &mut self.view,
            UnixMillis::now(),
        );
        for action in &actions {
            self.dispatch(action);
        }
        let shown = shown_mut(&mut self.state, &mut self.opened, self.view.source);
        filter_timeline(shown, &self.view, UnixMillis::now());
        self.read_what_is_shown();
        self.log_start_up();
        self.log_opening();
    }

    fn raw_input_hook(&mut self, ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        if crate::ui::input_order::hold_back_after_typing(&mut self.held_input, raw_input) {
            ctx.request_repaint();
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        // What is kept is the live streams' view (opened files are not opened again).
        if self.view.source == Source::Live {
            eframe::set_value(storage, eframe::APP_KEY, &self.view);
        } else {
            let mut view = self.view.clone();
            view.show_source(Source::Live);
            eframe::set_value(storage, eframe::APP_KEY, &view);
        }
    }

    fn on_exit(&mut self) {
        // What still waits (alerts, status changes to record) goes first, then the stop.
        self.runtime.send(Command::Shutdown).ok();
        let unsent = self.runtime.drain_blocking(EXIT_DRAIN);
        if unsent > 0 {
            tracing::error!("{unsent} commands could not be handed to the runtime before exit");
        }
    }
}
