//! View state: what the user is looking at (selection, filter, tabs, open forms). Persisted
//! across restarts where it makes sense; never domain data, never a secret.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::profile_draft::ProfileDraft;
use crate::core::exchange::Exchange;
use crate::core::record::StreamKey;
use crate::core::timeline::Timeline;

/// What the Export window writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExportKind {
    /// The SETs alone, as JSON Lines.
    #[default]
    Sets,
    /// A capture (`core::capture`).
    Capture,
    /// An evidence bundle (`core::bundle`).
    Bundle,
}

/// The tabs of the details panel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DetailsTab {
    /// Claims as a JSON tree.
    #[default]
    Claims,
    /// JOSE header as a JSON tree.
    Header,
    /// The raw token.
    Raw,
}

/// What the central panel shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CentralView {
    /// Received SETs.
    #[default]
    Timeline,
    /// Every HTTP exchange (management, discovery, poll, push).
    Exchanges,
}

/// The exchange shown in the details panel, with its bodies made readable once (JSON
/// pretty-printed) when it was selected rather than on every frame.
#[derive(Clone, Debug, PartialEq)]
pub struct ExchangeView {
    /// The exchange (already redacted by the runtime).
    pub exchange: Arc<Exchange>,
    /// Request body, pretty-printed when it is JSON.
    pub request_body: String,
    /// Response body, pretty-printed when it is JSON.
    pub response_body: String,
    /// The bodies as presenter mode shows them (subjects and SETs masked), made once.
    pub masked_bodies: (String, String),
    /// The seqs of the SETs it carried (found once, when it was selected).
    pub sets: Vec<u64>,
}

impl ExchangeView {
    /// Prepare `exchange` for display; `timeline` gives the SETs it carried.
    pub fn new(exchange: Arc<Exchange>, timeline: &Timeline) -> Self {
        let sets = if exchange.id == 0 {
            Vec::new()
        } else {
            timeline.carried_by(exchange.id)
        };
        let masked_bodies = (
            crate::core::redact::body(&exchange.request_body),
            crate::core::redact::body(&exchange.response_body),
        );
        Self {
            masked_bodies,
            request_body: readable_body(&exchange.request_body),
            response_body: readable_body(&exchange.response_body),
            exchange,
            sets,
        }
    }
}

fn readable_body(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|value| serde_json::to_string_pretty(&value).ok())
        .unwrap_or_else(|| body.to_owned())
}

/// Add or remove a subject on a stream: the JSON typed so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubjectDraft {
    /// The stream.
    pub key: StreamKey,
    /// Remove (true) or add (false).
    pub remove: bool,
    /// The Subject Identifier as JSON text.
    pub text: String,
    /// The format picked (empty: none; the JSON is typed).
    pub format: String,
    /// The picked format's member values, in its order.
    pub fields: Vec<String>,
    /// For Remove: the subjects the stream's SETs named, found once when the form is first
    /// drawn (not on every frame).
    pub seen: Option<Vec<(String, serde_json::Value)>>,
}

/// Change a stream's configuration: the choices so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigDraft {
    /// The stream.
    pub key: StreamKey,
    /// Event types offered, and whether each is requested.
    pub choices: Vec<(String, bool)>,
    /// Description.
    pub description: String,
    /// Sent, and waiting for the answer: the number the answer gets at the earliest
    /// (`InspectorState::op_outcomes_count` when it was sent).
    pub waiting: Option<u64>,
    /// Why the last change sent was not made, shown (with the edit kept) until one is.
    pub error: Option<String>,
}

/// Change a stream's status: the choice and the reason so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusDraft {
    /// The stream.
    pub key: StreamKey,
    /// The status to ask for.
    pub status: crate::core::stream::StreamStatus,
    /// The reason to give.
    pub reason: String,
}

/// Something that asks "are you sure?" before it happens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Confirm {
    /// Remove a saved profile.
    RemoveProfile(String),
    /// Delete a stream at its transmitter.
    DeleteStream(StreamKey),
}

/// A view's filter taken out of the way of a jump to evidence it hid, kept to be put back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetAside {
    /// The view whose filter it was.
    pub view: CentralView,
    /// The filter text.
    pub text: String,
    /// With it, presenter mode's subjects held out of the box (timeline).
    pub hidden_subjects: Vec<String>,
    /// What the jump showed ("exchange #12", "SET #7").
    pub shown: String,
}

/// Everything about the view that is not domain state.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewState {
    /// The alert list shows only alerts still in force.
    pub alerts_active_only: bool,
    /// The alert list shows only critical alerts.
    pub alerts_critical_only: bool,
    /// Text the listed alerts must contain (kind, stream or cause).
    pub alerts_filter: String,
    /// A critical alert also raises a desktop notification.
    pub desktop_notifications: bool,
    /// A critical alert also plays the alert sound.
    pub alert_sound: bool,
    /// The UI scale, 1.0–2.0 (see `view_menu`).
    pub ui_scale: f32,
    /// Presenter mode: large state tiles, subjects masked wherever they are shown.
    pub presenter: bool,
    /// The Export window, open: the path typed.
    #[serde(skip)]
    pub export_form: Option<String>,
    /// What the Export window writes: SETs alone, a capture or an evidence bundle.
    #[serde(skip)]
    pub export_kind: ExportKind,
    /// The incident an evidence bundle is of (its *Export evidence…*); `None`: what the
    /// timeline shows.
    #[serde(skip)]
    pub export_incident: Option<crate::core::bundle::incident::IncidentRef>,
    /// The Decode window, open: the text pasted and the keys chosen.
    #[serde(skip)]
    pub paste_form: Option<PasteDraft>,
    /// The Replay window, open: the SET and where and how to send it.
    #[serde(skip)]
    pub replay_form: Option<ReplayDraft>,
    /// Selected SET (record seq).
    #[serde(skip)]
    pub selected: Option<u64>,
    /// The timeline's filter text.
    pub filter: String,
    /// The exchanges view's filter text (each view keeps its own).
    pub exchange_filter: String,
    /// Filters set aside by a jump to evidence they hid, at most one per view, until put back
    /// or replaced by a filter typed.
    #[serde(skip)]
    pub set_aside: Vec<SetAside>,
    /// Subjects the timeline filter also requires, held out of the filter box: in presenter
    /// mode a clicked subject goes here (shown masked) so the box never shows it in clear; they
    /// go back into the text when presenter mode ends.
    #[serde(skip)]
    pub hidden_subjects: Vec<String>,
    /// Keep the newest row in view.
    pub follow: bool,
    /// Following is held this frame: the pointer is over a live table (see `ui::follow`).
    #[serde(skip)]
    pub follow_held: bool,
    /// Following scrolls back to the newest row after a hold, until it gets there.
    #[serde(skip)]
    pub follow_catching_up: bool,
    /// Details tab.
    pub details_tab: DetailsTab,
    /// Timeline or exchanges in the central panel.
    pub central: CentralView,
    /// The exchange shown in the details panel.
    #[serde(skip)]
    pub selected_exchange: Option<ExchangeView>,
    /// The open profile form (its secret fields are never persisted).
    pub profile_form: Option<ProfileDraft>,
    /// The profile form as it was when *Test connection* was pressed: the result is shown only
    /// while the fields still say the same.
    #[serde(skip)]
    pub tested_draft: Option<ProfileDraft>,
    /// The open add/remove subject form.
    #[serde(skip)]
    pub subject_form: Option<SubjectDraft>,
    /// The open stream configuration form.
    #[serde(skip)]
    pub config_form: Option<ConfigDraft>,
    /// The open status form.
    #[serde(skip)]
    pub status_form: Option<StatusDraft>,
    /// The stream whose transmitter (metadata, keys) is shown.
    #[serde(skip)]
    pub transmitter_info: Option<StreamKey>,
    /// A pending confirmation.
    #[serde(skip)]
    pub confirm: Option<Confirm>,
    /// Scroll the selected row into view on the next frame.
    #[serde(skip)]
    pub scroll_to_selected: bool,
    /// Move keyboard focus to the filter on the next frame.
    #[serde(skip)]
    pub focus_filter: bool,
    /// The list of keyboard shortcuts is open.
    #[serde(skip)]
    pub help_open: bool,
    /// Move keyboard focus to the first field of a form that has just opened (in a
    /// confirmation, to its safe choice: Cancel).
    #[serde(skip)]
    pub focus_form: bool,
    /// The built-in demo transmitter was asked for at start (what an empty stream list awaits).
    #[serde(skip)]
    pub demo_requested: bool,
    /// Whether the demo can be played again from its start (*Reset demo*), and whether it is
    /// being reset now.
    #[serde(skip)]
    pub demo_reset: DemoReset,
    /// Each incident's SET counts for its story (banner, alert list), kept between frames.
    #[serde(skip)]
    pub stories: crate::core::incident_story::StoryCounts,
    /// The subject history window, open: the subject and the SETs about it.
    #[serde(skip)]
    pub subject_history: Option<crate::core::subject_history::SubjectHistory>,
    /// The subject history's rows in each opened file (the subject is the window's).
    #[serde(skip)]
    pub subject_history_files: Vec<(u64, crate::core::subject_history::SubjectHistory)>,
    /// What the timeline, exchanges and details show: the live streams or an opened file.
    #[serde(skip)]
    pub source: Source,
    /// What each source not shown was left at (selection, filters, view), to come back to.
    #[serde(skip)]
    pub parked: Vec<(Source, SourceView)>,
}

/// What the central panel shows: the live streams, or a file opened beside them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Source {
    /// The streams received now (and the record reopened at start).
    #[default]
    Live,
    /// An opened capture, bundle or record, by its number (`core::opened`).
    Opened(u64),
}

/// What the user was looking at in one source: kept while another is shown.
#[derive(Clone, Debug, Default)]
pub struct SourceView {
    selected: Option<u64>,
    filter: String,
    exchange_filter: String,
    set_aside: Vec<SetAside>,
    hidden_subjects: Vec<String>,
    follow: bool,
    central: CentralView,
    selected_exchange: Option<ExchangeView>,
}

/// What the Decode window (`paste_form`) holds: the text, the profile whose keys verify, and
/// whether an answer is awaited.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PasteDraft {
    /// The pasted or typed text.
    pub text: String,
    /// The saved profile whose transmitter's keys verify signatures (`None`: not verified).
    pub profile: Option<String>,
    /// Decoding: the answer has not come yet.
    pub waiting: bool,
}

/// What the Replay window (`replay_form`) holds: the SET, the endpoint typed, how it is sent,
/// whether the person confirmed another host, and whether an answer is awaited.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplayDraft {
    /// The SET's record seq (its title in the window).
    pub seq: u64,
    /// The SET as received.
    pub raw: String,
    /// Its stream.
    pub stream: Option<StreamKey>,
    /// The push endpoint (`None` until the window first fills in the stream's own).
    pub url: Option<String>,
    /// Re-signed with the test key (false: unchanged).
    pub resign: bool,
    /// The `Authorization` header value to send, if the endpoint wants one.
    pub authorization: String,
    /// The host of a non-loopback endpoint, ticked as confirmed.
    pub confirmed: bool,
    /// Sent: the answer has not come yet.
    pub waiting: bool,
    /// Sent from this window (an earlier replay's answer is not shown as this one's).
    pub sent: bool,
}

/// *Reset demo*: offered only where the window can start its runtime again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DemoReset {
    /// No demo, or a window on a runtime it did not start (tests).
    #[default]
    Unavailable,
    /// Offered.
    Ready,
    /// The runtime is stopping; a new one starts once it has.
    Resetting,
}

impl ViewState {
    /// The timeline's filter: the box's text, with each hidden subject required. While the text
    /// does not parse it is given alone, so its error's columns are those of the box (the last
    /// valid filter, hidden subjects included, stays in force).
    pub fn timeline_filter(&self) -> std::borrow::Cow<'_, str> {
        if self.hidden_subjects.is_empty()
            || crate::core::filter::Filter::parse(&self.filter).is_err()
        {
            return std::borrow::Cow::Borrowed(&self.filter);
        }
        let mut text = self.filter.clone();
        for subject in &self.hidden_subjects {
            text = crate::core::filter::with_term(&text, "subject", subject);
        }
        std::borrow::Cow::Owned(text)
    }

    /// Add `field:value` to the filter: a subject in presenter mode is held hidden (shown
    /// masked), anything else is written into the box.
    pub fn add_filter_term(&mut self, field: &str, value: &str) {
        if self.presenter && field == "subject" {
            if !self.hidden_subjects.iter().any(|s| s == value) {
                self.hidden_subjects.push(value.to_owned());
            }
        } else {
            self.filter = crate::core::filter::with_term(&self.filter, field, value);
        }
    }

    /// Out of presenter mode, the hidden subjects go back into the filter box.
    pub fn reveal_hidden_subjects(&mut self) {
        if self.presenter {
            return;
        }
        for subject in std::mem::take(&mut self.hidden_subjects) {
            self.filter = crate::core::filter::with_term(&self.filter, "subject", &subject);
        }
    }

    /// Clear the timeline's filter, hidden subjects included.
    pub fn clear_filter(&mut self) {
        self.filter.clear();
        self.hidden_subjects.clear();
    }

    /// The filter text of `central`.
    pub fn filter_of(&self, central: CentralView) -> &str {
        match central {
            CentralView::Timeline => &self.filter,
            CentralView::Exchanges => &self.exchange_filter,
        }
    }

    /// The filter text of `central`, to edit.
    pub fn filter_of_mut(&mut self, central: CentralView) -> &mut String {
        match central {
            CentralView::Timeline => &mut self.filter,
            CentralView::Exchanges => &mut self.exchange_filter,
        }
    }

    /// Whether `central` has a filter (text, or a subject held out of the box).
    pub fn is_filtered(&self, central: CentralView) -> bool {
        !self.filter_of(central).is_empty()
            || (central == CentralView::Timeline && !self.hidden_subjects.is_empty())
    }

    /// Clear the filter of `central` (the timeline's hidden subjects too).
    pub fn clear_filter_of(&mut self, central: CentralView) {
        match central {
            CentralView::Timeline => self.clear_filter(),
            CentralView::Exchanges => self.exchange_filter.clear(),
        }
    }

    /// Clear `central`'s filter so that `shown` (which it hides) can be seen, keeping the text
    /// to be put back with [`Self::restore_filter`]. A filter set aside before and not replaced
    /// stays the one kept.
    pub fn set_filter_aside(&mut self, central: CentralView, shown: String) {
        self.forget_replaced_set_asides();
        if !self.is_filtered(central) {
            return;
        }
        let hidden_subjects = match central {
            CentralView::Timeline => std::mem::take(&mut self.hidden_subjects),
            CentralView::Exchanges => Vec::new(),
        };
        let text = std::mem::take(self.filter_of_mut(central));
        self.set_aside.retain(|aside| aside.view != central);
        self.set_aside.push(SetAside {
            view: central,
            text,
            hidden_subjects,
            shown,
        });
    }

    /// The filter of `central` set aside by a jump, while the view is still unfiltered.
    pub fn filter_set_aside(&self, central: CentralView) -> Option<&SetAside> {
        self.set_aside
            .iter()
            .find(|aside| aside.view == central && !self.is_filtered(central))
    }

    /// Put `central`'s filter set aside back.
    pub fn restore_filter(&mut self, central: CentralView) {
        self.forget_replaced_set_asides();
        let Some(at) = self.set_aside.iter().position(|a| a.view == central) else {
            return;
        };
        let aside = self.set_aside.remove(at);
        *self.filter_of_mut(central) = aside.text;
        if central == CentralView::Timeline {
            self.hidden_subjects = aside.hidden_subjects;
        }
    }

    /// A filter set aside is forgotten once its view has a filter again (one typed or clicked
    /// in replaces it).
    pub fn forget_replaced_set_asides(&mut self) {
        let filtered = [CentralView::Timeline, CentralView::Exchanges].map(|c| self.is_filtered(c));
        self.set_aside.retain(|aside| match aside.view {
            CentralView::Timeline => !filtered[0],
            CentralView::Exchanges => !filtered[1],
        });
    }
}

impl ViewState {
    /// Show `to`: what the current source was at is kept, and what `to` was left at comes back
    /// (an opened file shown first starts at its top, unfiltered).
    pub fn show_source(&mut self, to: Source) {
        if to == self.source {
            return;
        }
        let left = SourceView {
            selected: self.selected.take(),
            filter: std::mem::take(&mut self.filter),
            exchange_filter: std::mem::take(&mut self.exchange_filter),
            set_aside: std::mem::take(&mut self.set_aside),
            hidden_subjects: std::mem::take(&mut self.hidden_subjects),
            follow: self.follow,
            central: self.central,
            selected_exchange: self.selected_exchange.take(),
        };
        self.parked.push((self.source, left));
        let back = match self.parked.iter().position(|(source, _)| *source == to) {
            Some(at) => self.parked.swap_remove(at).1,
            None => SourceView {
                follow: to == Source::Live,
                ..SourceView::default()
            },
        };
        self.selected = back.selected;
        self.filter = back.filter;
        self.exchange_filter = back.exchange_filter;
        self.set_aside = back.set_aside;
        self.hidden_subjects = back.hidden_subjects;
        self.follow = back.follow;
        self.central = back.central;
        self.selected_exchange = back.selected_exchange;
        self.source = to;
        self.follow_held = false;
        self.follow_catching_up = false;
        self.scroll_to_selected = self.selected.is_some();
    }

    /// Forget an opened file's view (it was closed); the live streams are shown if it was.
    pub fn forget_source(&mut self, gone: Source) {
        if self.source == gone {
            self.show_source(Source::Live);
        }
        self.parked.retain(|(source, _)| *source != gone);
    }
}

impl Default for ViewState {
    fn default() -> Self {
        Self {
            alerts_active_only: false,
            alerts_critical_only: false,
            alerts_filter: String::new(),
            desktop_notifications: true,
            alert_sound: false,
            ui_scale: 1.0,
            presenter: false,
            export_form: None,
            export_kind: ExportKind::Sets,
            export_incident: None,
            paste_form: None,
            replay_form: None,
            selected: None,
            filter: String::new(),
            exchange_filter: String::new(),
            set_aside: Vec::new(),
            hidden_subjects: Vec::new(),
            follow: true,
            follow_held: false,
            follow_catching_up: false,
            details_tab: DetailsTab::Claims,
            central: CentralView::Timeline,
            selected_exchange: None,
            profile_form: None,
            tested_draft: None,
            subject_form: None,
            config_form: None,
            status_form: None,
            transmitter_info: None,
            confirm: None,
            scroll_to_selected: false,
            focus_filter: false,
            help_open: false,
            focus_form: false,
            demo_requested: false,
            demo_reset: DemoReset::Unavailable,
            stories: crate::core::incident_story::StoryCounts::default(),
            subject_history: None,
            subject_history_files: Vec::new(),
            source: Source::Live,
            parked: Vec::new(),
        }
    }
}
