//! Files opened beside the live streams (issue 24): a capture opens with the same SETs,
//! verdicts, alerts, status changes and markers as its record, its signatures checked again with
//! the keys it carries; one SET is read again whole and the filter's free text is checked in the
//! file; a cut-short or corrupt line is named and the rest read; a newer format says so; a
//! record opens read-only while another instance writes it; a bundle's folder opens its capture.

use std::path::{Path, PathBuf};
use std::time::Duration;

use ssf_inspector::bridge::{no_wake, update_channel};
use ssf_inspector::core::capture::Reader;
use ssf_inspector::core::opened::{Loading, OpenedFiles};
use ssf_inspector::core::opened_info::OpenedKind;
use ssf_inspector::core::time::UnixMillis;
use ssf_inspector::core::timeline::Unresolved;
use ssf_inspector::core::update::Update;
use ssf_inspector::core::verify::Verdict;
use ssf_inspector::runtime::record::RecordStore;
use ssf_inspector::runtime::{self, Command, RuntimeHandle};
use tokio::sync::mpsc::Receiver;

use crate::fixtures::evidence::{capture_of, evidence_record};
use crate::fixtures::{self, TestKey};

fn fresh(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("runtime_opened")
        .join(name);
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).expect("a folder");
    dir
}

/// A record like a real run's, and a capture of it.
async fn record_and_capture(dir: &Path) -> (PathBuf, PathBuf) {
    let record = dir.join("record.sqlite3");
    evidence_record(&record).await;
    let out = dir.join("capture.jsonl");
    capture_of(&record, &out, "ssf-inspector capture");
    (record, out)
}

/// A runtime on a record in memory, and its updates.
fn start() -> (RuntimeHandle, Receiver<Update>) {
    let (updates, rx) = update_channel(no_wake());
    let rt = runtime::spawn(&tokio::runtime::Handle::current(), updates, None);
    (rt, rx)
}

/// Take the runtime's updates about opened files until `done` (at most 30 s).
async fn until(
    rx: &mut Receiver<Update>,
    files: &mut OpenedFiles,
    done: impl Fn(&OpenedFiles) -> bool,
) -> bool {
    let end = tokio::time::Instant::now() + Duration::from_secs(30);
    while !done(files) {
        match tokio::time::timeout(Duration::from_millis(50), rx.recv()).await {
            Ok(Some(Update::Opened { id, update })) => files.apply(id, update, UnixMillis::now()),
            Ok(Some(_)) | Err(_) => {}
            Ok(None) => return false,
        }
        if tokio::time::Instant::now() > end {
            return false;
        }
    }
    true
}

/// Open `path` as the window would and wait until it is read and its SETs checked again.
async fn open(rt: &RuntimeHandle, rx: &mut Receiver<Update>, path: &Path) -> OpenedFiles {
    let mut files = OpenedFiles::default();
    let id = files.begin(&path.display().to_string());
    rt.send(Command::OpenFile {
        id,
        path: Some(path.to_path_buf()),
    })
    .await
    .expect("sent");
    let read = until(rx, &mut files, |files| {
        files.get(id).is_some_and(|file| {
            matches!(file.loading, Loading::Failed(_))
                || (file.loading == Loading::Done && file.reverified.done)
        })
    })
    .await;
    assert!(
        read,
        "the file was not read: {:?}",
        files.get(id).map(|f| &f.loading)
    );
    files
}

/// Ask for SET `seq` of file 1 whole (the details) and wait until the window holds it.
async fn load_whole(
    rt: &RuntimeHandle,
    rx: &mut Receiver<Update>,
    files: &mut OpenedFiles,
    seq: u64,
) {
    rt.send(Command::LoadOpenedSet { id: 1, seq })
        .await
        .expect("sent");
    let held = until(rx, files, |f| {
        f.get(1)
            .is_some_and(|f| f.contents.timeline.full(seq).is_some())
    })
    .await;
    assert!(held, "SET #{seq} read again whole");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_capture_opens_with_what_its_record_held_and_its_signatures_checked_again() {
    let dir = fresh("capture");
    let (_, capture) = record_and_capture(&dir).await;
    let (rt, mut rx) = start();
    let mut files = open(&rt, &mut rx, &capture).await;
    let file = files.get(1).expect("opened");
    assert_eq!(file.loading, Loading::Done);
    assert_eq!(file.header.kind, Some(OpenedKind::Capture));
    assert_eq!(file.header.name, "capture.jsonl");
    let saved = file.header.saved.as_ref().expect("the header's account");
    assert_eq!(saved.by, "ssf-inspector capture");
    assert_eq!(saved.key_sets, 1);
    assert_eq!(file.problem_count, 0, "{:?}", file.problems);
    let contents = &file.contents;
    assert_eq!(contents.timeline.len(), 5);
    let verdicts: Vec<Verdict> = contents.timeline.entries().map(|e| e.verdict()).collect();
    assert_eq!(
        verdicts,
        [
            Verdict::Valid,
            Verdict::BadSignature,
            Verdict::UnknownKey,
            Verdict::Valid,
            Verdict::Malformed
        ]
    );
    // The run's start and stop, among the SETs by time.
    assert_eq!(contents.timeline.markers().len(), 2);
    assert_eq!(contents.timeline.visible().len(), 7);
    assert_eq!(contents.earlier_alerts.len(), 1);
    assert_eq!(contents.earlier_status.len(), 2);
    assert!(!contents.exchanges.is_empty());
    // Nothing in an opened file is raised: it is history.
    assert!(contents.alerts.is_empty());
    // Checked again with the capture's own key set, every verdict stands.
    let checked = &file.reverified;
    assert_eq!((checked.checked, checked.total, checked.same), (5, 5, 5));
    assert!(checked.differ.is_empty(), "{:?}", checked.differ);
    let first = contents.timeline.entries().next().expect("a SET").seq();
    assert!(
        checked
            .of(first, Verdict::Valid)
            .is_some_and(|text| text.contains("as when received")),
        "{:?}",
        checked.of(first, Verdict::Valid)
    );

    // One SET read again whole (the details).
    load_whole(&rt, &mut rx, &mut files, first).await;
    let full = files
        .get(1)
        .and_then(|f| f.contents.timeline.full(first))
        .cloned();
    assert_eq!(full.and_then(|r| r.jti.clone()).as_deref(), Some("j1"));

    // Free text over the claims is checked in the file.
    let seqs: Vec<u64> = files
        .get(1)
        .map(|f| f.contents.timeline.entries().map(|e| e.seq()).collect())
        .unwrap_or_default();
    let file = files.get_mut(1).expect("open");
    file.contents
        .timeline
        .set_filter("maintenance", UnixMillis::now());
    let job = file.contents.timeline.take_unresolved();
    let job: Unresolved = job.unwrap_or(Unresolved {
        generation: 0,
        filter: String::new(),
        seqs: Vec::new(),
    });
    // The SET held whole is answered at once; the others are asked of the file.
    assert!(
        !job.seqs.is_empty() && job.seqs.len() < seqs.len(),
        "{job:?}"
    );
    rt.send(Command::CheckOpened {
        id: 1,
        job: Box::new(job),
    })
    .await
    .expect("sent");
    assert!(
        until(&mut rx, &mut files, |f| f.get(1).is_some_and(|f| f
            .contents
            .timeline
            .unresolved()
            == 0))
        .await
    );
    // Only the stream-updated SET's claims say "maintenance".
    let shown = files.get(1).map(|f| f.contents.timeline.visible_sets());
    assert_eq!(shown, Some(1));
    rt.send(Command::Shutdown).await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_capture_cut_short_with_a_corrupt_line_is_read_to_its_end_naming_both() {
    let dir = fresh("damaged");
    let (_, capture) = record_and_capture(&dir).await;
    let text = std::fs::read_to_string(&capture).expect("the capture");
    let mut lines: Vec<&str> = text.lines().collect();
    // A corrupt line after the header and the first SET, and the last line cut in half.
    lines.insert(2, "{\"kind\": \"set\", \"raw\": ");
    let last = lines.pop().expect("a last line");
    let mut damaged = lines.join("\n");
    damaged.push('\n');
    damaged.push_str(&last[..last.len() / 2]);
    let path = dir.join("damaged.jsonl");
    std::fs::write(&path, damaged).expect("written");

    let (rt, mut rx) = start();
    let files = open(&rt, &mut rx, &path).await;
    let file = files.get(1).expect("opened");
    assert_eq!(file.loading, Loading::Done);
    assert_eq!(file.problem_count, 2, "{:?}", file.problems);
    assert!(
        file.problems[0].starts_with("line 3 is skipped: not JSON"),
        "{:?}",
        file.problems
    );
    let cut = lines.len() + 1;
    assert_eq!(
        file.problems[1],
        format!("line {cut} is cut short (the file ends in the middle of it): the rest was read")
    );
    // The last line is an exchange: every SET is there.
    assert_eq!(file.contents.timeline.len(), 5);
    rt.send(Command::Shutdown).await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_capture_in_a_newer_format_says_which_and_opens_nothing() {
    let dir = fresh("newer");
    let path = dir.join("newer.jsonl");
    std::fs::write(
        &path,
        "{\"kind\":\"capture\",\"format\":99,\"app_version\":\"9.0.0\"}\n",
    )
    .expect("written");
    let (rt, mut rx) = start();
    let files = open(&rt, &mut rx, &path).await;
    let file = files.get(1).expect("listed");
    let Loading::Failed(why) = &file.loading else {
        panic!("opened: {:?}", file.loading);
    };
    assert!(why.contains("format 99") && why.contains("9.0.0"), "{why}");
    assert!(file.contents.timeline.is_empty());
    rt.send(Command::Shutdown).await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_opens_read_only_while_another_instance_writes_it() {
    let dir = fresh("record");
    let path = dir.join("record.sqlite3");
    let (store, _) = RecordStore::open_all(&path).await.expect("a record");
    let key = TestKey::es256("k1");
    for n in 0..3 {
        let token = key.sign(&fixtures::session_revoked(&format!("r{n}")));
        let record = fixtures::inspect(&token, &key.jwks(), fixtures::NOW);
        store.append(record).await.expect("a SET");
    }
    let (rt, mut rx) = start();
    let files = open(&rt, &mut rx, &path).await;
    let file = files.get(1).expect("opened");
    assert_eq!(file.header.kind, Some(OpenedKind::Record));
    assert_eq!(file.contents.timeline.len(), 3);
    // A record carries no key set of its own here (no JWKS was fetched): said, not guessed.
    assert!(
        file.reverified.unavailable.is_some(),
        "{:?}",
        file.reverified
    );
    // The instance that holds it goes on writing.
    let token = key.sign(&fixtures::session_revoked("r3"));
    let record = fixtures::inspect(&token, &key.jwks(), fixtures::NOW);
    store
        .append(record)
        .await
        .expect("written while opened elsewhere");
    store.close().await.expect("closed");
    rt.send(Command::Shutdown).await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bundles_folder_opens_its_capture_and_a_repeated_number_is_said() {
    let dir = fresh("bundle");
    let (_, capture) = record_and_capture(&dir).await;
    let bundle = dir.join("bundle");
    std::fs::create_dir_all(&bundle).expect("a folder");
    // The first SET's line twice: the second is shown under a number of its own.
    let text = std::fs::read_to_string(&capture).expect("the capture");
    let mut lines: Vec<&str> = text.lines().collect();
    let first_set = lines
        .iter()
        .position(|l| l.contains("\"kind\":\"set\""))
        .expect("a SET");
    let repeated = lines[first_set];
    lines.insert(first_set + 1, repeated);
    std::fs::write(bundle.join("capture.jsonl"), lines.join("\n") + "\n").expect("written");
    let reader = Reader::open(std::io::BufReader::new(
        std::fs::File::open(bundle.join("capture.jsonl")).expect("file"),
    ));
    assert!(reader.is_ok());

    let (rt, mut rx) = start();
    let files = open(&rt, &mut rx, &bundle).await;
    let file = files.get(1).expect("opened");
    assert_eq!(file.header.kind, Some(OpenedKind::Bundle));
    assert_eq!(file.header.name, "bundle");
    assert_eq!(file.contents.timeline.len(), 6);
    assert_eq!(file.problem_count, 1, "{:?}", file.problems);
    assert!(
        file.problems[0].contains("has the number of an earlier line"),
        "{:?}",
        file.problems
    );
    rt.send(Command::Shutdown).await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_set_is_checked_again_with_the_key_set_of_its_time_and_a_change_is_named() {
    use crate::fixtures::evidence::{at, get};
    use serde_json::json;
    let dir = fresh("rotation");
    let path = dir.join("record.sqlite3");
    let (store, _) = RecordStore::open_all(&path).await.expect("a record");
    // The transmitter's key set, fetched before a rotation (key A) and after it (key B, same kid).
    let (a, b) = (TestKey::es256("k1"), TestKey::es256("k1"));
    let jwks = "https://transmitter.example.com/jwks";
    store
        .append_exchange(get(jwks, &json!({"keys": [a.jwk]}), 1))
        .await
        .expect("keys A");
    let set = |key: &TestKey, jti: &str, millis| {
        let token = key.sign(&fixtures::session_revoked(jti));
        // Each said valid when received (the keys of its time were at hand).
        fixtures::inspect(&token, &key.jwks(), at(millis))
    };
    let before = store.append(set(&a, "before", 2)).await.expect("a SET");
    store
        .append_exchange(get(jwks, &json!({"keys": [b.jwk]}), 3))
        .await
        .expect("keys B");
    store.append(set(&b, "after", 4)).await.expect("a SET");
    // Signed with the key the transmitter no longer lists, yet said valid at receipt.
    let odd = store.append(set(&a, "odd", 5)).await.expect("a SET");
    store.close().await.expect("closed");
    let out = dir.join("capture.jsonl");
    capture_of(&path, &out, "test");

    let (rt, mut rx) = start();
    for opened in [out, path] {
        let files = open(&rt, &mut rx, &opened).await;
        let checked = &files.get(1).expect("opened").reverified;
        assert_eq!(
            (checked.checked, checked.same),
            (3, 2),
            "{opened:?}: {checked:?}"
        );
        assert_eq!(
            checked.differ.get(&odd.seq),
            Some(&(Verdict::Valid, Some(Verdict::BadSignature))),
            "{opened:?}"
        );
        let told = checked.of(odd.seq, Verdict::Valid).unwrap_or_default();
        assert!(
            told.ends_with("invalid signature (when received: valid signature)"),
            "{told}"
        );
        assert!(
            checked
                .of(before.seq, Verdict::Valid)
                .is_some_and(|t| t.contains("as when received"))
        );
    }
    rt.send(Command::Shutdown).await.ok();
}

/// A bundle of the evidence record: a folder, or a zip when `out` ends in `.zip`.
fn bundle(record: &Path, out: &Path) {
    let source = ssf_inspector::runtime::bundle::BundleSource {
        record,
        filter: None,
        scope: Default::default(),
        selection: "the whole record".to_owned(),
        profiles: &[],
        saved_by: "test",
    };
    ssf_inspector::runtime::bundle::write(&source, out).expect("a bundle");
}

/// A runtime with folders of its own (a zip's capture is taken out beside its record).
fn start_in(dir: &Path) -> (RuntimeHandle, Receiver<Update>) {
    let (updates, rx) = update_channel(no_wake());
    let folders = ssf_inspector::runtime::Folders::at(&dir.join("data"), &dir.join("config"));
    let rt = runtime::spawn_in(&tokio::runtime::Handle::current(), updates, folders);
    (rt, rx)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bundle_opens_with_its_manifest_checked_and_a_changed_file_is_named() {
    let dir = fresh("bundle-manifest");
    let record = dir.join("record.sqlite3");
    evidence_record(&record).await;
    let folder = dir.join("evidence");
    bundle(&record, &folder);
    let (rt, mut rx) = start_in(&dir);
    let files = open(&rt, &mut rx, &folder).await;
    let file = files.get(1).expect("opened");
    assert_eq!(file.header.kind, Some(OpenedKind::Bundle));
    assert_eq!(file.contents.timeline.len(), 5);
    let check = file.manifest.as_ref().expect("its manifest checked");
    assert!(check.holds(), "{check:?}");
    assert!(check.listed >= 5, "{check:?}");
    assert!(
        check.words().starts_with("✔ Manifest: the "),
        "{}",
        check.words()
    );

    // One byte of the exchanges changed, and a file slipped in.
    let exchanges = folder.join("exchanges.jsonl");
    let mut bytes = std::fs::read(&exchanges).expect("the exchanges");
    bytes[10] ^= 0x01;
    std::fs::write(&exchanges, bytes).expect("changed");
    std::fs::write(folder.join("extra.txt"), "added later").expect("added");
    let files = open(&rt, &mut rx, &folder).await;
    let check = files
        .get(1)
        .and_then(|f| f.manifest.clone())
        .expect("checked");
    assert_eq!(check.changed, ["exchanges.jsonl"]);
    assert_eq!(check.unlisted, ["extra.txt"]);
    assert!(!check.holds());
    assert_eq!(
        check.words(),
        "⚠ Manifest does not hold: changed since it was made: exchanges.jsonl; not in the \
         manifest: extra.txt"
    );
    rt.send(Command::Shutdown).await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zip_bundle_opens_from_its_capture_taken_out_which_goes_when_closed() {
    let dir = fresh("bundle-zip");
    let record = dir.join("record.sqlite3");
    evidence_record(&record).await;
    let zip = dir.join("evidence.zip");
    bundle(&record, &zip);
    let (rt, mut rx) = start_in(&dir);
    let mut files = open(&rt, &mut rx, &zip).await;
    let file = files.get(1).expect("opened");
    assert_eq!(file.header.kind, Some(OpenedKind::Bundle));
    assert_eq!(file.header.name, "evidence.zip");
    assert_eq!(file.contents.timeline.len(), 5);
    assert!(
        file.manifest.as_ref().is_some_and(|c| c.holds()),
        "{:?}",
        file.manifest
    );
    // The capture taken out, private, beside the record.
    let taken: Vec<PathBuf> = std::fs::read_dir(dir.join("data").join("opened"))
        .expect("the folder of opened zips")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    assert_eq!(taken.len(), 1, "{taken:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = |p: &Path| std::fs::metadata(p).expect("there").permissions().mode() & 0o777;
        assert_eq!(mode(&taken[0]), 0o700);
        assert_eq!(mode(&taken[0].join("capture.jsonl")), 0o600);
    }
    // Its details read from the capture taken out.
    let first = file
        .contents
        .timeline
        .entries()
        .next()
        .expect("a SET")
        .seq();
    load_whole(&rt, &mut rx, &mut files, first).await;
    rt.send(Command::CloseFile(1)).await.expect("sent");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while taken[0].exists() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        !taken[0].exists(),
        "the capture taken out is removed when closed"
    );
    rt.send(Command::Shutdown).await.ok();
}
