//! The files beside the profiles that the receiver's processes share: the streams each
//! profile made (found again by id), and the journal of its own actions (what one process did,
//! read by the others once each). Both private (0600).

use ssf_inspector::core::own_action::{OwnAction, OwnActionEntry, Phase};
use ssf_inspector::core::stream::StreamStatus;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::runtime::journal::{Journal, JournalReader};
use ssf_inspector::runtime::own_streams::OwnStreams;

fn folder(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::remove_dir_all(&dir).ok();
    dir
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path)
        .expect("the file")
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn a_stream_is_remembered_per_profile_and_transmitter_until_forgotten() {
    let dir = folder("own-streams");
    let own = OwnStreams::in_dir(&dir);
    assert_eq!(own.recall("p", "https://a"), None);
    own.remember("p", "https://a", "s1").expect("remember");
    own.remember("q", "https://a", "s2").expect("remember");
    own.remember("p", "https://b", "s3").expect("remember");
    assert_eq!(own.recall("p", "https://a").as_deref(), Some("s1"));
    own.remember("p", "https://a", "s4")
        .expect("a new one replaces it");
    assert_eq!(own.recall("p", "https://a").as_deref(), Some("s4"));
    own.forget("https://a", "s4").expect("forget");
    assert_eq!(own.recall("p", "https://a"), None);
    assert_eq!(own.recall("q", "https://a").as_deref(), Some("s2"));
    #[cfg(unix)]
    assert_eq!(mode(&dir.join("own-streams.json")), 0o600);
}

fn other_process(profile: &str, phase: Phase) -> OwnActionEntry {
    OwnActionEntry {
        profile: profile.to_owned(),
        stream_id: "s".to_owned(),
        action: OwnAction::Status {
            status: StreamStatus::Paused,
        },
        phase,
        by: "stream pause".to_owned(),
        pid: std::process::id() + 1,
        at: UnixMillis::now(),
    }
}

#[test]
fn a_reader_sees_other_processes_entries_for_its_profile_once() {
    let dir = folder("own-journal");
    let journal = Journal::in_dir(&dir);
    journal.append(&other_process("p", Phase::Asked));
    let reader = JournalReader::new(journal.clone(), "p");
    assert!(reader.new_entries().is_empty(), "written before it started");
    journal.append(&other_process("p", Phase::Asked));
    journal.append(&other_process("q", Phase::Asked));
    // Its own process's entries are its own doing, known already.
    journal
        .asked("p", "s", OwnAction::Delete, "the window")
        .ended(true);
    journal.append(&other_process("p", Phase::Done));
    let seen = reader.new_entries();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[1].phase, Phase::Done);
    assert!(reader.new_entries().is_empty(), "each once");
    #[cfg(unix)]
    assert_eq!(mode(&dir.join("own-actions.jsonl")), 0o600);
}

/// The window's state (`window.ron`, written by eframe with `File::create`, which makes files
/// readable by all) is made private, with its folder, before eframe writes it; one an earlier
/// version left readable by all is narrowed (issue 21, 14).
#[cfg(unix)]
#[test]
fn the_window_state_file_is_private_before_eframe_writes_it() {
    use std::io::Write as _;
    let dir = folder("window-state");
    let data = dir.join("data").join("ssf-inspector");
    let path = ssf_inspector::runtime::private::window_state(&data).expect("prepared");
    assert_eq!(path, data.join("window.ron"));
    // What eframe does with it.
    let mut file = std::fs::File::create(&path).expect("eframe writes");
    file.write_all(b"{}").expect("written");
    drop(file);
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&dir.join("data")), 0o700);

    std::fs::set_permissions(
        &path,
        <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o644),
    )
    .expect("widen");
    ssf_inspector::runtime::private::window_state(&data).expect("prepared again");
    assert_eq!(mode(&path), 0o600);
    assert_eq!(
        std::fs::read(&path).expect("kept"),
        b"{}",
        "the state is kept"
    );
}
