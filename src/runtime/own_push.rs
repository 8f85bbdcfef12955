//! The push endpoints this process listens on, each with the `Authorization` it expects, so
//! that a replay to the app's own receiver is let in without the person ever seeing (or
//! typing) the value. Process-wide; a session's endpoint is remembered when it opens.

use std::collections::HashMap;
use std::sync::OnceLock;

use parking_lot::Mutex;

fn endpoints() -> &'static Mutex<HashMap<String, String>> {
    static ENDPOINTS: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    ENDPOINTS.get_or_init(Mutex::default)
}

/// Remember that `endpoint` (its URL as the stream's info shows it) expects `authorization`.
pub fn remember(endpoint: &str, authorization: &str) {
    endpoints()
        .lock()
        .insert(endpoint.trim().to_owned(), authorization.to_owned());
}

/// The `Authorization` this process's own push endpoint at `url` expects, if it is one.
pub fn authorization_for(url: &str) -> Option<String> {
    endpoints().lock().get(url.trim()).cloned()
}
