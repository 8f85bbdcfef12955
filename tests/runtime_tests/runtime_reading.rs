//! Reopening a record (issue 13): the window gets what each SET concluded, not the SETs, and
//! reads on request what it holds only compact: a SET whole for its details (the same as it
//! was stored), and the filter's free text over claims, answered by the record.

use crate::fixtures;

use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;
use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::core::record::SetRecord;
use ssf_inspector::core::state::InspectorState;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::update::Update;
use ssf_inspector::runtime::record::RecordStore;
use ssf_inspector::runtime::{self, Command, Folders};

fn db_path(test: &str) -> PathBuf {
    let folder = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("runtime_reading")
        .join(test);
    if folder.exists() {
        std::fs::remove_dir_all(&folder).expect("remove the previous run's folder");
    }
    folder.join("record.sqlite")
}

/// Ten SETs; the seventh says "Reykjavik" in its claims only.
fn samples() -> Vec<SetRecord> {
    let key = fixtures::TestKey::es256("k1");
    let jwks = key.jwks();
    (1..=10)
        .map(|i| {
            let mut claims = fixtures::session_revoked(&format!("jti-{i}"));
            if i == 7 {
                claims["events"]
                    ["https://schemas.openid.net/secevent/caep/event-type/session-revoked"]
                    ["reason_admin"] = json!({"en": "Impossible travel from Reykjavik"});
            }
            fixtures::inspect(&key.sign(&claims), &jwks, fixtures::NOW)
        })
        .collect()
}

/// Apply updates until `done` holds (10 s at most).
async fn until(
    rx: &mut tokio::sync::mpsc::Receiver<Update>,
    state: &mut InspectorState,
    done: impl Fn(&InspectorState) -> bool,
) -> bool {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !done(state) {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(update)) => {
                state.apply(update, UnixMillis::now());
            }
            _ => return false,
        }
    }
    true
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reopened_record_gives_summaries_then_sets_and_free_text_on_request() {
    let path = db_path("reopen");
    let (store, _) = RecordStore::open(&path).await.expect("open");
    let mut stored = Vec::new();
    for record in samples() {
        stored.push(store.append(record).await.expect("append"));
    }
    store.close().await.expect("close");

    let (updates, mut rx) = update_channel(no_wake());
    let folders = Folders {
        record: Some(path.clone()),
        ..Folders::default()
    };
    let rt = runtime::spawn_in(&tokio::runtime::Handle::current(), updates, folders);
    let mut state = InspectorState::default();
    assert!(until(&mut rx, &mut state, |s| s.timeline.len() == stored.len()).await);
    for seq in 1..=10 {
        assert!(
            state.timeline.full(seq).is_none(),
            "#{seq}: reopening reads conclusions, not SETs"
        );
    }

    // The details: the SET read whole, the same as stored.
    rt.send(Command::LoadSet(3)).await.expect("send");
    assert!(until(&mut rx, &mut state, |s| s.timeline.full(3).is_some()).await);
    let loaded = state.timeline.full(3).expect("loaded");
    assert_eq!(format!("{loaded:#?}"), format!("{:#?}", stored[2]));
    rt.send(Command::LoadSet(999)).await.expect("send");
    assert!(
        until(&mut rx, &mut state, |s| s
            .unavailable_sets
            .contains_key(&999))
        .await
    );

    // Free text the summaries cannot answer: the record checks the claims.
    state.timeline.set_filter("reykjavik", UnixMillis::now());
    assert_eq!(state.timeline.visible_sets(), 0);
    let ask = state
        .timeline
        .take_unresolved()
        .expect("the record is asked");
    assert!(
        !ask.seqs.contains(&3),
        "the SET held whole is answered at once"
    );
    assert_eq!(ask.seqs.len(), 9);
    rt.send(Command::CheckSets(Box::new(ask)))
        .await
        .expect("send");
    assert!(until(&mut rx, &mut state, |s| s.timeline.unresolved() == 0).await);
    let shown: Vec<u64> = state.timeline.visible_seqs().collect();
    assert_eq!(shown, [7], "only the SET whose claims say it");
    rt.send(Command::Shutdown).await.ok();
}
