//! *Reset demo*: the runtime started again from nothing, for a presenter who wants the story
//! once more. The running runtime is shut down as at exit (every session leaves its stream as
//! found, the record file gets its stop markers and is closed, keeping what it holds); once it
//! has finished, a new one starts on a fresh in-memory record and plays the demo from its start.
//! Nothing of the old runtime can reach the new window state: its updates came on a channel of
//! their own, dropped with it.

use std::sync::Arc;

use parking_lot::Mutex;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::bridge::update_channel;
use crate::core::update::Update;
use crate::runtime::transmitter::TransmitterOptions;
use crate::runtime::{self, Folders, RuntimeHandle};

/// What starting the runtime again needs.
pub struct Restart {
    handle: tokio::runtime::Handle,
    folders: Folders,
    demo: TransmitterOptions,
    ctx: egui::Context,
}

impl Restart {
    /// What [`Self::start`] needs: where the runtime runs, its folders (the record is then
    /// memory), the demo to play, and the window to wake.
    pub fn new(
        handle: tokio::runtime::Handle,
        folders: Folders,
        demo: TransmitterOptions,
        ctx: egui::Context,
    ) -> Self {
        Self {
            handle,
            folders: Folders {
                record: None,
                ..folders
            },
            demo,
            ctx,
        }
    }

    /// Start a runtime on a fresh in-memory record; its updates come on the receiver returned.
    pub fn start(&self) -> (RuntimeHandle, mpsc::Receiver<Update>) {
        let ctx = self.ctx.clone();
        let (updates_tx, updates) = update_channel(Arc::new(move || ctx.request_repaint()));
        let runtime = runtime::spawn_in(&self.handle, updates_tx, self.folders.clone());
        (runtime, updates)
    }

    /// The demo it plays.
    pub fn demo(&self) -> TransmitterOptions {
        self.demo.clone()
    }
}

/// The runtime the process waits for at exit: the one running then (a reset replaces it).
#[derive(Clone, Debug)]
pub struct CurrentRuntime(Arc<Mutex<CancellationToken>>);

impl CurrentRuntime {
    /// Following `finished`.
    pub fn new(finished: CancellationToken) -> Self {
        Self(Arc::new(Mutex::new(finished)))
    }

    /// Follow another runtime from now on.
    pub fn replace(&self, finished: CancellationToken) {
        *self.0.lock() = finished;
    }

    /// Cancelled once the runtime running now has stopped.
    pub fn finished(&self) -> CancellationToken {
        self.0.lock().clone()
    }
}
