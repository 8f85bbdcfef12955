//! View state: what the user is looking at (selection, filter, tabs). Persisted across restarts
//! where it makes sense; never domain data.

use serde::{Deserialize, Serialize};

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

/// Everything about the view that is not domain state.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewState {
    /// Selected SET (record seq).
    #[serde(skip)]
    pub selected: Option<u64>,
    /// Filter text.
    pub filter: String,
    /// Keep the newest row in view.
    pub follow: bool,
    /// Details tab.
    pub details_tab: DetailsTab,
    /// Scroll the selected row into view on the next frame.
    #[serde(skip)]
    pub scroll_to_selected: bool,
    /// Move keyboard focus to the filter on the next frame.
    #[serde(skip)]
    pub focus_filter: bool,
}

impl Default for ViewState {
    fn default() -> Self {
        Self {
            selected: None,
            filter: String::new(),
            follow: true,
            details_tab: DetailsTab::Claims,
            scroll_to_selected: false,
            focus_filter: false,
        }
    }
}
