//! What the capture and bundle tests share: the binary, a fresh folder per test, the `demo`
//! stream, times after the fixtures' `NOW`, and a capture's items read back.

use std::path::{Path, PathBuf};
use std::process::Command;

use ssf_inspector::core::capture::{Item, Reader};
use ssf_inspector::core::profile::{ManagementAuth, Profile, SecretRef};
use ssf_inspector::core::record::StreamKey;
use ssf_inspector::core::time::UnixMillis;

use crate::fixtures::NOW;

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ssf-inspector"))
}

/// `group/test` under the test build's temporary folder, emptied.
pub fn fresh(group: &str, test: &str) -> PathBuf {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(group)
        .join(test);
    if folder.exists() {
        std::fs::remove_dir_all(&folder).expect("remove the previous run's folder");
    }
    std::fs::create_dir_all(&folder).expect("a folder");
    folder
}

pub fn demo() -> StreamKey {
    StreamKey("demo".to_owned())
}

/// `millis` after the fixtures' `NOW`.
pub fn at(millis: i64) -> UnixMillis {
    UnixMillis(NOW.0 + millis)
}

/// Every item of a capture, each line read.
pub fn items(path: &Path) -> Vec<Item> {
    let file = std::fs::File::open(path).expect("the capture");
    Reader::open(std::io::BufReader::new(file))
        .expect("a capture")
        .map(|item| item.expect("every line reads"))
        .collect()
}

/// A profile of the fixtures' issuer whose management token is the environment variable `env`.
pub fn bearer_profile(name: &str, env: &str) -> Profile {
    Profile {
        name: name.to_owned(),
        issuer: crate::fixtures::ISSUER.to_owned(),
        auth: ManagementAuth::Bearer {
            token: SecretRef::Env(env.to_owned()),
        },
        ..Profile::default()
    }
}

/// `folder/config` holding `profiles` (as `SSF_INSPECTOR_CONFIG_DIR` names it).
pub fn config_with(folder: &Path, profiles: &[Profile]) -> PathBuf {
    let config = folder.join("config");
    std::fs::create_dir_all(&config).expect("config folder");
    let text = serde_json::to_string(profiles).expect("profiles");
    std::fs::write(config.join("profiles.json"), text).expect("profiles file");
    config
}
